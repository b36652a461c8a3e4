"""What link previews and feeds say about an article's cover image (its largest JPEG rendition, or
the original upload when it has none): its absolute address, its real pixel size (Open Graph,
JSON-LD), its byte size and type (RSS enclosures).

Reading these from the file costs storage I/O on every page and every feed item (a network round
trip on object storage), so they are cached under the file's name: an upload never reuses a stored
name, so an entry can never describe another image. A missing or unreadable file means "no cover"
for previews, never an error page; a cache outage only costs the file read.
"""

import logging
import mimetypes
from dataclasses import dataclass

from django.core.cache import cache

from visitors.identity import CACHE_OUTAGE

from .site import absolute_url

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60 * 60 * 24 * 30


@dataclass(frozen=True)
class Cover:
    url: str
    width: int
    height: int
    length: int
    mime_type: str


def _facts(name, read):
    """(width, height, bytes) of the stored file `name`, cached after the first `read()`; None when
    the file cannot be read."""
    key = f"cover-facts:{name}"
    try:
        facts = cache.get(key)
    except CACHE_OUTAGE:
        facts = None
    if facts is None:
        try:
            facts = read()
        except (OSError, ValueError):
            logger.warning("Cover image %s cannot be read", name, exc_info=True)
            return None
        try:
            cache.set(key, facts, CACHE_SECONDS)
        except CACHE_OUTAGE:
            logger.warning("Cover facts not cached: cache unreachable", exc_info=True)
    return facts


def cover_of(article) -> Cover | None:
    """The article's cover as previews and feeds describe it, or None.

    The largest JPEG rendition when the image has renditions (every reader and network takes JPEG,
    and a rendition is at most 1600 px wide: `articles.images`), else the original upload.
    """
    field_file = article.cover_image
    if not field_file:
        return None
    renditions = article.cover_renditions or {}
    if renditions.get("source") == field_file.name and renditions.get("jpeg"):
        name = renditions["jpeg"][-1][1]
        width, height = renditions["width"], renditions["height"]
        facts = _facts(name, lambda: (width, height, field_file.storage.size(name)))
        url = field_file.storage.url(name)
    else:
        name = field_file.name
        facts = _facts(name, lambda: (field_file.width, field_file.height, field_file.size))
        url = field_file.url
    if facts is None:
        return None
    width, height, length = facts
    mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Cover(absolute_url(url), width, height, length, mime_type)
