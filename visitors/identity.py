"""Who is asking, without remembering who anybody is.

View counting and comment rate limits both need to tell one anonymous visitor from another. They
share these two functions so that the project has one answer to "what is the client's address" and
one privacy rule: a raw IP address is never stored anywhere. A visitor is identified by a keyed hash
of address and user agent whose key (the salt) is random, kept only in the cache, and replaced
every day, so yesterday's identifiers cannot be linked to today's, nor reversed by anyone holding
the code or `SECRET_KEY`.

The one deliberate exception is staff sign-in: django-axes records the address (from
`client_address`, via `AXES_CLIENT_IP_CALLABLE`) of failed admin logins, to lock out password
guessing; those records expire with the cooling-off period and successful logins are not logged.
"""

import hashlib
import hmac
import secrets

import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone

SALT_TTL_SECONDS = 2 * 24 * 60 * 60
SALT_LOCAL_SECONDS = 60

# What an unreachable shared cache raises (redis-py's errors, or the socket's). Callers that can do
# without the cache (view counting, rate limits) catch these so an outage never costs the page.
CACHE_OUTAGE = (redis.RedisError, ConnectionError)


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
    """Today's random salt, shared by every process through the cache and dropped after it.

    Each process keeps its copy for SALT_LOCAL_SECONDS, which saves a shared-cache round trip on
    every counted view. Should the shared cache lose the salt (eviction, restart), a process may go
    on hashing with the old one for that long: a visitor could then be counted once more.
    """
    key = f"visitors:salt:{timezone.now().date().isoformat()}"
    local = caches["local"]
    salt = local.get(key)
    if salt is None:
        salt = cache.get(key)
        if salt is None:
            candidate = secrets.token_hex(32)
            cache.add(key, candidate, SALT_TTL_SECONDS)
            # Another process may have won the race: everybody uses the stored salt.
            salt = cache.get(key) or candidate
        local.set(key, salt, SALT_LOCAL_SECONDS)
    return salt.encode()


def fingerprint(request, purpose: str = "", *, include_agent: bool = True) -> str:
    """An opaque identifier for this visitor today; `purpose` keeps uses from being linkable.

    With `include_agent`, two browsers behind one address are two visitors (fair for counting
    readers); without it the address alone decides, which is what a limit needs, since a client
    can send any user agent it likes.
    """
    agent = request.META.get("HTTP_USER_AGENT", "") if include_agent else ""
    material = "\n".join([purpose, client_address(request), agent])
    return hmac.new(daily_salt(), material.encode(), hashlib.sha256).hexdigest()
