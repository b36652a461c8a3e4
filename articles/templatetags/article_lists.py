"""Short lists of articles that any page can show, without every view building them."""

from django import template

from ..models import Article

register = template.Library()


@register.inclusion_tag("articles/latest_list.html")
def latest_articles(limit=5):
    """The newest published articles (titles and dates only), in one query."""
    articles = Article.objects.published().only("title", "slug", "published_at")
    return {"articles": articles[:limit]}
