from datetime import timedelta

from django import template
from django.utils import timezone

from .. import aggregates, tracking

register = template.Library()

MOST_READ_DAYS = 7


@register.inclusion_tag("articles/most_read.html")
def most_read_this_week(limit=5):
    """The sidebar's "Most read this week": the last seven days of day rows, in one query, and in
    none while the remembered list is current (`aggregates.most_read_since`)."""
    since = timezone.localdate() - timedelta(days=MOST_READ_DAYS - 1)
    return {"articles": aggregates.most_read_since(since, limit)}


@register.simple_tag
def view_counting_rule():
    return tracking.counting_rule()
