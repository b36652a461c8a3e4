from django import template

from ..models import Article
from ..site import absolute_url

register = template.Library()

RELATED_LIMIT = 3


@register.inclusion_tag("articles/more_to_read.html")
def more_to_read(article):
    """The end of an article: previous and next, up to three related, share links.

    Three queries (previous, next, related), two when the article has no tags; the tags come from
    the article's prefetch. A draft (in a preview) has no place in the sequence yet, so no previous
    or next.
    """
    listed = Article.objects.only("title", "slug", "published_at")
    tag_ids = [tag.id for tag in article.tags.all()]
    related = listed.related_to(article, tag_ids)[:RELATED_LIMIT] if tag_ids else []
    dated = article.published_at is not None
    return {
        "article": article,
        "previous": listed.before(article).first() if dated else None,
        "next": listed.after(article).first() if dated else None,
        "related": related,
        "share_url": absolute_url(article.get_absolute_url()),
    }
