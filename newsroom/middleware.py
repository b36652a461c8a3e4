"""Project-wide request guards: failures that are not the application's bugs get a clear answer.

- `DatabaseBusyMiddleware`: on SQLite, a writer that waited the whole busy timeout for the write
  lock gets a 503 "busy, send it again" page with `Retry-After`, not a 500 (the transaction was
  rolled back, so nothing half-written remains).
"""

from django.db import OperationalError
from django.shortcuts import render

BUSY_RETRY_AFTER_SECONDS = 5


def _is_lock_timeout(error: Exception) -> bool:
    return isinstance(error, OperationalError) and "database is locked" in str(error)


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _is_lock_timeout(exception):
            return None
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response
