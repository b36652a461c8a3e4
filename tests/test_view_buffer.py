"""Buffered view counting against this machine's real Redis (TEST_REDIS_URL)."""

from io import StringIO

import pytest
import redis
from django.core.management import call_command
from django.db import DatabaseError

from articles import counters, view_buffer
from articles.models import AppliedViewBatch, Article
from tests.factories import make_article
from tests.view_support import BROWSER, queries_of_repeat_and_new_view, read, stored_views

pytestmark = pytest.mark.django_db


def flush_views(*args) -> str:
    out = StringIO()
    call_command("flush_views", *args, stdout=out)
    return out.getvalue()


def test_the_fixture_really_talks_to_redis(redis_cache):
    assert view_buffer.is_enabled()
    redis_cache.set("probe", 1)
    assert view_buffer.redis_client().exists(redis_cache.make_key("probe"))


def test_buffered_views_are_visible_before_flush_and_exact_after(
    client, redis_cache, flush_not_due
):
    article = make_article(view_count=7)

    response = read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.2")

    assert "8 views" in response.text
    assert stored_views(article) == (7, 0), "nothing reached the database yet"
    pending_key = redis_cache.make_key(view_buffer.PENDING_TOTALS)
    assert view_buffer.redis_client().hget(pending_key, article.pk) == b"2"
    assert "9 views" in client.get("/").text
    assert "9 views" in read(client, article, ip="198.51.100.1").text

    assert "Flushed 2 view(s) of 1 article(s) in 1 batch(es)." in flush_views()
    assert stored_views(article) == (9, 2)
    assert "9 views" in client.get("/").text, "flushed views are not counted twice"

    assert "Flushed 0 view(s)" in flush_views()
    assert stored_views(article) == (9, 2), "flushing again changes nothing"


def test_a_buffered_view_adds_no_sql_query(client, redis_cache, flush_not_due):
    article = make_article()
    repeat_view, counted_view = queries_of_repeat_and_new_view(client, article)

    assert len(counted_view) == len(repeat_view)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in counted_view)
    assert stored_views(article) == (0, 0)


def test_the_request_that_finds_a_flush_due_flushes(client, redis_cache):
    article = make_article()
    marker = redis_cache.make_key(view_buffer.FLUSH_DUE_MARKER)

    read(client, article, ip="198.51.100.1")
    assert stored_views(article) == (1, 1), "nothing flushed recently: this request flushed"
    assert view_buffer.redis_client().ttl(marker) > 0

    read(client, article, ip="198.51.100.2")
    assert stored_views(article) == (1, 1), "within VIEW_FLUSH_INTERVAL: buffered only"

    view_buffer.redis_client().delete(marker)  # the interval has passed
    read(client, article, ip="198.51.100.3")
    assert stored_views(article) == (3, 3)


@pytest.mark.parametrize(
    "failure", [DatabaseError("database is locked"), redis.ConnectionError("Redis went away")]
)
def test_a_failed_inline_flush_costs_the_reader_nothing(client, redis_cache, monkeypatch, failure):
    """The request whose counted view (on a page-cache hit, in the version check's round trip) found
    a flush due still gets the cached page with its view shown; the views stay in Redis."""
    article = make_article()
    marker = redis_cache.make_key(view_buffer.FLUSH_DUE_MARKER)
    read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.2")
    view_buffer.redis_client().delete(marker)

    def failing_flush():
        raise failure

    monkeypatch.setattr(counters, "flush_buffered_views", failing_flush)
    response = read(client, article, ip="198.51.100.3")
    assert response.get("X-Page-Cache") == "hit"
    assert "3 views" in response.content.decode()
    monkeypatch.undo()
    assert view_buffer.pending_totals([article.pk]) == {article.pk: 2}
    flush_views()
    assert stored_views(article) == (3, 3)


