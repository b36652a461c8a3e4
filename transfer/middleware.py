"""Old links keep working: a 404 (or a WordPress `/?p=N` link) is looked up in `Redirect`.

The lookup runs only when the page itself answered 404, or for the home page with a WordPress
query (`?p=`, `?page_id=`), which the home page would otherwise show as itself. Every other
response goes out untouched, so normal pages cost no query. Placed last in MIDDLEWARE, so it sees
the view's 404 before CommonMiddleware turns it into an APPEND_SLASH redirect.
"""

from django.http import HttpResponsePermanentRedirect

from .models import Redirect

WORDPRESS_QUERY_KEYS = ("p", "page_id")


class ImportedLinkRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        legacy_query = request.path == "/" and any(k in request.GET for k in WORDPRESS_QUERY_KEYS)
        if response.status_code != 404 and not legacy_query:
            return response
        redirect = (
            Redirect.objects.to_public_articles()
            .filter(old_path__in=candidate_paths(request))
            .select_related("article")
            .first()
        )
        if redirect is None:
            return response
        return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())


def candidate_paths(request) -> set[str]:
    """The stored forms an old link may match: with and without its trailing slash and query."""
    path = request.path
    toggled = path[:-1] if path.endswith("/") and path != "/" else path + "/"
    candidates = {path, toggled}
    if request.META.get("QUERY_STRING"):
        candidates.add(request.get_full_path())
    for key in WORDPRESS_QUERY_KEYS:
        if request.GET.get(key):
            candidates.add(f"{path}?{key}={request.GET[key]}")
    # A NUL can be in a URL but never in a stored path (PostgreSQL refuses it in a query).
    return {candidate for candidate in candidates if "\x00" not in candidate}
