"""The page cache serves anonymous readers exactly what a fresh render would, minus the work."""

import re
from datetime import timedelta

import pytest
import redis
import time_machine
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import view_buffer
from articles.models import Article, Tag
from comments import services
from comments.models import Comment
from pagecache import registry, store
from pagecache.middleware import PageRecorder
from tests.comments_helpers import form_data, make_comment, make_moderator, post_url
from tests.factories import make_article, make_profile, make_user
from tests.view_support import read, stored_views

HOME = reverse("articles:list")

pytestmark = pytest.mark.django_db


def is_hit(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def test_a_second_anonymous_reader_is_served_from_the_cache(client):
    article = make_article(title="Cached once")
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert not is_hit(first) and is_hit(second)
    assert "Cached once" in second.content.decode()


def test_on_redis_a_hit_costs_no_query_once_the_counts_are_copied(
    client, redis_cache, django_assert_num_queries
):
    article = make_article()
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())  # first hit copies the stored counts into Redis
    with django_assert_num_queries(0):
        assert is_hit(client.get(article.get_absolute_url()))
    client.get(HOME)
    client.get(HOME)
    with django_assert_num_queries(0):
        assert is_hit(client.get(HOME))


def test_without_redis_a_hit_reads_the_counts_in_one_query(client, django_assert_num_queries):
    """Direct mode: the counts shown come from the articles' rows, one query for the whole page."""
    article = make_article()
    make_article()
    client.get(article.get_absolute_url())
    with django_assert_num_queries(1):
        assert is_hit(client.get(article.get_absolute_url()))
    client.get(HOME)
    with django_assert_num_queries(1):
        assert is_hit(client.get(HOME))


def test_a_view_is_counted_on_a_hit_and_the_count_shown_is_live(client):
    article = make_article()
    read(client, article, ip="198.51.100.1")
    response = read(client, article, ip="198.51.100.2")
    assert is_hit(response)
    assert stored_views(article) == (2, 2)
    assert "2 views" in response.content.decode()
    assert is_hit(read(client, article, ip="198.51.100.2"))
    assert stored_views(article) == (2, 2), "the repeat visitor is not counted again"


def test_a_crawler_hit_is_not_counted(client):
    article = make_article()
    read(client, article)
    response = read(client, article, user_agent="Googlebot/2.1 (+http://www.google.com/bot.html)")
    assert is_hit(response)
    assert stored_views(article) == (1, 1)


def test_list_pages_show_live_counts_on_a_hit(client):
    article = make_article()
    client.get(HOME)
    read(client, article)
    make_comment(article)
    services.refresh_comment_counts(article_ids=[article.pk])
    response = client.get(HOME)
    assert is_hit(response)
    assert "1 view<" in response.content.decode() and "1 comment<" in response.content.decode()


def test_an_approved_comment_shows_at_once(client):
    article = make_article()
    held = make_comment(article, status=Comment.Status.PENDING, body="Worth the wait")
    assert "Worth the wait" not in client.get(article.get_absolute_url()).content.decode()
    services.moderate_comments(
        comments=Comment.objects.filter(pk=held.pk),
        status=Comment.Status.APPROVED,
        moderator=make_moderator(),
        site_url="http://testserver",
    )
    response = client.get(article.get_absolute_url())
    assert not is_hit(response)
    assert "Worth the wait" in response.content.decode()


def test_a_removed_comment_disappears_at_once(client):
    article = make_article()
    comment = make_comment(article, body="Regrettable")
    services.refresh_comment_counts(article_ids=[article.pk])
    assert "Regrettable" in client.get(article.get_absolute_url()).content.decode()
    services.delete_comments(comments=Comment.objects.filter(pk=comment.pk))
    assert "Regrettable" not in client.get(article.get_absolute_url()).content.decode()


def test_a_comment_on_one_article_keeps_the_others_cached(client):
    quiet, busy = make_article(), make_article()
    client.get(quiet.get_absolute_url())
    make_comment(busy)
    services.refresh_comment_counts(article_ids=[busy.pk])
    assert is_hit(client.get(quiet.get_absolute_url()))


def test_an_edited_article_is_fresh_everywhere(client):
    article = make_article(title="First draft title")
    client.get(HOME)
    client.get(article.get_absolute_url())
    article.title = "Corrected title"
    article.save()
    assert "Corrected title" in client.get(HOME).content.decode()
    assert "Corrected title" in client.get(article.get_absolute_url()).content.decode()


