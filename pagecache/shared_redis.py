"""The redis-py client behind Django's Redis cache, for code that needs more than the cache API.

Django's cache API has no hashes, scripts or pipelines; the page cache needs a pipeline that mixes
its version reads with other apps' reads, and the view buffer needs atomic scripts. Django's
RedisCache has no public way to reach its client, so these functions hold the only private access
(`_cache` is Django's RedisCacheClient). They live here because the page cache is the lowest layer
of ours that talks to Redis beyond the cache API; `articles.view_buffer` uses them too.
"""

import redis
from django.core.cache.backends.redis import RedisCache


def is_redis(backend) -> bool:
    """Whether a backend (`caches[alias]`, not the `cache` proxy) is a Redis cache."""
    return isinstance(backend, RedisCache)


def client(backend) -> redis.Redis:
    """The primary's client, for reads too: scripts write, and a pipeline that mixes reads cannot
    be split between a replica and the primary (a replica, if configured, then serves less)."""
    return backend._cache.get_client(write=True)


def decode(backend, raw: bytes):
    """A value as the backend's `get` would return it, from the bytes Redis holds for its key."""
    return backend._cache._serializer.loads(raw)
