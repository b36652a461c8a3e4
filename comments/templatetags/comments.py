"""Template tags through which other pages show comments without importing this app."""

from django import template
from django.contrib.messages import get_messages
from django.db.models import Count

from .. import authorship, thread
from ..forms import CommentForm
from ..models import Comment
from ..moderation import accepting_comments

register = template.Library()


@register.inclusion_tag("comments/thread.html", takes_context=True)
def comment_thread(context, article):
    """The article's visible comments (one page), the form or "closed", and comment messages.

    A view that re-renders the article after a failed post puts its bound form in the context as
    `comment_form`, so the reader sees their own text with the errors next to it.
    """
    request = context["request"]
    held = thread.held_shown_to(request)
    page = thread.page_of_thread(article, request.GET.get(thread.PAGE_PARAM), held)
    form = context.get("comment_form")
    reply_to = None
    if form is not None:
        reply_to = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    elif accepting_comments(article):
        reply_to = _reply_target(page, request.GET.get("reply_to"))
        remembered = authorship.remembered_author(request)
        form = CommentForm(
            article=article,
            initial={
                **remembered,
                "remember": bool(remembered),
                "parent": reply_to.pk if reply_to else None,
            },
        )
    page_query = f"?{thread.PAGE_PARAM}={page.number}" if page.number > 1 else ""
    return {
        "article": article,
        "page": page,
        "page_query": page_query,
        "reply_query": f"{page_query}&" if page_query else "?",
        "form": form,
        "reply_to": reply_to,
        "editable_ids": _editable_ids(request, page),
        "moderator_view": request.user.has_perm("comments.view_comment"),
        "messages": get_messages(request),
        "csrf_token": context.get("csrf_token"),
    }


def _reply_target(page, raw_id):
    """The top-level comment on this page that `?reply_to=` names, if any (no extra query)."""
    return next((comment for comment in page.object_list if str(comment.pk) == raw_id), None)


def _editable_ids(request, page) -> set[int]:
    """Comments on this page that this browser may still edit (no query: replies are loaded)."""
    mine = authorship.my_comment_ids(request)
    if not mine:
        return set()
    shown = [(top, bool(top.visible_replies)) for top in page.object_list]
    shown += [(reply, False) for top in page.object_list for reply in top.visible_replies]
    return {
        comment.pk
        for comment, has_replies in shown
        if not authorship.edit_refusal(comment, mine=mine, has_replies=has_replies)
    }


@register.inclusion_tag("comments/moderation_notice.html", takes_context=True)
def moderation_queue_notice(context):
    """For the admin index: how many comments wait, to those who may see them."""
    request = context["request"]
    if not request.user.has_perm("comments.view_comment"):
        return {"waiting": 0}
    return {"waiting": Comment.objects.in_moderation().count()}


@register.inclusion_tag("comments/waiting_on_my_articles.html", takes_context=True)
def comments_waiting_on_my_articles(context):
    """For the author's dashboard: comments held for moderation on their articles (one query)."""
    user = context["request"].user
    if not user.is_staff:
        return {"articles": []}
    waiting = (
        Comment.objects.in_moderation()
        .filter(article__author=user)
        .values("article_id", "article__title")
        .annotate(waiting=Count("pk"))
        .order_by("-waiting", "article__title")[:8]
    )
    return {"articles": list(waiting), "can_moderate": user.has_perm("comments.moderate_comment")}
