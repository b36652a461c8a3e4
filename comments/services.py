"""Writes with side effects: post, edit, withdraw and moderate comments.

Each service is atomic, locks the articles it touches before changing their comments, re-counts
their public comments in one statement, and queues its notifications to go out after commit.
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import page_cache
from articles.models import Article

from . import moderation, notifications, thread
from .models import Comment

Status = Comment.Status


def lock_articles(article_ids) -> None:
    """Take the articles' row locks (in a fixed order, so two writers cannot deadlock).

    A recount alone is not enough under PostgreSQL's READ COMMITTED: two transactions that each
    approve a comment run their recounts with snapshots that miss the other's uncommitted change,
    and the later one overwrites the count with a stale number. Taking the article's lock *before*
    changing its comments makes the second writer wait until the first commits, so everything it
    does afterwards — including its recount — sees the first one's work.
    """
    ids = Article.objects.select_for_update().filter(pk__in=set(article_ids)).order_by("pk")
    list(ids.values_list("pk", flat=True))


def refresh_comment_counts(*, article_ids) -> None:
    """Set each article's `comment_count` to its number of public comments, in one UPDATE.

    Recounting (rather than adding or subtracting one) keeps the counter right whatever happened
    before — a reply hidden with its parent, a deleted comment, an old bug. Call it after
    `lock_articles` in the same transaction.
    """
    public_count = (
        Comment.objects.public()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    Article.objects.filter(pk__in=set(article_ids)).update(
        comment_count=Coalesce(Subquery(public_count), 0)
    )
    page_cache.comments_changed(article_ids=set(article_ids))


@transaction.atomic
def post_comment(
    *, article, submission: moderation.Submission, parent=None, submitter="", site_url: str
) -> Comment | None:
    """Store a reader's comment with the policy's decision; None if the policy drops it."""
    decision = moderation.decide(submission, moderation.context_for(submission.email))
    if decision.dropped:
        return None
    lock_articles([article.pk])
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        name=submission.name,
        email=submission.email,
        body=submission.body,
        status=decision.status,
        reason=decision.reason,
        reason_detail=decision.detail,
        submitter=submitter,
    )
    if comment.status == Status.APPROVED:
        refresh_comment_counts(article_ids=[article.pk])
    _notify(comment, previous_status=None, site_url=site_url)
    return comment


@transaction.atomic
def edit_comment(*, comment: Comment, body: str, site_url: str) -> Comment:
    """Replace the text of the author's comment and judge it again: an edit can bring spam."""
    submission = moderation.Submission(name=comment.name, email=comment.email, body=body)
    decision = moderation.decide(submission, moderation.context_for(comment.email))
    lock_articles([comment.article_id])
    previous_status = comment.status
    comment.body = body
    comment.status = decision.status
    comment.reason = decision.reason
    comment.reason_detail = decision.detail
    comment.edited_at = timezone.now()
    comment.save()
    refresh_comment_counts(article_ids=[comment.article_id])
    _notify(comment, previous_status=previous_status, site_url=site_url)
    return comment


@transaction.atomic
def withdraw_comment(*, comment: Comment) -> None:
    """The author takes their comment back: hidden from readers, kept for moderators' records."""
    lock_articles([comment.article_id])
    Comment.objects.filter(pk=comment.pk).update(
        status=Status.REMOVED,
        reason=Comment.Reason.WITHDRAWN,
        reason_detail=Comment.Reason.WITHDRAWN.label,
    )
    refresh_comment_counts(article_ids=[comment.article_id])


@transaction.atomic
def moderate_comments(*, comments, status: str, moderator, site_url: str) -> int:
    """A moderator's decision on `comments` (a queryset); returns how many changed status."""
    lock_articles(comments.order_by().values_list("article_id", flat=True).distinct())
    changing = list(
        comments.exclude(status=status)
        .select_related("article__author")
        .select_for_update(of=("self",))
    )
    if not changing:
        return 0
    Comment.objects.filter(pk__in=[c.pk for c in changing]).update(
        status=status, moderated_at=timezone.now(), moderated_by=moderator
    )
    refresh_comment_counts(article_ids=[c.article_id for c in changing])
    first_shown = [c for c in changing if c.status == Status.PENDING and status == Status.APPROVED]
    for comment in changing:
        comment.status = status
    if settings.COMMENTS_NOTIFY and first_shown:
        # One callback for the whole batch, so each author gets one email (a digest if several).
        transaction.on_commit(
            partial(notifications.notify_authors_of_approved, first_shown, site_url=site_url)
        )
    return len(changing)


def trust_commenters(*, comments, moderator, site_url: str) -> int:
    """Approve `comments` and every pending comment from the same addresses.

    Trust is "has an approved comment", so once approved their future comments go straight up.
    """
    chosen = dict(comments.values_list("pk", "email"))
    held_elsewhere = Comment.objects.in_moderation().filter(email__in=set(chosen.values()))
    return moderate_comments(
        comments=Comment.objects.filter(pk__in=chosen) | held_elsewhere,
        status=Status.APPROVED,
        moderator=moderator,
        site_url=site_url,
    )


@transaction.atomic
def delete_comments(*, comments) -> None:
    """Delete for good (replies go with their parent) and recount the articles concerned."""
    article_ids = set(comments.values_list("article_id", flat=True))
    lock_articles(article_ids)
    comments.delete()
    refresh_comment_counts(article_ids=article_ids)


def _notify(comment: Comment, *, previous_status: str | None, site_url: str) -> None:
    if not settings.COMMENTS_NOTIFY or comment.status == previous_status:
        return
    if comment.status == Status.PENDING:
        transaction.on_commit(
            partial(notifications.notify_moderators_of_held, comment, site_url=site_url)
        )
    elif comment.status == Status.APPROVED and previous_status in (None, Status.PENDING):
        transaction.on_commit(
            partial(
                notifications.notify_author_of_new,
                comment,
                comment_url=thread.comment_url(comment),
                site_url=site_url,
            )
        )
