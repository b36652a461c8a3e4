"""The visible thread of an article, a page at a time, and where on it a comment lives.

A page is its top-level comments (oldest first, `COMMENTS_PER_PAGE` of them, page number from the
`?comments=` parameter) plus all their visible replies, fetched together in one query. Reading any
page costs the same three queries (count, page, replies) however many comments and replies exist.
"""

from collections import defaultdict

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q

from .models import Comment

PAGE_PARAM = "comments"


def page_of_thread(article, number) -> Page:
    """Page `number` (any string; invalid or out-of-range values give page 1 or the last page)."""
    paginator = Paginator(Comment.objects.thread_of(article), settings.COMMENTS_PER_PAGE)
    page = paginator.get_page(number)
    comments = list(page.object_list)
    replies = defaultdict(list)
    if comments:
        for reply in (
            Comment.objects.public().filter(parent__in=comments).order_by("created_at", "id")
        ):
            replies[reply.parent_id].append(reply)
    for comment in comments:
        comment.visible_replies = replies[comment.pk]
    page.object_list = comments
    return page


def page_url(article, number: int) -> str:
    query = f"?{PAGE_PARAM}={number}" if number > 1 else ""
    return f"{article.get_absolute_url()}{query}"


def comment_url(comment: Comment) -> str:
    """The article page that shows `comment`, pointing at its anchor."""
    top = comment.parent if comment.parent_id else comment
    earlier = (
        Comment.objects.thread_of(comment.article)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
        .count()
    )
    number = earlier // settings.COMMENTS_PER_PAGE + 1
    return f"{page_url(comment.article, number)}#{comment.anchor}"
