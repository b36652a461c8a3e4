"""The author's dashboard, bylines and author pages, the add_staff command, and query pins."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles import counters
from articles.models import Article, AuthorProfile
from comments.models import Comment

from .factories import make_article, make_profile, make_staff

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def add_comment(article, status):
    return Comment.objects.create(
        article=article, name="Reader", email="reader@example.com", body="Hi", status=status
    )


def fill_desk(author, n):
    """n of each: drafts, in review, scheduled, published with views, held comments."""
    later = timezone.now() + datetime.timedelta(days=3)
    for i in range(n):
        make_article(title=f"Draft {i}", author=author, status="draft", published_at=None)
        make_article(title=f"Review {i}", author=author, status="review", published_at=None)
        make_article(title=f"Later {i}", author=author, published_at=later)
        live = make_article(title=f"Live {i}", author=author)
        counters.add_views({(live.pk, timezone.localdate()): i + 1})
        add_comment(live, Comment.Status.PENDING)


def test_dashboard_lists_what_is_mine_with_views_and_waiting_comments(client):
    author = make_staff("author", "annie")
    fill_desk(author, 2)
    make_article(title="Not mine", status="draft", author=make_staff("author", "bob"))
    client.force_login(author)
    page = client.get(INDEX).content.decode()
    assert "Your desk" in page
    assert "2 drafts" in page and "2 waiting for review" in page and "2 scheduled" in page
    assert "Draft 0" in page and "Review 1" in page and "Scheduled for" in page
    assert "Not mine" not in page
    views = re.search(r"Live 1</a></th>\s*<td class=\"number\">(\d+)</td>", page)
    assert views and views.group(1) == "2"
    assert "Comments waiting on your articles" in page


def test_dashboard_views_count_only_the_last_seven_days(client):
    author = make_staff("author")
    article = make_article(title="Old news", author=author)
    today = timezone.localdate()
    counters.add_views(
        {(article.pk, today): 5, (article.pk, today - datetime.timedelta(days=8)): 40}
    )
    client.force_login(author)
    page = client.get(INDEX).content.decode()
    assert re.search(r"Old news</a></th>\s*<td class=\"number\">5</td>", page)


def test_dashboard_query_count_is_fixed(client, django_assert_num_queries):
    author = make_staff("author", "annie")
    client.force_login(author)
    fill_desk(author, 6)
    # session, user, user and group permissions, admin log; the dashboard's 4: desk counts,
    # unfinished articles, recent articles with 7-day views, comments waiting on them.
    with django_assert_num_queries(9):
        client.get(INDEX)


def test_editors_dashboard_shows_the_review_queue_in_one_more_query(
    client, django_assert_num_queries
):
    editor = make_staff("editor")
    fill_desk(make_staff("author"), 3)
    client.force_login(editor)
    with django_assert_num_queries(10):
        page = client.get(INDEX).content.decode()
    assert "3 articles wait for an editor" in page
    assert client.get(page_link(page, "0 drafts")).status_code == 200


def page_link(page, text):
    href = re.search(r'<a href="([^"]+)">' + re.escape(text), page).group(1)
    return href.replace("&amp;", "&")


def test_authors_dashboard_links_work(client):
    author = make_staff("author")
    fill_desk(author, 1)
    client.force_login(author)
    page = client.get(INDEX).content.decode()
    for text in ("1 draft", "1 waiting for review", "1 scheduled"):
        listed = client.get(page_link(page, text))
        assert listed.status_code == 200 and listed.context["cl"].result_count == 1, text


def test_moderators_get_no_writing_dashboard(client):
    client.force_login(make_staff("moderator"))
    assert "Your desk" not in client.get(INDEX).content.decode()


@pytest.mark.parametrize("role,queries", [("author", 14), ("editor", 15)])
def test_admin_changelist_query_count_is_fixed(client, role, queries, django_assert_num_queries):
    """Editors have one more: the author filter's choices. Two of them are the savepoint around
    the changelist's own queries (newsroom/admin_site.py); outside a test's transaction they are a
    plain BEGIN and COMMIT."""
    user = make_staff(role)
    client.force_login(user)
    for _ in range(16):
        make_article(author=user)
    with django_assert_num_queries(queries):
        client.get(reverse("admin:articles_article_changelist"))


def test_bylines_link_to_the_author_page(client):
    profile = make_profile(display_name="Abu Aliyu", slug="abu-aliyu")
    article = make_article(author=profile.user)
    for url in (reverse("articles:list"), article.get_absolute_url()):
        page = client.get(url).content.decode()
        assert f'href="{profile.get_absolute_url()}" rel="author">Abu Aliyu</a>' in page


def test_author_page_query_count_is_fixed_with_profiles(client, django_assert_num_queries):
    profile = make_profile(slug="prolific")
    for _ in range(12):
        make_article(author=profile.user)
    # profile, page count, articles with authors and profiles, their tags, most read this week,
    # the header's tags (cold cache)
    with django_assert_num_queries(6):
        client.get(profile.get_absolute_url())


def test_author_page_404s(client):
    make_profile(slug="someone")
    assert client.get(reverse("articles:author", kwargs={"slug": "nobody"})).status_code == 404
    assert client.get("/authors/someone/?page=9").status_code == 404


def test_add_staff_creates_a_staff_user_in_the_role_with_a_one_time_link(client, settings):
    settings.SITE_URL = "https://news.example"
    out = call_command_output(
        "add_staff", "--role", "author", "ada", "ada@example.com", "--name", "Ada Lovelace"
    )
    user = get_user_model().objects.get(username="ada")
    assert user.is_staff and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["Authors"]
    assert AuthorProfile.objects.get(user=user).display_name == "Ada Lovelace"
    link = re.search(r"https://news\.example(/accounts/reset/\S+)", out).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "a-Long-pass-2026", "new_password2": "a-Long-pass-2026"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-Long-pass-2026")
    again = client.get(link, follow=True)
    assert "new_password1" not in again.content.decode()  # used once, now invalid


def test_add_staff_updates_and_switches_role(settings):
    call_command_output("add_staff", "--role", "author", "ada", "ada@example.com")
    call_command_output("add_staff", "--role", "editor", "ada", "ada@new.example")
    user = get_user_model().objects.get(username="ada")
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.email == "ada@new.example"
    assert user.has_perm("articles.edit_any_article")


def test_add_staff_dry_run_changes_nothing():
    out = call_command_output(
        "add_staff", "--role", "moderator", "mo", "mo@example.com", "--dry-run"
    )
    assert "nothing was changed" in out
    assert not get_user_model().objects.filter(username="mo").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--role", "author", "bad name!", "a@example.com"],
        ["--role", "author", "fine", "not-an-email"],
    ],
)
def test_add_staff_refuses_bad_arguments(args):
    with pytest.raises(CommandError):
        call_command("add_staff", *args)


def call_command_output(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_scheduled_state_helpers():
    later = make_article(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert later.is_scheduled and list(Article.objects.scheduled()) == [later]
