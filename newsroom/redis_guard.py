"""A sick Redis costs one timeout, then nothing: a process-wide circuit breaker for the cache.

With `CACHE_REDIS_TIMEOUT` every Redis call gives up after 0.25 s, but a page makes several calls
(the visitor salt, the dedupe key, the pending counts), and each would wait its own timeout. So the
first call that times out or cannot connect marks that Redis server down for
`CACHE_REDIS_RETRY_AFTER` seconds, for every thread of the process: until then, getting a connection
fails at once with `redis.ConnectionError`, which every caller already treats as an outage (pages
render without the cache). After the pause, the next call tries the server again.

Settings wire it in (`OPTIONS["pool_class"]` of a Redis cache), so Django's cache and the view
buffer's raw client (same pool) are both covered.
"""

import threading
import time

import redis
from django.conf import settings

_down_until: dict[tuple, float] = {}
_lock = threading.Lock()


def _server(host, port, db) -> tuple:
    return (host, int(port or 6379), int(db or 0))


def _trip(server: tuple) -> None:
    with _lock:
        _down_until[server] = time.monotonic() + settings.CACHE_REDIS_RETRY_AFTER


def is_down(server: tuple) -> bool:
    return time.monotonic() < _down_until.get(server, 0.0)


class GuardedConnection(redis.Connection):
    """A connection that reports timeouts and refused connections to the breaker.

    A connection error on an already open connection is not reported: Redis closed an idle pooled
    connection (its timeout, a restart, CLIENT KILL), and redis-py reconnects by itself; tripping
    then would cut a healthy server off for seconds. If the reconnect fails, `connect` reports it.
    """

    def connect(self, *args, **kwargs):
        return self._guarded(super().connect, redis.TimeoutError, redis.ConnectionError)(
            *args, **kwargs
        )

    def send_packed_command(self, *args, **kwargs):
        return self._guarded(super().send_packed_command, redis.TimeoutError)(*args, **kwargs)

    def read_response(self, *args, **kwargs):
        return self._guarded(super().read_response, redis.TimeoutError)(*args, **kwargs)

    def _guarded(self, call, *failures):
        def guarded(*args, **kwargs):
            try:
                return call(*args, **kwargs)
            except failures:
                _trip(_server(self.host, self.port, self.db))
                raise

        return guarded


class GuardedConnectionPool(redis.ConnectionPool):
    """Refuses connections at once while its server is marked down."""

    def __init__(self, connection_class=GuardedConnection, **kwargs):
        super().__init__(connection_class=connection_class, **kwargs)
        options = self.connection_kwargs
        self.server = _server(options.get("host"), options.get("port"), options.get("db"))

    def get_connection(self, *args, **kwargs):
        if is_down(self.server):
            raise redis.ConnectionError(
                f"Redis marked down for {settings.CACHE_REDIS_RETRY_AFTER} s after a failure"
            )
        return super().get_connection(*args, **kwargs)
