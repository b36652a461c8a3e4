"""What link previews and feeds say about an article's cover image: its absolute address, its real
pixel size (Open Graph, JSON-LD), its byte size and type (RSS enclosures).

Reading these from the file costs storage I/O on every page and every feed item (a network round
trip on object storage), so they are cached under the file's name: an upload never reuses a stored
name, so an entry can never describe another image. A missing or unreadable file means "no cover"
for previews, never an error page; a cache outage only costs the file read.
"""

import logging
import mimetypes
from dataclasses import dataclass

from django.core.cache import cache

from newsroom.visitors import CACHE_OUTAGE

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


def _read(field_file):
    try:
        return field_file.width, field_file.height, field_file.size
    except (OSError, ValueError):
        logger.warning("Cover image %s cannot be read", field_file.name, exc_info=True)
        return None


def _facts(field_file):
    """(width, height, bytes) of the file, from the cache when it was read before."""
    key = f"cover-facts:{field_file.name}"
    try:
        facts = cache.get(key)
        if facts is None:
            facts = _read(field_file)
            if facts is not None:
                cache.set(key, facts, CACHE_SECONDS)
        return facts
    except CACHE_OUTAGE:
        return _read(field_file)


def cover_of(article) -> Cover | None:
    """The article's cover as previews and feeds describe it, or None."""
    field_file = article.cover_image
    facts = _facts(field_file) if field_file else None
    if facts is None:
        return None
    width, height, length = facts
    mime_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    return Cover(absolute_url(field_file.url), width, height, length, mime_type)
