"""Helpers shared by the view-tracking tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


def read(client, article, *, ip="198.51.100.10", user_agent=BROWSER, method="get", **headers):
    """One request for the article page from the given address and browser."""
    return getattr(client, method)(
        article.get_absolute_url(), REMOTE_ADDR=ip, HTTP_USER_AGENT=user_agent, **headers
    )


def stored_views(article) -> tuple[int, int]:
    """(total on the article, sum of its day rows), straight from the database."""
    article.refresh_from_db(fields=["view_count"])
    day_sum = sum(article.daily_views.values_list("views", flat=True))
    return article.view_count, day_sum


def queries_of_repeat_and_new_view(client, article):
    """The SQL of reading `article` again as a visitor already counted, then as a new visitor.

    Both are page-cache hits once the first reads have rendered the page and cached its counts.
    """
    read(client, article, ip="198.51.100.1")
    read(client, article, ip="198.51.100.1")
    with CaptureQueriesContext(connection) as repeat_view:
        read(client, article, ip="198.51.100.1")
    with CaptureQueriesContext(connection) as counted_view:
        read(client, article, ip="198.51.100.2")
    return repeat_view.captured_queries, counted_view.captured_queries