def test_an_unpublished_article_is_gone_at_once(client):
    article = make_article()
    client.get(article.get_absolute_url())
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_scheduled_article_appears_when_its_time_comes(client):
    make_article(title="Already out")
    make_article(
        title="Embargoed story",
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert "Embargoed story" not in client.get(HOME).content.decode()
    assert is_hit(client.get(HOME))
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        response = client.get(HOME)
    assert not is_hit(response)
    assert "Embargoed story" in response.content.decode()


def test_a_changed_tag_or_profile_refreshes_pages(client):
    profile = make_profile(display_name="Old Name")
    article = make_article(author=profile.user)
    tag = Tag.objects.create(name="Economy", slug="economy")
    article.tags.add(tag)
    client.get(article.get_absolute_url())
    tag.name = "Economics"
    tag.save()
    assert "Economics" in client.get(article.get_absolute_url()).content.decode()
    profile.display_name = "New Name"
    profile.save()
    assert not is_hit(client.get(article.get_absolute_url()))


def test_logged_in_readers_are_never_served_or_stored(client):
    article = make_article()
    client.force_login(make_user("reader"))
    client.get(article.get_absolute_url())
    assert not is_hit(client.get(article.get_absolute_url()))
    client.logout()
    assert not is_hit(client.get(article.get_absolute_url())), "nothing was stored for them"


def test_a_commenter_with_their_own_cookies_gets_a_fresh_page(client):
    article = make_article()
    client.get(article.get_absolute_url())
    response = client.post(post_url(article), form_data(article, remember="on"))
    assert response.status_code == 302
    assert not is_hit(client.get(article.get_absolute_url()))


def test_a_form_with_errors_is_not_cached(client):
    article = make_article()
    response = client.post(post_url(article), form_data(article, body=""))
    assert response.status_code == 422
    assert not is_hit(client.get(article.get_absolute_url()))


def test_unknown_query_parameters_bypass_the_cache(client):
    client.get(HOME + "?utm_source=feed")
    assert not is_hit(client.get(HOME + "?utm_source=feed"))
    make_article()
    client.get(HOME + "?page=1")
    assert is_hit(client.get(HOME + "?page=1"))


def test_each_hit_carries_the_readers_own_csrf_token_and_a_fresh_form_token(client):
    article = make_article()
    client.get(article.get_absolute_url())
    other = type(client)()
    first = read(client, article).content.decode()
    second = read(other, article).content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    issued = re.compile(r'name="issued" value="([^"]+)"')
    assert token.search(first)[1] != token.search(second)[1]
    assert issued.search(first)[1] != issued.search(second)[1]
    assert "csrftoken" in other.cookies


def test_a_comment_posted_from_a_cached_page_is_accepted(client):
    article = make_article()
    client.get(article.get_absolute_url())
    page = client.get(article.get_absolute_url())
    assert is_hit(page)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    data = form_data(article, csrfmiddlewaretoken=csrf)
    strict = type(client)(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(post_url(article), data).status_code == 302


def test_a_render_that_began_before_a_change_is_never_served_as_current():
    """The versions a page is stored with are read before the view reads the database."""
    article = make_article()
    recorder = PageRecorder(store.versions([store.SITE, f"article:{article.pk}"]))
    services.refresh_comment_counts(article_ids=[article.pk])  # a comment changed meanwhile
    key = store.page_key(article.get_absolute_url())
    store.save(
        key,
        store.Entry(body=b"old", headers={}, versions=recorder.versions, stale_at=store.stale_at()),
    )
    assert store.lookup(key) is None


def test_invalidating_leaves_no_tokens_for_pages_nobody_asked_for():
    """Comments changing on articles nobody has read since (an import, a bulk moderation) create no
    cache entries: the cache grows with what readers ask for, not with the archive."""
    articles = [make_article() for _ in range(5)]
    services.refresh_comment_counts(article_ids=[article.pk for article in articles])
    keys = [store._version_key(f"article:{article.pk}") for article in articles]
    assert cache.get_many(keys) == {}


def test_version_tokens_expire_once_no_page_can_still_use_them(settings):
    settings.PAGE_CACHE_SECONDS = 60
    scope = f"article:{make_article().pk}"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = store.versions([scope])[scope]
        traveller.shift(timedelta(seconds=119))
        assert cache.get(store._version_key(scope)) == token
        traveller.shift(timedelta(seconds=2))
        assert cache.get(store._version_key(scope)) is None


def test_pages_are_served_when_the_cache_is_unreachable(client, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    article = make_article()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Page cache unreachable" in caplog.text


def test_on_redis_a_hit_shows_buffered_views_without_sql(client, redis_cache):
    article = make_article()
    read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.1")
    with CaptureQueriesContext(connection) as queries:
        response = read(client, article, ip="198.51.100.2", HTTP_ACCEPT="text/html")
    assert is_hit(response)
    assert "2 views" in response.content.decode()
    assert not [q for q in queries.captured_queries if "articles_article" in q["sql"]]
    assert cache.get(store.page_key(article.get_absolute_url())) is not None


def test_the_cache_can_be_switched_off(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    article = make_article()
    client.get(article.get_absolute_url())
    assert not is_hit(client.get(article.get_absolute_url()))


def test_a_process_serves_its_own_copy_only_while_the_shared_tokens_match(client):
    article = make_article(title="Kept in this process")
    client.get(article.get_absolute_url())
    key = store.page_key(article.get_absolute_url())
    cache.delete(key)  # the shared copy is evicted: this process's copy still serves
    assert is_hit(client.get(article.get_absolute_url()))

    Article.objects.filter(pk=article.pk).update(title="Edited elsewhere")
    store.invalidate_site()  # another process edited and bumped the token
    response = client.get(article.get_absolute_url())
    assert not is_hit(response)
    assert "Edited elsewhere" in response.content.decode()


def test_a_newer_render_stored_by_another_process_replaces_an_outdated_copy(client):
    article = make_article(title="Before")
    client.get(article.get_absolute_url())
    key = store.page_key(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title="After")
    store.invalidate_site()
    newer = store.Entry(
        body=b"rendered by another worker",
        headers={"Content-Type": "text/html; charset=utf-8"},
        versions=store.versions([store.SITE, f"article:{article.pk}"]),
        stale_at=store.stale_at(),
    )
    cache.set(key, newer)  # only the shared store has it
    response = client.get(article.get_absolute_url())
    assert is_hit(response)
    assert response.content == b"rendered by another worker"


def test_every_copy_of_a_page_expires_after_page_cache_seconds(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    article = make_article()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get(article.get_absolute_url())
        assert is_hit(client.get(article.get_absolute_url()))
        traveller.shift(timedelta(seconds=61))
        assert not is_hit(client.get(article.get_absolute_url()))


@pytest.fixture
def redis_round_trips(redis_cache, monkeypatch):
    """The commands sent to Redis from now on, one entry per round trip (a pipeline is one)."""
    sent = []
    real_send = redis.connection.Connection.send_packed_command

    def counting_send(connection, command, check_health=True):
        sent.append(command)
        return real_send(connection, command, check_health)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting_send)
    return sent


def test_on_redis_a_counted_hit_takes_one_round_trip(client, redis_cache, redis_round_trips):
    """Version tokens, then the script that sets the seen-marker, buffers the view and reads the
    counts shown, in one pipeline."""
    article = make_article()
    read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.2")  # a hit: the counts are now cached
    redis_round_trips.clear()
    counted = read(client, article, ip="198.51.100.3")
    assert is_hit(counted) and "3 views" in counted.content.decode()
    assert len(redis_round_trips) == 1
    sent = b"".join(redis_round_trips[0])
    assert b"\r\nMGET\r\n" in sent and b"\r\nEVAL\r\n" in sent
    redis_round_trips.clear()
    assert is_hit(read(client, article, ip="198.51.100.3"))
    assert len(redis_round_trips) == 1, "a repeat visitor costs the same and is not counted"
    assert "3 views" in read(client, article, ip="198.51.100.3").content.decode()


def test_on_redis_a_view_counted_with_an_outdated_copy_is_not_counted_again_by_the_render(
    client, settings, redis_cache, flush_not_due
):
    """The view goes in the same round trip as the version check; when the copy proves outdated
    the page is rendered, and the render knows this request is counted already. With a window of
    0 every request counts, so no seen-marker hides a second count."""
    settings.VIEW_COUNT_WINDOW_MINUTES = 0
    article = make_article(title="Before")
    read(client, article, ip="198.51.100.1")
    assert is_hit(read(client, article, ip="198.51.100.1"))
    Article.objects.filter(pk=article.pk).update(title="After")
    store.invalidate_site()
    response = read(client, article, ip="198.51.100.1")
    assert not is_hit(response) and "After" in response.content.decode()
    assert "3 views" in response.content.decode()
    assert view_buffer.pending_totals([article.pk]) == {article.pk: 3}


def test_on_redis_a_view_counted_with_an_outdated_copy_shows_the_exact_count_after_its_flush(
    client, redis_cache
):
    """The step that counted the view with the version check was also the one to flush: the render
    reads the row after that flush, so the count shown must not add the flushed views again."""
    article = make_article(view_count=7)
    read(client, article, ip="198.51.100.1")  # the first view of the interval flushes: 8 stored
    assert is_hit(read(client, article, ip="198.51.100.2"))  # pending
    view_buffer.redis_client().delete(redis_cache.make_key(view_buffer.FLUSH_DUE_MARKER))
    Article.objects.filter(pk=article.pk).update(title="Edited")
    store.invalidate_site()
    response = read(client, article, ip="198.51.100.3")
    assert not is_hit(response)
    assert stored_views(article) == (10, 3)
    assert "10 views" in response.content.decode()


def test_on_redis_an_outdated_copy_is_dropped_so_its_hooks_run_once(
    client, redis_cache, flush_not_due
):
    """An unpublished article's copy counts the view of the one request that finds it outdated
    (the step went with the check) and is then dropped: later readers get the 404, counted by
    nobody."""
    article = make_article()
    read(client, article, ip="198.51.100.1")
    assert is_hit(read(client, article, ip="198.51.100.2"))
    article.status = Article.Status.DRAFT
    article.save()
    assert read(client, article, ip="198.51.100.3").status_code == 404
    assert caches["local"].get(store.page_key(article.get_absolute_url())) is None
    pending = view_buffer.pending_totals([article.pk])
    for number in range(4, 8):
        assert read(client, article, ip=f"198.51.100.{number}").status_code == 404
    assert view_buffer.pending_totals([article.pk]) == pending


def test_on_redis_a_queued_hit_hook_runs_once_with_the_version_check(
    client, redis_cache, monkeypatch
):
    """A hook that can be queued runs in the version check's round trip and not again when the page
    is served, also when the process's copy proved outdated and the shared one is served; one that
    queued nothing for this request runs as usual."""
    calls = []

    def queue(request, argument, pipe):
        if argument == "nothing to queue":
            return None
        pipe.ping()
        return lambda replies: calls.append(("queued", argument, replies))

    hook = registry.HitHook(
        run=lambda request, argument: calls.append(("run", argument)), queue=queue
    )
    monkeypatch.setitem(registry.hit_hooks, "probe", hook)
    make_article()
    client.get(HOME)
    key = store.page_key(HOME)
    entry = caches["local"].get(key)
    entry.hooks = [("probe", "7")]
    caches["local"].set(key, entry)
    cache.set(key, entry)
    assert is_hit(client.get(HOME))
    assert calls == [("queued", "7", [True])]

    calls.clear()
    store.invalidate_site()
    entry.versions = store.versions(entry.versions)
    cache.set(key, entry)  # another process stored a newer render; this process's copy is outdated
    assert is_hit(client.get(HOME))
    assert calls == [("queued", "7", [True])]

    calls.clear()
    entry.hooks = [("probe", "nothing to queue")]
    caches["local"].set(key, entry)
    assert is_hit(client.get(HOME))
    assert calls == [("run", "nothing to queue")]


def test_on_redis_a_list_page_hit_takes_one_round_trip(
    client, settings, redis_cache, redis_round_trips
):
    """The version tokens and every article's counts are read together."""
    settings.VIEW_FLUSH_INTERVAL = 3600
    first, second = make_article(), make_article()
    read(client, first, ip="198.51.100.1")  # flushed at once: the first view of the interval
    read(client, second, ip="198.51.100.1")  # pending in Redis
    client.get(HOME)
    copying = client.get(HOME)  # a hit that reads the stored counts and copies them into Redis
    assert is_hit(copying) and "1 view<" in copying.content.decode()
    redis_round_trips.clear()
    response = client.get(HOME)
    assert is_hit(response)
    assert len(redis_round_trips) == 1
    assert "1 view<" in response.content.decode() and "2 views<" not in response.content.decode()
    read(client, second, ip="198.51.100.2")
    redis_round_trips.clear()
    response = client.get(HOME)
    assert len(redis_round_trips) == 1
    assert "2 views<" in response.content.decode(), "a view counted since is shown at once"


def test_on_redis_a_list_page_hit_during_a_flush_counts_the_claimed_views(
    client, redis_cache, flush_not_due, redis_round_trips
):
    """A flush has claimed the pending views but not written them: a second round trip reads the
    claimed batch, and the views stay in the count."""
    article = make_article(view_count=7)
    read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.2")
    client.get(HOME)
    assert view_buffer.claim_batch()
    redis_round_trips.clear()
    response = client.get(HOME)
    assert is_hit(response) and "9 views<" in response.content.decode()
    assert len(redis_round_trips) == 2


def test_on_redis_a_counted_hit_during_a_flush_shows_its_own_view(
    client, redis_cache, flush_not_due
):
    """Counts read ahead of the hit hooks would lack the view the hook counts: an article page's
    hit takes its counts from counting, or reads them after it."""
    article = make_article(view_count=7)
    read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.2")
    assert view_buffer.claim_batch()
    response = read(client, article, ip="198.51.100.3")
    assert is_hit(response) and "10 views" in response.content.decode()


def test_on_redis_a_lost_version_token_makes_the_page_a_miss(client, redis_cache):
    make_article()
    client.get(HOME)
    assert is_hit(client.get(HOME))
    cache.delete(store._version_key(store.SITE))  # evicted
    assert not is_hit(client.get(HOME))
    assert is_hit(client.get(HOME))


def test_on_redis_an_outdated_copy_of_this_process_gives_way_to_the_shared_one(client, redis_cache):
    article = make_article(title="First title")
    client.get(HOME)
    key = store.page_key(HOME)
    outdated = caches["local"].get(key)
    Article.objects.update(title="Second title")
    store.invalidate_site()
    client.get(HOME)  # stored again, in both places
    caches["local"].set(key, outdated)  # as if this process had not seen that render
    read(client, article, ip="198.51.100.1")
    response = client.get(HOME)
    assert is_hit(response)
    assert "Second title" in response.content.decode() and "1 view<" in response.content.decode()


def test_on_redis_a_copy_of_this_process_is_not_served_when_redis_is_unreachable(
    client, settings, redis_cache, caplog
):
    make_article()
    client.get(HOME)
    assert is_hit(client.get(HOME))
    reachable = settings.CACHES
    settings.CACHES = {
        **reachable,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    response = client.get(HOME)
    assert response.status_code == 200 and not is_hit(response)
    assert "Page cache unreachable" in caplog.text
    settings.CACHES = reachable  # so that the fixture can empty Redis afterwards


def test_on_redis_a_list_page_is_rendered_again_once_its_token_changes(client, redis_cache):
    """The counts read ahead of a stale page are not what decides: the page is rendered anew."""
    make_article(title="Already there")
    client.get(HOME)
    assert is_hit(client.get(HOME))
    Article.objects.update(title="Renamed in bulk")
    store.invalidate_site()
    response = client.get(HOME)
    assert not is_hit(response)
    assert "Renamed in bulk" in response.content.decode()
    assert is_hit(client.get(HOME))


def test_on_redis_comment_counts_on_a_hit_follow_moderation(client, redis_cache):
    article = make_article()
    held = make_comment(article, status=Comment.Status.PENDING)
    client.get(HOME)
    assert "0 comments<" in client.get(HOME).content.decode()
    services.moderate_comments(
        comments=Comment.objects.filter(pk=held.pk),
        status=Comment.Status.APPROVED,
        moderator=make_moderator(),
        site_url="http://testserver",
    )
    response = client.get(HOME)
    assert is_hit(response), "a comment changes the article's scope, not the home page"
    assert "1 comment<" in response.content.decode()


def test_a_repeated_search_is_served_from_the_cache_until_content_changes(client):
    make_article(title="Harbour lights")
    search = reverse("articles:search") + "?q=harbour"
    client.get(search)
    assert is_hit(client.get(search))
    make_article(title="Harbour tides")
    response = client.get(search)
    assert not is_hit(response)
    assert "Harbour tides" in response.content.decode()
