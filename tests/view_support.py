"""Helpers shared by the view-tracking tests."""

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
