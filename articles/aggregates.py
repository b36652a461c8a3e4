"""Whole-table numbers that reader pages show, computed once per content change instead of per page.

Some reader queries read every published article (or every day row of the week) by nature: the
pagination count of a list, the archive's months, the sitemap's tags and authors, "most read this
week". At 100,000 articles each costs 10-350 ms on PostgreSQL, on every page-cache miss and on
every uncached page (deep list pages, sitemaps), so throughput would fall with table size.
An index cannot make an aggregate over N rows cheaper than reading N index entries (the home count
is already an index-only scan: 12 ms for 95,000 entries), so the results are remembered instead.

They stay exact with the page cache's own rules (`pagecache`): a value is stored under the current
version token of the `site` scope (any article, tag or author profile saved or deleted), read
*before* the database is, and is used only until `store.stale_at()` (the next scheduled article
going live, at most PAGE_CACHE_SECONDS away). So a remembered value is
never older than the cached page that would show it. A cache outage costs the query, never the page.
"""

import hashlib
import logging

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone

from pagecache import store
from visitors.identity import CACHE_OUTAGE

from .models import Article

logger = logging.getLogger(__name__)

PREFIX = "aggregate"


def remembered(name: str, compute):
    """`compute()`, or its value stored since the last change of the `site` scope."""
    try:
        tokens = store.versions([store.SITE])
        # Hashed: names may carry a reader's slug, and keys must stay short for every backend.
        stamp = repr((name, sorted(tokens.items())))
        key = f"{PREFIX}:{hashlib.sha256(stamp.encode()).hexdigest()[:32]}"
        stored = cache.get(key)
    except CACHE_OUTAGE:
        logger.warning("Aggregate %s read from the database: cache unreachable", name)
        return compute()
    now = timezone.now().timestamp()
    if stored is not None and now < stored[0]:
        return stored[1]
    value = compute()
    try:
        until = store.stale_at()
        if until > now:
            cache.set(key, (until, value), timeout=max(1, int(until - now) + 1))
    except CACHE_OUTAGE:
        logger.warning("Aggregate %s not stored: cache unreachable", name)
    return value


def paginator_count(name: str, paginator: Paginator) -> int:
    """`paginator.count` (a COUNT over everything the paginator lists), remembered under `name`."""
    return remembered(f"count:{name}", lambda: Paginator.count.func(paginator))


def archive_months() -> list[dict]:
    """`Article.objects.archive_months()`, remembered: a GROUP BY over every published article
    (160 ms at 100,000 articles, a sequential scan and a sort; no index avoids reading them all)."""
    return remembered("archive-months", lambda: list(Article.objects.archive_months()))


def most_read_since(day, limit: int) -> list:
    """The top `limit` of `Article.objects.most_read_since(day)`, remembered until content changes
    or PAGE_CACHE_SECONDS pass: it sums every day row of the week (76,000 rows, 90-130 ms at
    100,000 articles). New views therefore reach the list within PAGE_CACHE_SECONDS, the lag a
    cached page's sidebar has anyway; bumping a token on every counted view would cost two cache
    writes per view on the database cache."""
    return remembered(
        f"most-read:{day.isoformat()}:{limit}",
        lambda: list(
            Article.objects.most_read_since(day).only("title", "slug", "published_at")[:limit]
        ),
    )
