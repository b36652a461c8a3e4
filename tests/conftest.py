import pytest
from django.core.cache import caches


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
