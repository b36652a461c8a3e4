"""Absolute URLs, from one place: the configured `SITE_URL`, never the request's Host header.

Feeds, canonical links, sitemaps and emails all need the site's public address; a Host header is
chosen by the client, so building links from it would let anyone point them elsewhere.
"""

from urllib.parse import urljoin

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (e.g. from `reverse()` or `get_absolute_url()`) on the site's public address."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/"))
