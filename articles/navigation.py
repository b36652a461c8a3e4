"""The site header's tags: chosen in the admin (`Tag.show_in_navigation`, `navigation_order`).

Every page shows them, so they are read once and cached (`NAVIGATION_CACHE_SECONDS`); saving or
deleting any tag clears the cache, so an editor's change shows on the next request. A page therefore
spends at most one query on the header, and none while the cache is warm. A cache outage costs the
query, never the page.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from visitors.identity import CACHE_OUTAGE

from .models import Tag

logger = logging.getLogger(__name__)

CACHE_KEY = "navigation:tags"


def _load() -> list[dict]:
    return [
        {"name": tag.name, "url": tag.get_absolute_url()}
        for tag in Tag.objects.in_navigation().only("name", "slug")
    ]


def navigation_tags() -> list[dict]:
    """[{"name", "url"}] of the header's tags, in order."""
    try:
        tags = cache.get(CACHE_KEY)
    except CACHE_OUTAGE:
        logger.warning("Navigation read from the database: cache unreachable", exc_info=True)
        return _load()
    if tags is None:
        tags = _load()
        try:
            cache.set(CACHE_KEY, tags, settings.NAVIGATION_CACHE_SECONDS)
        except CACHE_OUTAGE:
            logger.warning("Navigation not cached: cache unreachable", exc_info=True)
    return tags


@receiver(post_save, sender=Tag, dispatch_uid="navigation-tag-saved")
@receiver(post_delete, sender=Tag, dispatch_uid="navigation-tag-deleted")
def forget_navigation_tags(**kwargs):
    try:
        cache.delete(CACHE_KEY)
    except CACHE_OUTAGE:
        # The header shows the old tags until the entry expires (NAVIGATION_CACHE_SECONDS).
        logger.error("Navigation cache not cleared: cache unreachable", exc_info=True)
