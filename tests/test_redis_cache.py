"""The Redis cache backend reuses one redis-py client instead of building one per cache call."""

import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core.cache import caches

from newsroom import redis_guard
from newsroom.redis_cache import RedisCache
from tests.conftest import TEST_REDIS_URL


def test_the_fixture_cache_is_the_project_backend_on_real_redis(redis_cache):
    assert isinstance(caches["default"], RedisCache)
    redis_cache.set("reuse", 1)
    assert redis_cache.get("reuse") == 1


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client()
    redis_cache.set("reuse", 2)
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client


def test_a_redis_cache_url_selects_the_project_backend():
    probe = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        env={
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "true",
            "CACHE_URL": "redis://127.0.0.1:6379/15",
            "PATH": "/usr/bin:/bin",
        },
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "newsroom.redis_cache.RedisCache"


def test_redis_closing_an_open_connection_does_not_mark_it_down(raw_redis):
    """Redis may drop a connection at any time (idle timeout, restart, CLIENT KILL); the error on
    that connection must not cut the healthy server off for every thread of the process."""
    pool = redis_guard.GuardedConnectionPool.from_url(TEST_REDIS_URL)
    connection = pool.get_connection()
    connection.send_command("PING")
    assert connection.read_response() in (b"PONG", "PONG")
    raw_redis.client_kill_filter(_type="normal", skipme=True)
    with pytest.raises(redis.ConnectionError):
        connection.send_command("PING")
        connection.read_response()
    assert not redis_guard.is_down(pool.server)
    pool.release(connection)
    assert redis.Redis(connection_pool=pool).ping()
