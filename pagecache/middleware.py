"""Serves anonymous readers from the page cache and stores what may be stored (see `pagecache`)."""

import logging
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from visitors.identity import CACHE_OUTAGE

from . import compression, fragments, registry, store

logger = logging.getLogger(__name__)

# Headers that belong to one response, not to the page: set again by the middleware of each hit.
UNSTORED_HEADERS = {"set-cookie", "vary", "content-length"}
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache", "max-age=0")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not is_cacheable_request(request):
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        key = store.page_key(f"{request.path}?{query}" if query else request.path)
        try:
            entry = store.lookup(key, request)
            if entry is not None:
                return serve(request, entry)
            request.page_cache = PageRecorder(store.versions([store.SITE]))
        except CACHE_OUTAGE:
            logger.warning("Page cache unreachable; rendering %s", request.path, exc_info=True)
            return self.get_response(request)
        response = self.get_response(request)
        if is_storable(request, response):
            try:
                store.save(key, request.page_cache.entry_for(response))
            except CACHE_OUTAGE:
                logger.warning("Page cache unreachable; %s not stored", request.path)
        return response


class PageRecorder:
    """What a view tells the page cache while it renders: scopes it depends on, hooks for hits."""

    def __init__(self, site_versions: dict[str, str]):
        self.versions = dict(site_versions)
        self.hooks: list[tuple[str, str]] = []

    def entry_for(self, response) -> store.Entry:
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in UNSTORED_HEADERS
        }
        body = response.content
        slots = fragments.locate(body)
        compressible = len(body) >= compression.MIN_LENGTH and not response.has_header(
            "Content-Encoding"
        )
        return store.Entry(
            body=body,
            slots=slots,
            deflated=compression.deflate_stretches(fragments.stretches(body, slots))
            if compressible
            else None,
            headers=headers,
            versions=self.versions,
            stale_at=store.stale_at(),
            hooks=self.hooks,
        )


def depends_on(request, *scopes: str) -> None:
    """Declare that the page being rendered changes when one of `scopes` is invalidated.

    Call it before reading what the scope covers: the token read now is the one stored.
    """
    recorder = getattr(request, "page_cache", None)
    if recorder is not None:
        recorder.versions.update(store.versions(scopes))


def on_hit(request, hook: str, argument) -> None:
    """Run the registered `hook` with `argument` whenever this page is served from the cache."""
    recorder = getattr(request, "page_cache", None)
    if recorder is not None:
        recorder.hooks.append((hook, str(argument)))


def is_cacheable_request(request) -> bool:
    if request.method != "GET":
        return False
    if any(name in request.COOKIES for name in private_cookie_names()):
        return False
    allowed = settings.PAGE_CACHE_QUERY_PARAMS
    return all(name in allowed for name, _ in parse_qsl(request.META.get("QUERY_STRING", ""), True))


def private_cookie_names() -> set[str]:
    return {settings.SESSION_COOKIE_NAME, "messages", *registry.private_cookies}


def is_storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if len(response.content) > settings.PAGE_CACHE_MAX_BYTES:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(directive in cache_control for directive in PRIVATE_DIRECTIVES):
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "_queued_messages", None):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def serve(request, entry: store.Entry) -> HttpResponse:
    already_run = store.hooks_already_run(request)
    for name, argument in entry.hooks:
        if (name, argument) not in already_run:
            registry.hit_hooks[name].run(request, argument)
    pieces = fragments.fill(request, entry.body, entry.slots)
    if entry.deflated is not None and compression.accepts_gzip(request):
        # Compressed here, from stretches compressed when the page was stored; GZipMiddleware
        # leaves a response with a Content-Encoding alone, so this does what it would have.
        body, etag = compression.compress_hit(pieces, entry.deflated)
        response = HttpResponse(body)
        response["Content-Encoding"] = "gzip"
        response["ETag"] = etag
    else:
        response = HttpResponse(b"".join(pieces))
    for name, value in entry.headers.items():
        response[name] = value
    if entry.deflated is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    response["X-Page-Cache"] = "hit"
    return response
