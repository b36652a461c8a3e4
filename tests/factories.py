"""Plain helper functions that build test data with sensible defaults."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article

_sequence = itertools.count(1)


def make_user(**fields):
    number = next(_sequence)
    defaults = {"username": f"user{number}", "first_name": "Ada", "last_name": f"Writer{number}"}
    return get_user_model().objects.create_user(**{**defaults, **fields})


def make_article(**fields):
    number = next(_sequence)
    defaults = {
        "title": f"Article number {number}",
        "slug": f"article-number-{number}",
        "body": f"The opening paragraph of article {number}.\n\nA second paragraph.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=1),
    }
    fields = {**defaults, **fields}
    if "author" not in fields:
        fields["author"] = make_user()
    return Article.objects.create(**fields)
