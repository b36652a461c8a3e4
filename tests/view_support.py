"""Helpers shared by the view-tracking tests."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


def make_user(username="author", **fields):
    return get_user_model().objects.create_user(username=username, password="pw", **fields)


def make_article(*, slug="field-notes", author=None, **fields):
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    return Article.objects.create(
        title=fields.pop("title", slug.replace("-", " ").title()),
        slug=slug,
        author=author or make_user(f"author-of-{slug}"),
        body="Some *words* worth reading.",
        **fields,
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
