from django import template

from ..fragments import wrap

register = template.Library()


@register.simple_tag
def live(name, key, value):
    """`{% live "views" article.pk article.live_view_count %}`: `value` rendered now, and again
    with the current value each time the page is served from the page cache."""
    return wrap(name, key, value)