def test_a_batch_left_behind_by_a_crashed_flush_is_applied_by_the_next(redis_cache):
    article = make_article()
    counters.record_view(article_id=article.pk)  # flushes: nothing was due before
    counters.record_view(article_id=article.pk)
    assert view_buffer.claim_batch()  # ...and the flushing process dies here

    counters.record_view(article_id=article.pk)
    assert Article.objects.get(pk=article.pk).live_view_count == 1
    result = counters.flush_buffered_views()

    assert (result.batches, result.views) == (2, 2)
    assert stored_views(article) == (3, 3)
    assert view_buffer.batch_ids() == []


def test_readers_still_see_views_a_flush_claimed_but_has_not_written(
    client, redis_cache, flush_not_due
):
    """Between claim and commit, or after a flush that failed, the views stay in the count."""
    article = make_article(view_count=7)
    read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.2")
    assert view_buffer.claim_batch()  # a flush claims the batch and then fails or stalls
    read(client, article, ip="198.51.100.3")

    assert "10 views" in read(client, article, ip="198.51.100.3").content.decode()
    assert "10 views" in client.get("/").content.decode()
    assert stored_views(article) == (7, 0)


def test_a_batch_committed_but_not_deleted_is_not_applied_twice(redis_cache, flush_not_due):
    article = make_article()
    counters.record_view(article_id=article.pk)
    counters.record_view(article_id=article.pk)
    batch_id = view_buffer.claim_batch()
    counters.apply_batch(batch_id=batch_id, counts=view_buffer.batch_counts(batch_id))
    # ...the flushing process dies before deleting the batch from Redis.
    assert stored_views(article) == (2, 2)

    result = counters.flush_buffered_views()

    assert (result.batches, result.views) == (1, 0)
    assert stored_views(article) == (2, 2)
    assert AppliedViewBatch.objects.filter(batch_id=batch_id).exists()


def test_views_of_an_article_deleted_before_the_flush_are_dropped(redis_cache, flush_not_due):
    kept, deleted = make_article(slug="kept"), make_article(slug="deleted")
    counters.record_view(article_id=kept.pk)
    counters.record_view(article_id=deleted.pk)
    deleted.delete()

    assert counters.flush_buffered_views().views == 1
    assert stored_views(kept) == (1, 1)


def test_dry_run_reports_pending_views_and_writes_nothing(redis_cache, flush_not_due):
    article = make_article()
    for _ in range(3):
        counters.record_view(article_id=article.pk)

    assert "3 view(s) pending; nothing written." in flush_views("--dry-run")
    assert stored_views(article) == (0, 0)
    assert flush_views("--verbosity", "0") == ""
    assert stored_views(article) == (3, 3)


def test_redis_holds_no_address_or_user_agent(client, redis_cache):
    article = make_article()
    read(client, article, ip="203.0.113.77", user_agent=BROWSER + " PrivacyProbe/1.0")
    redis = view_buffer.redis_client()

    readers = {
        b"string": lambda key: [redis.get(key)],
        b"hash": lambda key: [item for pair in redis.hgetall(key).items() for item in pair],
        b"set": lambda key: list(redis.smembers(key)),
    }
    keys = list(redis.scan_iter())
    assert keys
    for key in keys:
        for value in [key, *readers[redis.type(key)](key)]:
            assert b"203.0.113.77" not in value and b"PrivacyProbe" not in value, key
    assert stored_views(article) == (1, 1)


def test_pages_still_render_when_redis_is_unreachable(client, settings, caplog):
    """Losing Redis costs readers the view counts, never the page."""
    article = make_article(view_count=7)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        },
    }
    page = read(client, article)
    assert page.status_code == 200
    assert "7 views" in page.content.decode()
    assert client.get("/").status_code == 200
    assert "cache unreachable" in caplog.text
    assert stored_views(article) == (7, 0)


def test_a_window_of_zero_counts_every_view(client, redis_cache, settings, flush_not_due):
    settings.VIEW_COUNT_WINDOW_MINUTES = 0
    article = make_article()
    read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.1")
    assert view_buffer.pending_totals([article.pk]) == {article.pk: 2}
