import os

import pytest
import redis
from django.core.cache import caches
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# Property-based tests (tests/test_fuzz_*.py). "ci", the default, runs few examples, the same ones
# every run, so CI stays fast and never flaky; HYPOTHESIS_PROFILE=thorough searches far more widely
# (random each run; failures are saved in .hypothesis/ and replayed first next time).
# Examples share the test's fixtures (database transaction, client): the properties hold anyway.
_FUZZ_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
hypothesis_settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True, suppress_health_check=_FUZZ_HEALTH
)
hypothesis_settings.register_profile(
    "thorough", max_examples=600, deadline=None, suppress_health_check=_FUZZ_HEALTH
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def raw_redis(redis_cache):
    """A plain redis-py client on the same Redis database, to look at the stored keys themselves."""
    return redis.Redis.from_url(TEST_REDIS_URL)
