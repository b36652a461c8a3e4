"""Template tags of the writer's desk (the admin index)."""

from django import template

from .. import roles
from ..dashboard import desk_summary
from ..models import Article

register = template.Library()


@register.inclusion_tag("admin/articles/dashboard.html", takes_context=True)
def author_dashboard(context):
    """Staff who write see their drafts, scheduled and in-review articles and their recent views."""
    user = context["request"].user
    if not roles.is_staff_writer(user):
        return {"show": False}
    summary = desk_summary(user)
    if roles.can_edit_any_article(user):
        # Editors see everyone's articles: links to "mine" filter by author, and they see the
        # review queue they are there to empty (one more query).
        summary["review_queue"] = Article.objects.waiting_for_review().count()
        summary["mine_filter"] = f"&author__id__exact={user.pk}"
    return {"show": True, **summary}
