"""Where counted views are stored, and the counts readers see.

Two modes, chosen by the cache (no setting to forget):

- Direct (local-memory or any non-Redis cache): each counted view is two statements in one
  transaction, an upsert of today's `DailyArticleViews` row and `view_count = view_count + 1` on
  the article (`add_views`). Atomic, no read-modify-write, and an editor's admin save never
  touches the counter column (`Article.save()` leaves it out).
- Buffered (`CACHE_URL=redis://...`): a counted view is one Redis transaction and no SQL. Pending
  views are flushed to the database in batches, with the same upsert, by `flush_views` or by the
  request that finds a flush due (at most once per VIEW_FLUSH_INTERVAL seconds). Readers see the
  database total plus the pending part. See docs/view-counting.md for crash and Redis-loss costs.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from visitors.identity import CACHE_OUTAGE

from . import view_buffer
from .models import AppliedViewBatch, Article, DailyArticleViews

logger = logging.getLogger(__name__)

# Rows per upsert statement when a flush applies a large batch.
UPSERT_CHUNK = 500
# A batch id only matters between committing a batch and deleting it from Redis; keep the record
# far longer than any plausible outage between those two steps.
APPLIED_BATCH_RETENTION = timedelta(days=7)


def add_views(counts: Mapping[tuple[int, date], int]) -> None:
    """Add views to day rows and to the articles' totals, together in one transaction.

    This is the only writer of `DailyArticleViews` and of `Article.view_count` after creation, so
    the two cannot disagree; there is no database trigger, so loading day rows from a fixture or a
    backup (`loaddata`, a restore) adds nothing to the totals. Day rows are upserted 500 to a
    statement, then each total is raised with one `UPDATE ... SET view_count = view_count + n`.
    Both steps go in (article, day) order, so concurrent flushes take row locks in the same order
    and cannot deadlock. Deleting old day rows (pruning) leaves the totals alone, on purpose.
    """
    rows = sorted((key, views) for key, views in counts.items() if views)
    totals: dict[int, int] = {}
    for (article_id, _day), views in rows:
        totals[article_id] = totals.get(article_id, 0) + views
    table = connection.ops.quote_name(DailyArticleViews._meta.db_table)
    # No savepoint: inside a caller's transaction both steps already commit or roll back together.
    with transaction.atomic(savepoint=False):
        for start in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[start : start + UPSERT_CHUNK]
            placeholders = ", ".join(["(%s, %s, %s)"] * len(chunk))
            params = [
                value for (article_id, day), views in chunk for value in (article_id, day, views)
            ]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (article_id, day, views) VALUES {placeholders} "
                    f"ON CONFLICT (article_id, day) "
                    f"DO UPDATE SET views = {table}.views + excluded.views",
                    params,
                )
        # Plain SQL like the upsert: on SQLite without Redis this runs for every counted view, and
        # building the ORM's UPDATE cost more than running it.
        quote = connection.ops.quote_name
        articles, view_count, pk = map(quote, (Article._meta.db_table, "view_count", "id"))
        with connection.cursor() as cursor:
            for article_id, views in totals.items():
                cursor.execute(
                    f"UPDATE {articles} SET {view_count} = {view_count} + %s WHERE {pk} = %s",
                    [views, article_id],
                )


class RecordedView(NamedTuple):
    counted: bool
    # How many of the article's views a `view_count` read before this call lacks (the caller's
    # `recent_views`, so that `live_view_count` shows them).
    recent: int
    # (views, comments) as readers should see them now, when counting learnt them for free (in
    # buffered mode, from the same Redis step); else None.
    live: tuple[int, int] | None = None


def record_view(
    *, article_id: int, seen_key: str | None = None, window_seconds: int = 0
) -> RecordedView:
    """Count one view of the article today.

    With `seen_key`, only if that cache key is not set yet, and it is then set for
    `window_seconds` (an atomic `cache.add`; in buffered mode the same Redis step as the count).
    """
    if not view_buffer.is_enabled():
        # A visitor already counted (every reload, every return within the window; what a busy
        # article mostly serves) costs one read, without taking the database cache's write lock.
        if seen_key is not None and cache.has_key(seen_key):
            return RecordedView(counted=False, recent=0)
        # With the database cache (`make run`) the seen marker joins the count's transaction: one
        # write lock instead of two, and a count that fails leaves no marker behind.
        with transaction.atomic():
            if seen_key is not None and not cache.add(seen_key, 1, timeout=window_seconds):
                return RecordedView(counted=False, recent=0)
            add_views({(article_id, timezone.localdate()): 1})
        return RecordedView(counted=True, recent=1)
    with view_buffer.redis_client().pipeline(transaction=False) as pipe:
        finish = queue_record_view(
            pipe, article_id=article_id, seen_key=seen_key, window_seconds=window_seconds
        )
        return finish(pipe.execute())


def queue_record_view(
    pipe, *, article_id: int, seen_key: str | None = None, window_seconds: int = 0
) -> Callable[[list], RecordedView]:
    """Buffered mode: `record_view` as a step queued on a pipeline that may carry other commands
    (the page cache's version check), and what turns its replies into the result. Whoever gets
    `flush_due` flushes when the result is taken."""
    finish = view_buffer.queue_increment(
        pipe,
        article_id=article_id,
        day=timezone.localdate(),
        seen_key=seen_key,
        window_seconds=window_seconds,
    )

    def on_replies(replies: list) -> RecordedView:
        buffered = finish(replies)
        if buffered.flush_due:
            try:
                flush_buffered_views()
            except (DatabaseError, *CACHE_OUTAGE):
                # Claimed or not, the views are safe in Redis and the next flush retries them; the
                # reader who happened to trigger this flush still gets the page, counted.
                logger.exception("Flushing buffered views failed; they stay in Redis.")
        return RecordedView(
            counted=buffered.counted, recent=buffered.pending_total, live=buffered.live
        )

    return on_replies


def attach_recent_views(articles: Iterable[Article]) -> None:
    """Set `recent_views` on each article so templates show live counts (no SQL; in buffered mode
    one Redis round trip for the whole list, two while a flush is under way)."""
    if not view_buffer.is_enabled():
        return
    articles = list(articles)
    try:
        pending = view_buffer.pending_totals([article.pk for article in articles])
    except CACHE_OUTAGE:
        logger.warning("Showing stored view counts only: cache unreachable", exc_info=True)
        return
    for article in articles:
        article.recent_views = pending.get(article.pk, 0)


def current_counts(article_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """(views, comments) as readers should see them now, for pages served from the page cache.

    Buffered mode: copies of the stored totals live in Redis next to the pending views and both
    come in one round trip; no SQL unless a copy is missing. Direct mode: one query by primary key.
    Copies in the cache would not pay there: the cache is either the database itself (`make run`'s
    database cache, where a copy costs what the row costs, plus a write on every view to keep it in
    step) or one process's memory (tests), never a store shared by several processes.
    """
    article_ids = list(article_ids)
    if not view_buffer.is_enabled():
        return _stored_counts(article_ids)
    if not article_ids:
        return {}
    with view_buffer.redis_client().pipeline(transaction=False) as pipe:
        finish = queue_current_counts(pipe, article_ids)
        return finish(pipe.execute())


def queue_current_counts(
    pipe, article_ids: list[int]
) -> Callable[[list], dict[int, tuple[int, int]]]:
    """Buffered mode: queue the Redis reads of `current_counts` on a pipeline that may carry other
    reads too (the page cache's version check), and return what turns their replies into its
    result. `article_ids` must not be empty."""
    view_buffer.queue_live_counts(pipe, article_ids)

    def finish(replies: list) -> dict[int, tuple[int, int]]:
        counts, pending = view_buffer.live_counts_from(article_ids, replies)
        missing = [pk for pk in article_ids if pk not in counts]
        if missing:
            fetched = _stored_counts(missing)
            view_buffer.remember_stored(fetched)
            counts.update(fetched)
        return {
            pk: (views + pending.get(pk, 0), comments) for pk, (views, comments) in counts.items()
        }

    return finish


def _stored_counts(article_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not article_ids:
        return {}
    # Plain SQL: in direct mode this runs on every cached page, and building the equivalent ORM
    # query (with the model's default ordering) cost about half of serving a cached home page.
    quote = connection.ops.quote_name
    articles, pk, view_count, comment_count = map(
        quote, (Article._meta.db_table, "id", "view_count", "comment_count")
    )
    placeholders = ", ".join(["%s"] * len(article_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {view_count}, {comment_count} FROM {articles} "
            f"WHERE {pk} IN ({placeholders})",
            article_ids,
        )
        return {pk: (views, comments) for pk, views, comments in cursor.fetchall()}


def forget_counts(article_ids: Iterable[int], *, views=True, comments=True) -> None:
    """The stored totals of these articles changed: in buffered mode, drop the copies in Redis now
    and once committed (a reader may copy the old row in between)."""
    article_ids = list(article_ids)
    if not article_ids or not view_buffer.is_enabled():
        return

    def forget():
        try:
            view_buffer.forget_stored(article_ids, views=views, comments=comments)
        except CACHE_OUTAGE:
            logger.error(
                "Cache unreachable: cached counts of %s not dropped", article_ids, exc_info=True
            )

    forget()
    transaction.on_commit(forget)


@dataclass(frozen=True)
class FlushResult:
    batches: int = 0
    views: int = 0
    articles: int = 0


def flush_buffered_views() -> FlushResult:
    """Write buffered views to the database; safe to run at any time, concurrently, or again.

    First retries batches an earlier flush claimed but did not finish, then claims what is pending.
    Each batch is applied in one transaction that also records its id, so a batch is applied once
    even if a flush dies after committing and before deleting the batch from Redis.
    """
    if not view_buffer.is_enabled():
        return FlushResult()
    batch_ids = view_buffer.batch_ids()
    new_batch = view_buffer.claim_batch()
    if new_batch:
        batch_ids.append(new_batch)
    views, articles = 0, set()
    for batch_id in batch_ids:
        counts = view_buffer.batch_counts(batch_id)
        applied = apply_batch(batch_id=batch_id, counts=counts) if counts else {}
        views += sum(applied.values())
        articles.update(article_id for article_id, _ in applied)
        view_buffer.discard_batch(batch_id)
    return FlushResult(batches=len(batch_ids), views=views, articles=len(articles))


def apply_batch(
    *, batch_id: str, counts: Mapping[tuple[int, date], int]
) -> dict[tuple[int, date], int]:
    """Apply one claimed batch once; returns what it wrote (nothing if applied before)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                AppliedViewBatch.objects.create(batch_id=batch_id)
        except IntegrityError:
            return {}
        # Views of an article deleted since they were counted have nowhere to go.
        existing = set(
            Article.objects.filter(pk__in={pk for pk, _ in counts}).values_list("pk", flat=True)
        )
        applied = {key: views for key, views in counts.items() if key[0] in existing}
        add_views(applied)
        forget_counts({article_id for article_id, _ in applied}, comments=False)
        AppliedViewBatch.objects.filter(
            applied_at__lt=timezone.now() - APPLIED_BATCH_RETENTION
        ).delete()
    return applied
