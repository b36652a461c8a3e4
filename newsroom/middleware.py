"""Project-wide request guards: failures that are not the application's bugs get a clear answer.

- `FormCharsetMiddleware`: a form body (`application/x-www-form-urlencoded`) is UTF-8 by
  definition (WHATWG URL standard); one that declares another or an unknown charset gets the
  site's 400 page before anything reads it. Django refuses such a body with `BadRequest` when
  `request.POST` is first read, but does not remember the failure: the CSRF check inside the 400
  and 500 handlers reads it again, so the error escaped as the server's bare 500 page.
- `DatabaseBusyMiddleware`: on SQLite, a writer that waited the whole busy timeout for the write
  lock gets a 503 "busy, send it again" page with `Retry-After`, not a 500 (the transaction was
  rolled back, so nothing half-written remains).
"""

import codecs

from django.db import OperationalError
from django.shortcuts import render

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

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


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


class FormCharsetMiddleware:
    """Answer 400 to a form body in any charset but UTF-8 (whose aliases, e.g. "utf8", are fine)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type == FORM_CONTENT_TYPE:
            charset = request.content_params.get("charset")
            if charset is not None and not _is_utf8(charset):
                return render(request, "400.html", status=400)
            if charset is not None:
                # Django only accepts the exact spelling "utf-8"; the body is the same.
                request.encoding = "utf-8"
        return self.get_response(request)
