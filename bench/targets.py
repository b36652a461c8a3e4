"""Prints, as JSON, the paths `make bench` measures in the database it is pointed at.

Run by bench/run.py with the bench's environment; a page whose URL does not exist in this version
of the product is left out of the table rather than measured as a 404.
"""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from articles.models import Article, AuthorProfile  # noqa: E402


def maybe(name, *args, query=""):
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


published = Article.objects.published()
seed = published.order_by("published_at").first()
busiest = published.order_by("-comment_count").first()
author = AuthorProfile.objects.annotate(n=Count("user__articles")).order_by("-n").first()
tag_slug = published.exclude(tags=None).values_list("tags__slug", flat=True).first()
last_page = max(1, -(-published.count() // settings.ARTICLES_PER_PAGE))
word = (seed.title.split() or ["news"])[0] if seed else "news"

targets = {
    "baseline (trivial view)": "/bench/trivial/",
    "home": reverse("articles:list"),
    "home, page 50": reverse("articles:list") + "?page=50" if last_page >= 50 else None,
    "article, new visitor each (counted)": seed.get_absolute_url() if seed else None,
    "article, repeat visitor": seed.get_absolute_url() if seed else None,
    f"article with {busiest.comment_count if busiest else 0} comments": busiest.get_absolute_url()
    if busiest
    else None,
    "tag": maybe("articles:tag", tag_slug) if tag_slug else None,
    "author": author.get_absolute_url() if author else None,
    "search": maybe("articles:search", query=f"?q={word}"),
    "feed": maybe("articles:feed"),
}
print(json.dumps({"targets": {k: v for k, v in targets.items() if v}, "article_id": seed.pk}))
