"""How many comments one visitor may post: a fixed window counted in the shared cache.

The visitor is the daily-salted fingerprint of the client address from `newsroom.visitors` (never
the address itself; not the user agent either, which a client can change at will), and the counter
lives in the cache so that every app server shares it when the site runs on Redis. `add`
then `incr` are both atomic there, so concurrent posts cannot slip past the limit together.

What counts is a post the site accepted — stored (whatever the policy decided, spam included) or
dropped by the honeypot. A post sent back with form errors (a typo in the email, an empty field)
does not: the view reserves a place with `allow_post` before looking at the form, atomically, and
hands it back with `refund_post` when the form is invalid. Reserving first keeps the check and the
count one atomic step; refunding keeps typos from locking a reader out.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from newsroom.visitors import CACHE_OUTAGE, fingerprint

logger = logging.getLogger(__name__)


def parse_rate(rate: str) -> tuple[int, int]:
    """`"5/600"` → (5 posts, 600 seconds)."""
    try:
        posts, seconds = (int(part) for part in rate.split("/"))
    except ValueError:
        posts = seconds = 0
    if posts < 1 or seconds < 1:
        raise ImproperlyConfigured(
            f'COMMENTS_RATE_LIMIT must be "<posts>/<seconds>" with both at least 1, like "5/600", '
            f"not {rate!r}"
        )
    return posts, seconds


def cache_key(request) -> str:
    return f"comments:rate:{fingerprint(request, purpose='comment-rate', include_agent=False)}"


def allow_post(request) -> bool:
    """Count one post by this visitor; False once they are over the limit for this window.

    Fails open when the cache is unreachable: the moderation policy still judges every comment,
    and a reader's words are not lost to an outage.
    """
    try:
        return _count_post(request)
    except CACHE_OUTAGE:
        logger.warning("Comment rate limit not applied: cache unreachable", exc_info=True)
        return True


def _count_post(request) -> bool:
    posts, seconds = parse_rate(settings.COMMENTS_RATE_LIMIT)
    key = cache_key(request)
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window expired between add and incr: this post opens a new one.
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count <= posts


def refund_post(request) -> None:
    """Give back the place `allow_post` reserved, for a post that was not accepted."""
    try:
        cache.decr(cache_key(request))
    except ValueError:
        pass  # The window expired meanwhile: nothing left to give back.
    except CACHE_OUTAGE:
        logger.warning("Comment rate limit not refunded: cache unreachable", exc_info=True)


def window_seconds() -> int:
    return parse_rate(settings.COMMENTS_RATE_LIMIT)[1]
