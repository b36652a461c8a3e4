"""The counting rules (articles/tracking.py) in direct mode, i.e. without Redis."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import counters, tracking
from articles.models import Article, DailyArticleViews
from tests.factories import make_article, make_user
from tests.view_support import BROWSER, queries_of_repeat_and_new_view, read, stored_views

pytestmark = pytest.mark.django_db


def test_a_browser_reading_a_published_article_counts_once_with_a_day_row(client):
    article = make_article(view_count=7)

    response = read(client, article)

    assert response.status_code == 200
    assert stored_views(article) == (8, 1)
    day = DailyArticleViews.objects.get(article=article)
    assert (day.day, day.views) == (timezone.localdate(), 1)
    assert "8 views" in response.text, "the reader sees the count including their own view"


def test_repeat_views_within_the_window_count_once_and_again_after_it(client):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as t:
        article = make_article()
        read(client, article)
        t.shift(timedelta(minutes=29))
        read(client, article)
        assert stored_views(article) == (1, 1)
        t.shift(timedelta(minutes=2))
        read(client, article)
    assert stored_views(article) == (2, 2)


def test_the_window_is_a_setting(client, settings):
    settings.VIEW_COUNT_WINDOW_MINUTES = 5
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as t:
        article = make_article()
        read(client, article)
        t.shift(timedelta(minutes=6))
        read(client, article)
    assert stored_views(article) == (2, 2)


def test_different_visitors_and_different_articles_count_separately(client):
    first, second = make_article(slug="first"), make_article(slug="second")

    read(client, first, ip="198.51.100.1")
    read(client, first, ip="198.51.100.2")
    read(client, first, ip="198.51.100.2", user_agent=BROWSER + " Edg/124.0")
    read(client, second, ip="198.51.100.1")

    assert stored_views(first) == (3, 3)
    assert stored_views(second) == (1, 1)


@pytest.mark.parametrize("method", ["head", "post", "put", "delete", "options"])
def test_methods_other_than_get_do_not_count(client, method):
    article = make_article()
    read(client, article, method=method)
    assert stored_views(article) == (0, 0)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"published_at": None},
    ],
    ids=["draft", "scheduled", "no-publish-date"],
)
def test_unpublished_articles_are_not_served_and_not_counted(client, fields):
    article = make_article(**fields)
    assert read(client, article).status_code == 404
    assert stored_views(article) == (0, 0)


def test_unknown_article_is_a_404_without_error(client):
    assert client.get("/articles/no-such-thing/", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert not DailyArticleViews.objects.exists()


def test_a_draft_preview_never_counts_even_when_rendered(rf):
    article = make_article(status=Article.Status.DRAFT)
    request = rf.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    request.user = make_user("reader")

    class Ok:
        status_code = 200

    assert not tracking.track_view(request=request, response=Ok(), article=article)
    assert stored_views(article) == (0, 0)


def test_non_200_responses_do_not_count(rf):
    article = make_article()
    request = rf.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    request.user = make_user("reader")

    class NotModified:
        status_code = 304

    assert not tracking.track_view(request=request, response=NotModified(), article=article)


def test_the_author_and_staff_are_not_counted_but_other_members_are(client):
    author = make_user("writer")
    article = make_article(author=author)

    client.force_login(author)
    read(client, article)
    client.force_login(make_user("editor", is_staff=True))
    read(client, article, ip="198.51.100.2")
    assert stored_views(article) == (0, 0)

    client.force_login(make_user("member"))
    read(client, article, ip="198.51.100.3")
    assert stored_views(article) == (1, 1)


@pytest.mark.parametrize(
    "user_agent",
    [
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.23.20.0 A",
        "Twitterbot/1.0",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
        "python-requests/2.31.0",
        "",
        "   ",
    ],
)
def test_crawlers_link_previews_tools_and_missing_user_agents_do_not_count(client, user_agent):
    article = make_article()
    assert read(client, article, user_agent=user_agent).status_code == 200
    assert stored_views(article) == (0, 0)


def test_forwarded_for_is_ignored_unless_a_trusted_proxy_is_configured(client, settings):
    article = make_article()
    read(client, article, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    read(client, article, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert stored_views(article) == (1, 1), "a client cannot mint new identities with a header"

    settings.TRUSTED_PROXY_COUNT = 1
    read(client, article, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    read(client, article, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert stored_views(article) == (3, 3)


def test_counting_stores_no_personal_data_and_creates_no_session(client):
    article = make_article()
    address, agent = "203.0.113.77", BROWSER + " PrivacyProbe/1.0"

    response = read(client, article, ip=address, user_agent=agent)

    assert stored_views(article) == (1, 1)
    # The comment form's CSRF cookie is the only cookie: a random token, unrelated to counting.
    assert set(response.cookies) <= {"csrftoken"}, "no session or tracking cookie"
    assert not Session.objects.exists()
    for model in apps.get_models(include_auto_created=True):
        for row in model.objects.values_list():
            text = " ".join(map(str, row))
            assert address not in text and "PrivacyProbe" not in text, model


def test_a_counted_view_adds_two_writes_the_day_row_and_the_total(client):
    article = make_article()
    repeat_view, counted_view = queries_of_repeat_and_new_view(client, article)

    def statements(queries):
        # The test's own transaction turns the count's transaction into a savepoint.
        return [
            query["sql"]
            for query in queries
            if not query["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))
        ]

    assert stored_views(article) == (2, 2)
    assert len(statements(counted_view)) - len(statements(repeat_view)) == 2
    writes = [
        sql for sql in statements(counted_view) if not sql.lstrip().upper().startswith("SELECT")
    ]
    assert len(writes) == 2
    assert writes[0].startswith('INSERT INTO "articles_dailyarticleviews"')
    assert writes[1].startswith('UPDATE "articles_article" SET "view_count"')


@pytest.fixture
def database_cache(settings):
    """`make run`'s cache: Django's database cache, in a table of the test database."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "t_cache",
        },
    }
    call_command("createcachetable")


