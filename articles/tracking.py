"""What counts as a view of an article. Every rule lives here.

A view is counted when ALL of these hold:

1. The request is a GET (not HEAD, not any other method) and the page answered 200.
2. The article is published: previews of drafts and scheduled articles never count.
3. The reader is not the article's author and not staff.
4. The client is a browser: known crawlers, bots, link-preview fetchers (Slack, Facebook, WhatsApp,
   Twitter/X, Discord, Telegram...) and HTTP libraries are recognised by the maintained
   `crawlerdetect` list; a request without a User-Agent is not counted either, nor a speculative
   prefetch or prerender (`Sec-Purpose` / `Purpose: prefetch`), which nobody may ever look at.
5. The same visitor has not been counted for this article within VIEW_COUNT_WINDOW_MINUTES
   (default 30).

"Same visitor" is `visitors.identity.fingerprint`: a keyed hash of client address and user agent
whose key is random, kept only in the cache and replaced daily. Deciding it stores nothing in the
database, creates no session and sets no cookie of its own: the only trace is a cache key made of
that hash and the article id, which expires with the window. No IP address is stored anywhere.
Side effect of the daily key: a visitor reading across the key change may be counted once more.

Storage (direct upsert or Redis buffer) is `articles.counters`' business, not this module's.
"""

import logging
from collections.abc import Callable

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.utils.translation import ngettext

from visitors.identity import CACHE_OUTAGE, fingerprint

from . import counters

logger = logging.getLogger(__name__)

# One shared detector: it compiles its pattern list once and caches verdicts per user agent.
_crawlers = CrawlerDetect()


def is_crawler(user_agent: str) -> bool:
    return not user_agent.strip() or _crawlers.is_crawler(user_agent)


def is_speculative(request) -> bool:
    """A browser fetching a page in case the reader follows a link (prefetch or prerender)."""
    purpose = request.headers.get("Sec-Purpose") or request.headers.get("Purpose") or ""
    return "prefetch" in purpose


def is_countable_client(request) -> bool:
    """Rules 1 and 4: a GET from a browser that means to look at the page."""
    if request.method != "GET":
        return False
    return not (is_crawler(request.META.get("HTTP_USER_AGENT", "")) or is_speculative(request))


def is_countable(*, request, response, article) -> bool:
    """Rules 1-4: everything except the repeat-visit window. Touches neither database nor cache
    for anonymous readers (`request.user` without a session cookie needs no query)."""
    if response.status_code != 200 or not article.is_published:
        return False
    if not is_countable_client(request):
        return False
    user = request.user
    return not (user.is_authenticated and (user.is_staff or user.pk == article.author_id))


def seen_key(*, request, article_id: int) -> str:
    """Rule 5: the cache key that marks this visitor as counted for this article in the window;
    `counters.record_view` sets it and counts in one atomic step."""
    return f"views:seen:{article_id}:{fingerprint(request, purpose='view')}"


def track_view(*, request, response, article) -> bool:
    """Count this request as a view of `article` if the rules say so; returns whether
    `article.live_view_count` shows the view now (if not, the caller attaches the pending views)."""
    if not is_countable(request=request, response=response, article=article):
        return False
    if article.pk in _counted_ahead(request):
        # Counted with the page cache's version check, before `article` was read: not again, and
        # the pending total that step returned may have been flushed into the row since.
        return False
    recorded = _count_first_view(request=request, article_id=article.pk)
    if recorded is None or not recorded.counted:
        return False
    article.recent_views = recorded.recent
    return True


def track_cached_view(*, request, article_id: int) -> counters.RecordedView | None:
    """The same rules for an article page served from the page cache; None if the request is not
    one to count (or the cache is down).

    Only published articles' pages are stored and only anonymous readers are served them (who are
    neither staff nor the author), so rules 2 and 3 hold already.
    """
    if not is_countable_client(request):
        return None
    return _count_first_view(request=request, article_id=article_id)


def queue_cached_view(
    *, request, article_id: int, pipe
) -> Callable[[list], counters.RecordedView] | None:
    """`track_cached_view` as a step on a Redis pipeline (buffered mode), for the page cache to send
    with its version check; None if there is nothing to count.

    The view is counted even if the stored page then proves out of date: the request is rendered
    instead, and its `track_view` finds this view recorded rather than counting it again.
    """
    if not is_countable_client(request):
        return None
    finish = counters.queue_record_view(
        pipe,
        article_id=article_id,
        seen_key=seen_key(request=request, article_id=article_id),
        window_seconds=settings.VIEW_COUNT_WINDOW_MINUTES * 60,
    )

    def on_replies(replies: list) -> counters.RecordedView:
        _counted_ahead(request).add(article_id)
        return finish(replies)

    return on_replies


def _counted_ahead(request) -> set[int]:
    """Articles whose view this request counted with the page cache's version check: one request
    is one view at most, also when the stored page proved outdated and is rendered instead."""
    if not hasattr(request, "_views_counted_ahead"):
        request._views_counted_ahead = set()
    return request._views_counted_ahead


def _count_first_view(*, request, article_id: int) -> counters.RecordedView | None:
    try:
        return counters.record_view(
            article_id=article_id,
            seen_key=seen_key(request=request, article_id=article_id),
            window_seconds=settings.VIEW_COUNT_WINDOW_MINUTES * 60,
        )
    except CACHE_OUTAGE:
        logger.warning(
            "View of article %s not counted: cache unreachable", article_id, exc_info=True
        )
        return None


def counting_rule() -> str:
    """The rule in one sentence, for the tooltip next to every view count."""
    minutes = settings.VIEW_COUNT_WINDOW_MINUTES
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext(
            "Counted once per visitor every hour; bots, the author and staff are not counted.",
            "Counted once per visitor every %(count)d hours; bots, the author and staff are not "
            "counted.",
            hours,
        ) % {"count": hours}
    return ngettext(
        "Counted once per visitor every minute; bots, the author and staff are not counted.",
        "Counted once per visitor every %(count)d minutes; bots, the author and staff are not "
        "counted.",
        minutes,
    ) % {"count": minutes}
