"""Template tags of the writer's desk (the admin index)."""

from django import template

from .. import roles
from ..dashboard import desk_summary

register = template.Library()


@register.inclusion_tag("admin/articles/dashboard.html", takes_context=True)
def author_dashboard(context):
    """Staff who write see their drafts, scheduled and in-review articles and their recent views."""
    user = context["request"].user
    if not roles.is_staff_writer(user):
        return {"show": False}
    return {"show": True, "can_publish": roles.can_publish(user), **desk_summary(user)}
