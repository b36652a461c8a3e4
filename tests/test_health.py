"""/healthz answers 200 or 503 from the database and the cache; /healthz/live answers while the
process runs. Both are answered before any other middleware and are never cached."""

import pytest

from tests.process_support import PRODUCTION_ENV, closed_port, django_shell

NEVER_CACHED = "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.django_db
def test_healthz_is_200_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == NEVER_CACHED


@pytest.mark.django_db
def test_healthz_is_answered_before_sessions_csrf_and_host_checks(client):
    """A load balancer probes by IP address, with any method, and must never get a cookie."""
    response = client.post("/healthz/", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")


def test_liveness_touches_neither_database_nor_cache(client, settings):
    """No django_db mark: any query would fail the test; the cache points at a closed port."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        },
    }
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response["Cache-Control"] == NEVER_CACHED


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: cache\n"
    assert response["Cache-Control"] == NEVER_CACHED


PROBE = (
    "from django.test import Client; r = Client().get('/healthz', HTTP_HOST='10.0.0.7'); "
    "print('healthz', r.status_code, r.content.decode().strip())"
)


def test_healthz_is_503_when_the_database_is_down():
    """PostgreSQL stopped: nothing listens on its port."""
    result = django_shell(
        PROBE,
        **{
            **PRODUCTION_ENV,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/newsroom",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "healthz 503 unavailable: database" in result.stdout


def test_healthz_is_503_naming_both_when_database_and_cache_are_down():
    result = django_shell(
        PROBE,
        **{
            **PRODUCTION_ENV,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/newsroom",
            "CACHE_URL": f"redis://127.0.0.1:{closed_port()}/0",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "healthz 503 unavailable: database, cache" in result.stdout


def test_healthz_is_200_in_production_mode_over_plain_http_from_an_unknown_host():
    """No HTTPS redirect and no DisallowedHost for the probe, with production settings."""
    result = django_shell(PROBE, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "healthz 200 ok" in result.stdout
