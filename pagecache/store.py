"""Stored pages and the version tokens that keep them exact.

A version token is random, not a counter: if the cache evicts it, a new token simply makes every
page that depended on it a miss, which is always safe. So invalidating a scope deletes its token
(the next render creates a fresh one), and tokens expire (`token_seconds`). Both keep the number of
tokens bounded by what readers recently asked for, not by the archive: setting a new token for
every article whose comments changed left 62,000 permanent rows after loading a 100,000-article
corpus, and `make run`'s database cache counts all its rows on every write, so each counted view
on SQLite had slowed to two thirds.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.db import transaction
from django.utils import timezone

from visitors.identity import CACHE_OUTAGE

from . import registry, shared_redis

logger = logging.getLogger(__name__)

PREFIX = "pagecache"
SITE = "site"


@dataclass
class Entry:
    body: bytes
    headers: dict[str, str]
    versions: dict[str, str]
    stale_at: float
    # Where the live parts of `body` are (`fragments.locate`).
    slots: tuple = ()
    # The stretches between live parts, each compressed once (`compression.deflate_stretches`);
    # None for a page too short to compress.
    deflated: tuple | None = None
    hooks: list[tuple[str, str]] = field(default_factory=list)


# Part of every page key: raised whenever `Entry` changes shape, so that entries pickled by the
# previous release (still in Redis during a deploy) are never read by this one.
ENTRY_LAYOUT = 2


def page_key(path: str) -> str:
    return f"{PREFIX}:page:{ENTRY_LAYOUT}:{hashlib.sha256(path.encode()).hexdigest()}"


def _version_key(scope: str) -> str:
    return f"{PREFIX}:version:{scope}"


def token_seconds() -> int:
    """How long a version token lives: twice as long as a page that recorded it may be served, so a
    token expiring only cuts short the pages rendered in the second half of its life."""
    return 2 * settings.PAGE_CACHE_SECONDS


def versions(scopes) -> dict[str, str]:
    """The current token of each scope, creating missing ones (one round trip when all exist)."""
    scopes = list(scopes)
    found = cache.get_many([_version_key(scope) for scope in scopes])
    current = {}
    for scope in scopes:
        token = found.get(_version_key(scope))
        if token is None:
            cache.add(_version_key(scope), secrets.token_hex(8), timeout=token_seconds())
            token = cache.get(_version_key(scope))
        current[scope] = token
    return current


def invalidate(*scopes: str) -> None:
    """Retire every stored page that depends on these scopes: now, and again once the current
    transaction commits.

    Now, so that the writer's own transaction sees the change; after the commit too, because a
    reader who rendered the old rows in between may have stored them under the token it created.
    """
    drop(*scopes)
    transaction.on_commit(lambda: drop(*scopes))


def drop(*scopes: str) -> None:
    """Delete these scopes' tokens at once (`invalidate()` is what writers call)."""
    try:
        cache.delete_many([_version_key(scope) for scope in scopes])
    except CACHE_OUTAGE:
        # The write itself must not fail for the cache; pages stored before the outage may be
        # served until PAGE_CACHE_SECONDS, which the log makes visible.
        logger.error("Page cache unreachable: could not invalidate %s", scopes, exc_info=True)


def invalidate_site() -> None:
    invalidate(SITE)


def lookup(key: str, request=None) -> Entry | None:
    """The stored page if it is still current.

    The process's own copy is tried first: a hit then costs one small read of the shared version
    tokens instead of fetching the whole page too. On Redis, with a `request`, the registered hit
    prefetches and the page's queueable hit hooks go in that same round trip. A copy that is out of
    date may only mean another process stored a newer render, so the shared store is asked before
    giving up; the copy is dropped, so that its hooks run ahead of a check at most once.
    """
    local = caches["local"]
    entry = local.get(key)
    if isinstance(entry, Entry):
        if is_current(entry, request, run_hooks=True):
            return entry
        local.delete(key)
    entry = cache.get(key)
    if not isinstance(entry, Entry) or not is_current(entry, request):
        return None
    _keep_locally(key, entry)
    return entry


