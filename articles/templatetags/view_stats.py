from datetime import timedelta

from django import template
from django.utils import timezone

from .. import tracking
from ..models import Article

register = template.Library()

MOST_READ_DAYS = 7


@register.inclusion_tag("articles/most_read.html")
def most_read_this_week(limit=5):
    """The sidebar's "Most read this week": the last seven days of day rows, in one query."""
    since = timezone.localdate() - timedelta(days=MOST_READ_DAYS - 1)
    articles = Article.objects.most_read_since(since).only("title", "slug", "published_at")
    return {"articles": articles[:limit]}


@register.simple_tag
def view_counting_rule():
    return tracking.counting_rule()
