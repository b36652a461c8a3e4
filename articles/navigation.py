"""The site header's tags: chosen in the admin (`Tag.show_in_navigation`, `navigation_order`).

Every page shows them, so they are read once and cached (`NAVIGATION_CACHE_SECONDS`); saving or
deleting any tag clears the cache, so an editor's change shows on the next request. A page therefore
spends at most one query on the header, and none while the cache is warm.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Tag

CACHE_KEY = "navigation:tags"


def navigation_tags() -> list[dict]:
    """[{"name", "url"}] of the header's tags, in order."""
    tags = cache.get(CACHE_KEY)
    if tags is None:
        tags = [
            {"name": tag.name, "url": tag.get_absolute_url()}
            for tag in Tag.objects.in_navigation().only("name", "slug")
        ]
        cache.set(CACHE_KEY, tags, settings.NAVIGATION_CACHE_SECONDS)
    return tags


@receiver(post_save, sender=Tag, dispatch_uid="navigation-tag-saved")
@receiver(post_delete, sender=Tag, dispatch_uid="navigation-tag-deleted")
def forget_navigation_tags(**kwargs):
    cache.delete(CACHE_KEY)