def hooks_already_run(request) -> set[tuple[str, str]]:
    """The hit hooks (name, argument) that already ran for this request, queued with its check."""
    if not hasattr(request, "_page_cache_hooks_run"):
        request._page_cache_hooks_run = set()
    return request._page_cache_hooks_run


def is_current(entry: Entry, request=None, *, run_hooks=False) -> bool:
    """Whether `entry` may still be served. With a `request` on Redis, the registered hit prefetches
    have run too if it is current, and with `run_hooks` the entry's queueable hit hooks in any case
    (their reads and writes went in the same round trip as the tokens)."""
    if timezone.now().timestamp() >= entry.stale_at:
        return False
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not shared_redis.is_redis(backend):
        return versions(entry.versions) == entry.versions
    return _is_current_on_redis(entry, request, backend, run_hooks=run_hooks)


def _is_current_on_redis(entry: Entry, request, backend, *, run_hooks: bool) -> bool:
    """`is_current` in one pipelined round trip: the tokens, plus what hooks and prefetches queue.

    A missing token means the page is not current; unlike `versions()` this leaves creating it to
    the render that follows, which asks for the tokens it depends on anyway.
    """
    scopes = list(entry.versions)
    queues = [
        ((name, argument), registry.hit_hooks[name].queue)
        for name, argument in (entry.hooks if run_hooks and request is not None else ())
        if registry.hit_hooks[name].queue is not None
    ]
    with shared_redis.client(backend).pipeline(transaction=False) as pipe:
        pipe.mget([backend.make_key(_version_key(scope)) for scope in scopes])
        hooks = [(hook, _queued(pipe, queue, request, hook[1])) for hook, queue in queues]
        prefetches = [
            _queued(pipe, prefetch, request, entry)
            for prefetch in (registry.hit_prefetches.values() if request is not None else ())
        ]
        replies = pipe.execute()
    for hook, finish in hooks:
        # A hook that queued nothing runs as usual when the page is served.
        if finish is not None:
            hooks_already_run(request).add(hook)
            finish(replies)
    current = all(
        raw is not None and shared_redis.decode(backend, raw) == entry.versions[scope]
        for scope, raw in zip(scopes, replies[0], strict=True)
    )
    if current:
        for finish in filter(None, prefetches):
            finish(replies)
    return current


def _queued(pipe, step, *arguments):
    """Let `step` queue its commands on `pipe`; returns what hands it the replies to exactly those
    commands out of all the pipeline's, or None if it queued nothing."""
    start = len(pipe)
    finish = step(*arguments, pipe)
    if finish is None:
        return None
    end = len(pipe)
    return lambda replies: finish(replies[start:end])


def save(key: str, entry: Entry) -> None:
    cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
    _keep_locally(key, entry)


def _keep_locally(key: str, entry: Entry) -> None:
    remaining = entry.stale_at - timezone.now().timestamp()
    if remaining > 0:
        caches["local"].set(key, entry, timeout=remaining)


def stale_at() -> float:
    """When a page rendered now stops being served: PAGE_CACHE_SECONDS from now (which bounds how
    old its "most read" sidebar gets, in every process's copy alike), or earlier if a scheduled
    article goes live before then."""
    limit = timezone.now().timestamp() + settings.PAGE_CACHE_SECONDS
    scheduled = next_scheduled_change()
    return limit if scheduled is None else min(limit, scheduled)


NEXT_CHANGE_KEY = f"{PREFIX}:next-change"


def next_scheduled_change() -> float | None:
    """The next moment the site changes by itself (a scheduled article going live), as a timestamp.

    Kept in the cache and recomputed by `refresh_schedule()` when content is saved, when the cache
    lost it, or once that moment has passed.
    """
    known = cache.get(NEXT_CHANGE_KEY)
    if known is None or (known and known <= timezone.now().timestamp()):
        return refresh_schedule()
    return known or None


def refresh_schedule() -> float | None:
    """Ask every registered schedule for its next change and remember the earliest."""
    moments: list[datetime] = [
        when for schedule in registry.change_schedules if (when := schedule())
    ]
    upcoming = min((moment.timestamp() for moment in moments), default=None)
    cache.set(NEXT_CHANGE_KEY, upcoming or 0, timeout=None)
    return upcoming
