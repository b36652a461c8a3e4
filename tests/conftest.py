import os

import pytest
import redis
from django.core.cache import caches
from hypothesis import HealthCheck, settings

# Property tests (tests/test_properties.py, tests/test_fuzz_*.py): a quick profile by default (CI
# and `make test`) that runs the same examples every time, so CI is never flaky; a thorough one on
# demand with HYPOTHESIS_PROFILE=thorough, random each run (failures are saved in .hypothesis/ and
# replayed first next time). No deadline: two shared cores make timings meaningless. The fuzz
# tests' examples share the test's fixtures (database transaction, client); their properties hold
# whatever earlier examples did.
_HEALTH_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile(
    "quick", max_examples=40, deadline=None, derandomize=True, suppress_health_check=_HEALTH_CHECKS
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=_HEALTH_CHECKS
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _test_speedups(settings, tmp_path):
    """Test-only settings: fast hashing, captured email, throw-away media."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: counters and rate limits never leak between tests."""
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def redis_cache(settings):
    """The default cache on this machine's real Redis (TEST_REDIS_URL), emptied before and after.

    Changing CACHES makes Django rebuild its cache handler (`setting_changed`), so
    `django.core.cache.cache` really talks to Redis here. No skip: if Redis is down, this fails.
    """
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "newsroom.redis_cache.RedisCache",
            "LOCATION": TEST_REDIS_URL,
        },
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def flush_not_due(redis_cache):
    """Pretend a flush of buffered views just happened, so requests only buffer."""
    from articles import view_buffer

    view_buffer.redis_client().set(redis_cache.make_key(view_buffer.FLUSH_DUE_MARKER), 1, ex=300)


@pytest.fixture
def raw_redis(redis_cache):
    """A plain redis-py client on the same Redis database, to look at the stored keys themselves."""
    return redis.Redis.from_url(TEST_REDIS_URL)
