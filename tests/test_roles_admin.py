"""Roles in the article admin (articles/roles.py), from both sides, through the admin's own URLs."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuthorProfile

from .factories import make_article, make_profile, make_staff, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(**overrides):
    data = {
        "title": "A headline",
        "slug": "a-headline",
        "body": "First paragraph.\n\nSecond paragraph.",
        "excerpt": "",
        "cover_alt": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def author(client):
    user = make_staff("author", "annie")
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    user = make_staff("editor", "eddie")
    client.force_login(user)
    return user


def test_groups_come_from_the_migration_with_the_right_permissions():
    authors = set(Group.objects.get(name="Authors").permissions.values_list("codename", flat=True))
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "delete_article", "change_authorprofile"} <= authors
    assert "edit_any_article" not in authors
    assert authors < editors and "edit_any_article" in editors


def test_author_sees_only_their_own_articles_in_the_list(client, author):
    mine = make_article(title="Mine", author=author)
    make_article(title="Someone else's")
    listed = client.get(CHANGELIST).context["cl"].result_list
    assert list(listed) == [mine]


def test_author_gets_403_on_every_admin_url_of_someone_elses_article(client, author):
    theirs = make_article(author=make_user("other"))
    for name in ["change", "delete", "history"]:
        url = reverse(f"admin:articles_article_{name}", args=[theirs.pk])
        assert client.get(url).status_code == 403, name
    assert client.post(change_url(theirs), form_data(slug=theirs.slug)).status_code == 403
    theirs.refresh_from_db()
    assert theirs.title != "A headline"


def test_author_can_change_and_delete_their_own(client, author):
    mine = make_article(author=author, status="draft")
    assert client.get(change_url(mine)).status_code == 200
    response = client.post(change_url(mine), form_data(slug=mine.slug, title="Retitled"))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Retitled"
    delete = reverse("admin:articles_article_delete", args=[mine.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=mine.pk).exists()


def test_author_field_is_hidden_and_forced_to_the_author(client, author):
    other = make_staff("author", "someone-else")
    page = client.get(ADD)
    assert "author" not in page.context["adminform"].form.fields
    response = client.post(ADD, form_data(author=other.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="a-headline")
    assert article.author == author
    # Writing gives them a profile, so their byline has a page.
    assert AuthorProfile.objects.filter(user=author).exists()


def test_add_form_has_no_statistics_and_a_readable_slug_help(client, author):
    page = client.get(ADD).content.decode()
    assert "Statistics" not in page
    assert "/articles/&lt;slug&gt;/" in page


def test_editor_sees_every_article_and_may_reassign_it(client, editor):
    writer = make_staff("author", "writer")
    theirs = make_article(author=make_staff("author", "first"), status="draft")
    assert client.get(CHANGELIST).context["cl"].result_count == 1
    form = client.get(change_url(theirs)).context["adminform"].form
    assert writer in form.fields["author"].queryset
    response = client.post(change_url(theirs), form_data(slug=theirs.slug, author=writer.pk))
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.author == writer


def test_editor_saves_an_article_by_a_non_staff_author_with_a_profile(client, editor):
    seeded = make_profile(make_user("abu-aliyu")).user
    article = make_article(author=seeded, status="draft")
    response = client.post(change_url(article), form_data(slug=article.slug, author=seeded.pk))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "A headline" and article.author == seeded


def test_author_picker_lists_writers_only(client, editor):
    reader = make_user("just-a-reader")
    form = client.get(ADD).context["adminform"].form
    assert reader not in form.fields["author"].queryset
    assert form.initial["author"] == editor.pk


def test_moderator_cannot_open_articles(client):
    client.force_login(make_staff("moderator"))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403


def test_authors_can_publish_by_default(client, author):
    response = client.post(
        ADD, form_data(status="published", published_at_0="2026-01-02", published_at_1="10:00")
    )
    assert response.status_code == 302
    assert Article.objects.get(slug="a-headline").status == "published"


def test_without_authors_can_publish_an_author_can_only_submit_for_review(client, author, settings):
    settings.AUTHORS_CAN_PUBLISH = False
    choices = dict(client.get(ADD).context["adminform"].form.fields["status"].choices)
    assert set(choices) == {"draft", "review"}
    refused = client.post(ADD, form_data(status="published"))
    assert refused.status_code == 200
    assert "status" in refused.context["adminform"].form.errors
    assert client.post(ADD, form_data(status="review")).status_code == 302
    assert Article.objects.get(slug="a-headline").status == "review"


def test_without_authors_can_publish_a_live_article_is_read_only_for_its_author(
    client, author, settings
):
    settings.AUTHORS_CAN_PUBLISH = False
    live = make_article(author=author)
    assert client.get(change_url(live)).context["has_change_permission"] is False
    assert client.post(change_url(live), form_data(slug=live.slug)).status_code == 403


def test_editors_have_a_waiting_for_review_filter_and_publish(client, editor, settings):
    settings.AUTHORS_CAN_PUBLISH = False
    waiting = make_article(title="Please review", status="review", published_at=None)
    make_article(title="A draft", status="draft")
    listed = client.get(CHANGELIST, {"state": "review"}).context["cl"].result_list
    assert list(listed) == [waiting]
    choices = dict(
        client.get(change_url(waiting)).context["adminform"].form.fields["status"].choices
    )
    assert "published" in choices


def test_changelist_shows_scheduled_state(client, editor):
    make_article(title="Later", published_at=timezone.now() + datetime.timedelta(days=2))
    page = client.get(CHANGELIST).content.decode()
    assert "Scheduled" in page
    listed = client.get(CHANGELIST, {"state": "scheduled"}).context["cl"].result_list
    assert [a.title for a in listed] == ["Later"]


def test_author_edits_their_own_profile_and_nobody_elses(client, author):
    own = make_profile(author, slug="annie")
    theirs = make_profile(make_staff("author", "bob"), slug="bob")
    listed = client.get(reverse("admin:articles_authorprofile_changelist")).context["cl"]
    assert list(listed.result_list) == [own]
    their_url = reverse("admin:articles_authorprofile_change", args=[theirs.pk])
    assert client.get(their_url).status_code == 403
    own_url = reverse("admin:articles_authorprofile_change", args=[own.pk])
    response = client.post(
        own_url, {"display_name": "Annie A.", "slug": "annie", "bio": "Hello.", "website": ""}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.display_name == "Annie A." and own.bio == "Hello."
    assert client.get(reverse("admin:articles_authorprofile_add")).status_code == 403


def test_editors_author_filter_lists_writers_by_name(client, editor):
    writer = make_staff("author", "bw", first_name="Beatrice", last_name="Webb")
    make_article(author=writer)
    make_article(author=make_staff("author", "cd", first_name="Cecil", last_name="Day"))
    make_staff("author", "idle", first_name="Idle", last_name="Writer")
    page = client.get(CHANGELIST).content.decode()
    assert f"author__id__exact={writer.pk}" in page and "Beatrice Webb" in page
    assert "Idle Writer" not in page
