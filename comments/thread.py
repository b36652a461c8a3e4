"""The visible thread of an article, a page at a time, and where on it a comment lives.

A page is its top-level comments (oldest first, `COMMENTS_PER_PAGE` of them, page number from the
`?comments=` parameter) plus all their visible replies, fetched together in one query. Reading any
page costs the same three queries (count, page, replies) however many comments and replies exist.

Held comments are shown in place, marked as waiting, to two kinds of viewer only: the browser that
wrote them (the signed "my comments" cookie) and moderators (so that "view in context" shows a
held comment where it would appear). Everybody else sees approved comments only.
"""

from collections import defaultdict

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q

from . import authorship
from .models import Comment

PAGE_PARAM = "comments"


def held_shown_to(request) -> Q | None:
    """Which held comments this viewer sees in the thread: all for moderators, else their own."""
    if request.user.has_perm("comments.view_comment"):
        return Q(status=Comment.Status.PENDING)
    mine = authorship.my_comment_ids(request)
    return Q(status=Comment.Status.PENDING, pk__in=mine) if mine else None


def page_of_thread(article, number, held: Q | None = None) -> Page:
    """Page `number` (any string; invalid or out-of-range values give page 1 or the last page)."""
    paginator = Paginator(Comment.objects.thread_of(article, held), settings.COMMENTS_PER_PAGE)
    page = paginator.get_page(number)
    comments = list(page.object_list)
    replies = defaultdict(list)
    if comments:
        for reply in (
            Comment.objects.shown(held).filter(parent__in=comments).order_by("created_at", "id")
        ):
            replies[reply.parent_id].append(reply)
    for comment in comments:
        comment.visible_replies = replies[comment.pk]
    page.object_list = comments
    return page


def page_url(article, number: int) -> str:
    query = f"?{PAGE_PARAM}={number}" if number > 1 else ""
    return f"{article.get_absolute_url()}{query}"


def comment_url(comment: Comment, held: Q | None = None) -> str:
    """The article page that shows `comment` (to a viewer who sees `held`), at its anchor."""
    top = comment.parent if comment.parent_id else comment
    earlier = (
        Comment.objects.thread_of(comment.article, held)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
        .count()
    )
    number = earlier // settings.COMMENTS_PER_PAGE + 1
    return f"{page_url(comment.article, number)}#{comment.anchor}"