def test_with_the_database_cache_a_failed_count_leaves_no_seen_marker(database_cache, monkeypatch):
    """`make run`'s database cache: the marker and the count commit together or not at all, so a
    visitor whose view could not be stored is counted when they come back."""
    article = make_article()

    def failing_add_views(counts):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(counters, "add_views", failing_add_views)
    with pytest.raises(DatabaseError):
        counters.record_view(article_id=article.pk, seen_key="views:seen:probe", window_seconds=60)
    monkeypatch.undo()
    recorded = counters.record_view(
        article_id=article.pk, seen_key="views:seen:probe", window_seconds=60
    )
    assert recorded.counted
    assert stored_views(article) == (1, 1)


def test_with_the_database_cache_a_repeat_visitor_costs_one_read_and_no_transaction(
    database_cache,
):
    """`make run`'s database cache: a visitor already counted is told apart by one SELECT of the
    marker, without the write transaction (SQLite's write lock) that counting takes."""
    article = make_article()
    first = counters.record_view(
        article_id=article.pk, seen_key="views:seen:probe", window_seconds=60
    )
    assert first.counted
    with CaptureQueriesContext(connection) as repeat:
        recorded = counters.record_view(
            article_id=article.pk, seen_key="views:seen:probe", window_seconds=60
        )
    assert not recorded.counted
    assert [query["sql"].split()[0].upper() for query in repeat.captured_queries] == ["SELECT"]
    assert stored_views(article) == (1, 1)


def test_the_page_states_the_counting_rule_next_to_the_count(client, settings):
    settings.VIEW_COUNT_WINDOW_MINUTES = 45
    article = make_article()
    html = read(client, article).text
    assert (
        'title="Counted once per visitor every 45 minutes; bots, the author and staff are not '
        'counted."' in html
    )


@pytest.mark.parametrize(
    ("minutes", "phrase"),
    [(30, "every 30 minutes"), (1, "every minute"), (60, "every hour"), (120, "every 2 hours")],
)
def test_counting_rule_wording(settings, minutes, phrase):
    settings.VIEW_COUNT_WINDOW_MINUTES = minutes
    assert phrase in tracking.counting_rule()


@pytest.mark.parametrize(
    ("count", "label"), [(0, "0 views"), (1, "1 view"), (12345, "12,345 views")]
)
def test_counts_are_pluralised_and_formatted_on_list_and_article(client, count, label):
    article = make_article(view_count=count)
    assert label in client.get("/").text
    assert label in read(client, article, user_agent="curl/8").text


def test_an_editor_saving_a_stale_article_never_loses_views(client):
    article = make_article(view_count=7)
    stale = Article.objects.get(pk=article.pk)

    read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.2")
    stale.title = "Edited while being read"
    stale.save()

    assert stored_views(article) == (9, 2)
    assert Article.objects.get(pk=article.pk).title == "Edited while being read"


def test_add_views_raises_day_rows_and_totals_on_insert_and_on_conflict_update():
    article = make_article(view_count=7)
    today = timezone.localdate()

    counters.add_views({(article.pk, today): 1})
    counters.add_views({(article.pk, today): 4, (article.pk, today - timedelta(days=1)): 2})

    assert stored_views(article) == (14, 7)
    assert DailyArticleViews.objects.get(article=article, day=today).views == 5


def test_pruning_day_rows_keeps_the_total():
    article = make_article()
    counters.add_views({(article.pk, timezone.localdate() - timedelta(days=400)): 3})
    DailyArticleViews.objects.filter(article=article).delete()
    assert stored_views(article) == (3, 0)


def test_flush_views_in_direct_mode_has_nothing_to_do():
    out = StringIO()
    call_command("flush_views", stdout=out)
    assert "written directly" in out.getvalue()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
    ],
)
def test_speculative_prefetch_and_prerender_do_not_count(client, headers):
    article = make_article()
    assert read(client, article, **headers).status_code == 200
    assert stored_views(article) == (0, 0)
