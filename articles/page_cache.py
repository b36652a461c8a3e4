"""What the articles app tells the page cache: live counts, counting a view on a hit, and when its
pages change (any article, tag or author profile saved or deleted; a scheduled article going live;
an article's comments changing)."""

import logging

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import ngettext

from pagecache import registry, store
from visitors.identity import CACHE_OUTAGE

from . import counters, tracking
from .models import Article, AuthorProfile, Tag

logger = logging.getLogger(__name__)


def article_scope(article_id) -> str:
    return f"article:{article_id}"


def comments_changed(*, article_ids) -> None:
    """An article's public comments changed: its page and its live comment count are out of date."""
    store.invalidate(*(article_scope(pk) for pk in article_ids))
    counters.forget_counts(article_ids, views=False)


def views_label(count: int) -> str:
    return escape(ngettext("%(count)s view", "%(count)s views", count) % {"count": intcomma(count)})


def comments_label(count: int) -> str:
    return escape(
        ngettext("%(count)s comment", "%(count)s comments", count) % {"count": intcomma(count)}
    )


VIEWS, COMMENTS = "views", "comments"
COUNT_FRAGMENTS = (VIEWS, COMMENTS)
COUNT_VIEW = "count-view"


def _article_ids(keys) -> list[int]:
    return sorted({int(key) for key in keys if key.isdigit()})


def _load(position):
    def load(request, keys):
        # Views and comments are shown side by side: load both once per request.
        wanted = _article_ids(keys)
        memo = getattr(request, "_live_counts", None)
        if memo is None or memo[0] != wanted:
            memo = request._live_counts = (wanted, counters.current_counts(wanted))
        return {str(pk): values[position] for pk, values in memo[1].items()}

    return load


def _prefetch_counts(request, entry, pipe):
    """On Redis, read a stored page's counts with its version tokens: a list page's hit is then one
    round trip.

    Not for a page whose hit counts a view: its counting step reads the counts itself, after the
    view (queued ahead of this on the process's own copy); and when a page from the shared store is
    served, counting runs after these replies, which would lack its view whenever counting cannot
    supply the counts (a flush under way).
    """
    if any(hook == COUNT_VIEW for hook, _ in entry.hooks):
        return None
    # One read for both kinds, as `_load` expects: the templates show views and comments together.
    wanted = _article_ids(slot.key for slot in entry.slots if slot.name in COUNT_FRAGMENTS)
    if not wanted:
        return None
    finish = counters.queue_current_counts(pipe, wanted)

    def remember(replies):
        request._live_counts = (wanted, finish(replies))

    return remember


def _count_view_on_hit(request, article_id: str) -> None:
    article_id = int(article_id)
    _show_counted(
        request, article_id, tracking.track_cached_view(request=request, article_id=article_id)
    )


def _queue_view_count(request, article_id: str, pipe):
    """On Redis, count the view in the same round trip as the page's version check."""
    article_id = int(article_id)
    finish = tracking.queue_cached_view(request=request, article_id=article_id, pipe=pipe)
    if finish is None:
        return None
    return lambda replies: _show_counted(request, article_id, finish(replies))


def _show_counted(request, article_id: int, recorded) -> None:
    if recorded is not None and recorded.live is not None:
        # Counting read the page's counts in the same step: the fill that follows needs no more.
        request._live_counts = ([article_id], {article_id: recorded.live})


def next_publication():
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def _site_changed(sender, **kwargs):
    store.invalidate_site()


def _article_changed(sender, **kwargs):
    store.invalidate_site()
    _refresh_schedule()
    transaction.on_commit(_refresh_schedule)


def _refresh_schedule():
    try:
        store.refresh_schedule()
    except CACHE_OUTAGE:
        logger.error("Cache unreachable: next scheduled publication not recorded", exc_info=True)


def connect() -> None:
    registry.register_fragment(VIEWS, render=views_label, load=_load(0))
    registry.register_fragment(COMMENTS, render=comments_label, load=_load(1))
    registry.register_hit_hook(COUNT_VIEW, _count_view_on_hit, queue=_queue_view_count)
    registry.register_hit_prefetch("counts", _prefetch_counts)
    registry.register_change_schedule(next_publication)
    post_save.connect(_article_changed, sender=Article, dispatch_uid="pagecache-article")
    post_delete.connect(_article_changed, sender=Article, dispatch_uid="pagecache-article-delete")
    for model in (Tag, AuthorProfile):
        post_save.connect(_site_changed, sender=model, dispatch_uid=f"pagecache-{model.__name__}")
        post_delete.connect(
            _site_changed, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}"
        )
    m2m_changed.connect(_site_changed, sender=Article.tags.through, dispatch_uid="pagecache-tags")
