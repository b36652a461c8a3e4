"""Revisions (django-reversion + compare): every admin save is a version; compare and restore."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article

from .factories import make_staff

pytestmark = pytest.mark.django_db


def article_form(**overrides):
    data = {
        "title": "First title",
        "slug": "versioned",
        "body": "The first wording of the story.",
        "status": "draft",
        "comments_open": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def versioned(client):
    """An article saved twice through the admin by its author: two versions."""
    author = make_staff("author", "annie")
    client.force_login(author)
    client.post(reverse("admin:articles_article_add"), article_form())
    article = Article.objects.get(slug="versioned")
    change = reverse("admin:articles_article_change", args=[article.pk])
    client.post(change, article_form(title="Second title", body="A better wording."))
    article.refresh_from_db()
    return article


def test_every_save_keeps_a_version_listed_in_the_history(client, versioned):
    versions = Version.objects.get_for_object(versioned)
    assert versions.count() == 2
    history = client.get(reverse("admin:articles_article_history", args=[versioned.pk]))
    assert history.status_code == 200
    page = history.content.decode()
    for version in versions:
        assert reverse("admin:articles_article_revision", args=[versioned.pk, version.pk]) in page


def test_two_versions_compare_as_a_readable_diff(client, versioned):
    newer, older = Version.objects.get_for_object(versioned)
    response = client.get(
        reverse("admin:articles_article_compare", args=[versioned.pk]),
        {"version_id1": older.pk, "version_id2": newer.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "First title" in page and "Second title" in page
    assert "<del>" in page or "<ins>" in page
    assert "cover renditions" not in page and "updated at" not in page


def test_restore_brings_back_the_old_text_and_never_touches_counters(client, versioned):
    Article.objects.filter(pk=versioned.pk).update(view_count=4321, comment_count=17)
    older = Version.objects.get_for_object(versioned).last()
    url = reverse("admin:articles_article_revision", args=[versioned.pk, older.pk])
    form = client.get(url).context["adminform"].form
    assert form.initial["title"] == "First title"
    response = client.post(url, article_form())
    assert response.status_code == 302
    versioned.refresh_from_db()
    assert versioned.title == "First title"
    assert versioned.body_html == "<p>The first wording of the story.</p>"
    assert (versioned.view_count, versioned.comment_count) == (4321, 17)
    assert Version.objects.get_for_object(versioned).count() == 3


def test_viewing_an_old_version_changes_nothing(client, versioned):
    Article.objects.filter(pk=versioned.pk).update(view_count=99)
    older = Version.objects.get_for_object(versioned).last()
    client.get(reverse("admin:articles_article_revision", args=[versioned.pk, older.pk]))
    versioned.refresh_from_db()
    assert (versioned.title, versioned.view_count) == ("Second title", 99)


def test_versions_leave_out_counters_and_derived_html(versioned):
    stored = Version.objects.get_for_object(versioned).first().field_dict
    assert "view_count" not in stored and "body_html" not in stored
    assert stored["body"] == "A better wording."


def test_other_authors_cannot_see_or_restore_the_history(client, versioned):
    older = Version.objects.get_for_object(versioned).last()
    client.force_login(make_staff("author", "bob"))
    urls = [
        reverse("admin:articles_article_history", args=[versioned.pk]),
        reverse("admin:articles_article_compare", args=[versioned.pk])
        + f"?version_id1={older.pk}&version_id2={older.pk + 1}",
        reverse("admin:articles_article_revision", args=[versioned.pk, older.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(urls[2], article_form()).status_code == 403
    versioned.refresh_from_db()
    assert versioned.title == "Second title"


def test_the_history_of_a_missing_article_is_a_404(client, versioned):
    """Someone else's article is a 403; an id that names no article is simply not found."""
    client.force_login(make_staff("editor", "eve"))
    missing = versioned.pk + 1000
    assert client.get(reverse("admin:articles_article_history", args=[missing])).status_code == 404
    compare = reverse("admin:articles_article_compare", args=[missing])
    assert client.get(compare + "?version_id1=1&version_id2=2").status_code == 404


def test_editor_may_restore_any_article(client, versioned):
    older = Version.objects.get_for_object(versioned).last()
    client.force_login(make_staff("editor"))
    url = reverse("admin:articles_article_revision", args=[versioned.pk, older.pk])
    response = client.post(url, {**article_form(), "author": versioned.author_id})
    assert response.status_code == 302
    versioned.refresh_from_db()
    assert versioned.title == "First title"


def test_only_editors_may_recover_deleted_articles(client, versioned):
    recover_list = reverse("admin:articles_article_recoverlist")
    changelist = reverse("admin:articles_article_changelist")
    assert client.get(recover_list).status_code == 403
    assert recover_list not in client.get(changelist).content.decode()
    client.force_login(make_staff("editor"))
    assert client.get(recover_list).status_code == 200
    assert recover_list in client.get(changelist).content.decode()
