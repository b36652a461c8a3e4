"""Who is asking, without remembering who anybody is.

View counting and comment rate limits both need to tell one anonymous visitor from another. They
share these two functions so that the project has one answer to "what is the client's address" and
one privacy rule: a raw IP address is never stored anywhere. A visitor is identified by a keyed hash
of address and user agent whose key (the salt) is random, kept only in the cache, and replaced
every day, so yesterday's identifiers cannot be linked to today's, nor reversed by anyone holding
the code or `SECRET_KEY`.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

SALT_TTL_SECONDS = 2 * 24 * 60 * 60


def client_address(request) -> str:
    """The client's IP address.

    `REMOTE_ADDR` unless `TRUSTED_PROXY_COUNT` says how many proxies we run in front of the app;
    then the address those proxies saw, counted from the right of `X-Forwarded-For` (entries further
    left are written by the client and can be forged).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def daily_salt() -> bytes:
    """Today's random salt, shared by every process through the cache and dropped after it."""
    key = f"visitors:salt:{timezone.now().date().isoformat()}"
    cache.add(key, secrets.token_hex(32), SALT_TTL_SECONDS)
    return cache.get(key).encode()


def fingerprint(request, purpose: str = "") -> str:
    """An opaque identifier for this visitor today; `purpose` keeps uses from being linkable."""
    material = "\n".join(
        [purpose, client_address(request), request.META.get("HTTP_USER_AGENT", "")]
    )
    return hmac.new(daily_salt(), material.encode(), hashlib.sha256).hexdigest()
