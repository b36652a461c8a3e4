"""Where counted views are stored, and the counts readers see.

Two modes, chosen by the cache (no setting to forget):

- Direct (local-memory or any non-Redis cache): each counted view is ONE statement, an upsert of
  today's `DailyArticleViews` row; the database trigger in `articles.db_triggers` adds the same
  amount to `Article.view_count`. Atomic, no read-modify-write, and an editor's admin save never
  touches the counter column (`Article.save()` leaves it out).
- Buffered (`CACHE_URL=redis://...`): a counted view is one Redis transaction and no SQL. Pending
  views are flushed to the database in batches, with the same upsert, by `flush_views` or by the
  request that finds a flush due (at most once per VIEW_FLUSH_INTERVAL seconds). Readers see the
  database total plus the pending part. See docs/view-counting.md for crash and Redis-loss costs.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

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
    """Add views to day rows (and, through the trigger, to totals): one upsert per 500 rows.

    Rows are written in (article, day) order so that concurrent flushes lock rows in the same
    order and cannot deadlock.
    """
    rows = sorted((key, views) for key, views in counts.items() if views)
    table = connection.ops.quote_name(DailyArticleViews._meta.db_table)
    for start in range(0, len(rows), UPSERT_CHUNK):
        chunk = rows[start : start + UPSERT_CHUNK]
        placeholders = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params = [value for (article_id, day), views in chunk for value in (article_id, day, views)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (article_id, day, views) VALUES {placeholders} "
                f"ON CONFLICT (article_id, day) "
                f"DO UPDATE SET views = {table}.views + excluded.views",
                params,
            )


def record_view(*, article: Article) -> None:
    """Count one view of `article` today; afterwards `article.live_view_count` includes it."""
    today = timezone.localdate()
    if not view_buffer.is_enabled():
        add_views({(article.pk, today): 1})
        article.recent_views += 1
        return
    article.recent_views, flush_due = view_buffer.increment(article_id=article.pk, day=today)
    if flush_due:
        try:
            flush_buffered_views()
        except DatabaseError:
            # The views are safe in Redis and the next flush retries them; the reader who happened
            # to trigger this flush still gets the page.
            logger.exception("Flushing buffered views failed; they stay in Redis.")


def attach_recent_views(articles: Iterable[Article]) -> None:
    """Set `recent_views` on each article so templates show live counts (no SQL; in buffered mode
    two Redis round trips for the whole list)."""
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
        AppliedViewBatch.objects.filter(
            applied_at__lt=timezone.now() - APPLIED_BATCH_RETENTION
        ).delete()
    return applied
