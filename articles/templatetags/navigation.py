from django import template

from .. import navigation

register = template.Library()


@register.inclusion_tag("includes/site_header.html", takes_context=True)
def site_header(context):
    """The header on every page: site name, the admin's navigation tags, search and the feed."""
    request = context.get("request")
    return {
        "site_name": context.get("site_name"),
        "navigation_tags": navigation.navigation_tags(),
        "current_path": request.path if request else "",
    }
