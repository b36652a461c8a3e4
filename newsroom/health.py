"""Health endpoints for load balancers, orchestrators and monitors.

- `/healthz` answers whether this instance can serve readers: it runs `SELECT 1` on the database and
  round-trips a key through the cache. 200 when both answer, 503 otherwise; nothing else, whatever
  the method, host or headers.
- `/healthz/live` answers 200 as long as the process runs, touching nothing (liveness). It is also
  the benchmark's baseline: the cost of the server and the WSGI stack with no work behind it.

The middleware comes right after the request id (so a failed check's log line names its request)
and before everything else, so probes never reach host validation (a load balancer probes by IP
address), the HTTPS redirect (it probes over plain HTTP inside the network), sessions, view
counting or the page cache; every answer says `Cache-Control: no-store`.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

READINESS_PATH = "/healthz"
LIVENESS_PATH = "/healthz/live"


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


# One key per process, left to expire: a probe costs one write and one read, not three calls.
PROBE_KEY = f"healthz:{uuid.uuid4().hex}"


def cache_answers():
    stamp = time.monotonic()
    cache.set(PROBE_KEY, stamp, timeout=10)
    return cache.get(PROBE_KEY) == stamp


CHECKS = {"database": database_answers, "cache": cache_answers}


def failing_checks():
    """Names of the dependencies that do not answer; each failure is logged with its cause."""
    failing = []
    for name, check in CHECKS.items():
        try:
            healthy = check()
        except Exception:
            logger.exception("Health check failed: %s", name)
            healthy = False
        if not healthy:
            failing.append(name)
    return failing


def health_response(failing):
    if failing:
        response = HttpResponse(
            f"unavailable: {', '.join(failing)}\n", status=503, content_type="text/plain"
        )
    else:
        response = HttpResponse("ok\n", content_type="text/plain")
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/") or "/"
        if path == LIVENESS_PATH:
            return health_response([])
        if path == READINESS_PATH:
            return health_response(failing_checks())
        return self.get_response(request)
