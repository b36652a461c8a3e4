"""Readers' comment endpoints: post, and edit or withdraw within the window.

All writes are POST with CSRF; GET on edit/withdraw only shows a form or a confirmation. A form with
errors re-renders the article page with the reader's input and answers 422 (Unprocessable Content)
so that no cache or client mistakes it for a success. The form posts to `…/#error-summary`, so that
page opens at the form with the focus on its error summary (a focusable fragment target); and since
the address bar now shows the posting URL, a GET there (a reload) leads back to the comments.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import Article
from visitors.identity import CACHE_OUTAGE, fingerprint

from . import authorship, ratelimit, services, thread
from .forms import CommentForm, EditForm, release_form_token
from .models import Comment
from .moderation import accepting_comments

HELD_MESSAGE = gettext_lazy(
    "Thank you! Your comment is awaiting moderation and will appear once approved."
)


def site_url(request) -> str:
    return request.build_absolute_uri("/")


@never_cache
@require_http_methods(["GET", "POST"])
def post_comment(request, slug):
    article = get_object_or_404(Article.objects.for_listing(), slug=slug)
    if request.method == "GET":
        return redirect(f"{article.get_absolute_url()}#comments")
    if not accepting_comments(article):
        return render(request, "comments/closed.html", {"article": article}, status=403)
    if not ratelimit.allow_post(request):
        response = render(
            request,
            "comments/rate_limited.html",
            {"article": article, "body": request.POST.get("body", "")},
            status=429,
        )
        response["Retry-After"] = str(ratelimit.window_seconds())
        return response
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        ratelimit.refund_post(request)
        return render(
            request,
            "articles/article_detail.html",
            {"article": article, "comment_form": form},
            status=422,
        )
    try:
        comment = services.post_comment(
            article=article,
            submission=form.submission(),
            parent=form.cleaned_data["parent"],
            submitter=_submitter(request),
            site_url=site_url(request),
        )
    except Exception:
        # Nothing was stored (a busy database, say): the reader may send the same form again, and
        # it counts toward neither the token's single use nor the rate limit.
        release_form_token(form.cleaned_data["issued"])
        ratelimit.refund_post(request)
        raise
    response = _after_save(request, comment, fallback=article)
    if form.cleaned_data["remember"]:
        authorship.remember_author(
            response, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
        )
    else:
        authorship.forget_author(response)
    if comment is not None:
        authorship.add_my_comment(request, response, comment)
    return response


def _submitter(request) -> str:
    """The visitor's fingerprint for moderators, or "" while the cache is down (only a hint)."""
    try:
        return fingerprint(request, purpose="comment")
    except CACHE_OUTAGE:
        return ""


def _after_save(request, comment: Comment | None, *, fallback: Article):
    """POST/redirect/GET: to the comment if it is visible, else to the thread with a notice."""
    if comment is not None and comment.status == Comment.Status.APPROVED:
        return redirect(thread.comment_url(comment))
    messages.info(request, HELD_MESSAGE)
    # Held and dropped (honeypot) answer alike, so bots learn nothing; the writer finds their held
    # comment in the thread, marked as waiting.
    return redirect(f"{fallback.get_absolute_url()}#comments")


def _own_comment_or_refusal(request, pk):
    """The comment if this browser may change it, else a refusal (403 with the reason).

    A comment this browser did not post is a 404 exactly like a missing one, decided from the signed
    cookie before any query: a stranger learns nothing about which ids exist or are held.
    """
    if pk not in authorship.my_comment_ids(request):
        raise Http404("No such comment.")
    comment = get_object_or_404(
        Comment.objects.select_related("article__author").filter(
            article__in=Article.objects.published()
        ),
        pk=pk,
    )
    refusal = authorship.why_not_editable(request, comment)
    if refusal:
        return comment, render(
            request,
            "comments/not_editable.html",
            {"comment": comment, "refusal": refusal},
            status=403,
        )
    return comment, None


@never_cache
@require_http_methods(["GET", "POST"])
def edit_comment(request, pk):
    comment, refusal = _own_comment_or_refusal(request, pk)
    if refusal:
        return refusal
    data = request.POST if request.method == "POST" else None
    form = EditForm(data, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.edit_comment(
            comment=comment, body=form.cleaned_data["body"], site_url=site_url(request)
        )
        if comment.status == Comment.Status.APPROVED:
            messages.success(request, _("Your comment has been updated."))
        return _after_save(request, comment, fallback=comment.article)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "comments/edit.html",
        {"comment": comment, "form": form, "editable_until": authorship.editable_until(comment)},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw_comment(request, pk):
    comment, refusal = _own_comment_or_refusal(request, pk)
    if refusal:
        return refusal
    if request.method == "POST":
        services.withdraw_comment(comment=comment)
        messages.success(request, _("Your comment has been withdrawn."))
        return redirect(f"{comment.article.get_absolute_url()}#comments")
    return render(request, "comments/withdraw.html", {"comment": comment})


@never_cache
@require_GET
def comment_in_context(request, pk):
    """Redirect to the article page at `pk`: what moderators' and authors' links point at.

    The page is worked out when the link is followed, so it stays right as the thread grows. A held
    comment is found only by those who would see it in the thread (moderators, its writer), so the
    answer depends on the viewer and is never cached.
    """
    held = thread.held_shown_to(request)
    comment = (
        Comment.objects.shown(held)
        .filter(article__in=Article.objects.published())
        .select_related("article", "parent")
        .filter(pk=pk)
        .first()
    )
    if comment is None:
        raise Http404(_("This comment is not shown on the site."))
    return redirect(thread.comment_url(comment, held))
