"""Emails about comments: held ones to moderators, newly visible ones to the article's author.

Sent through Django's email backend (console in development) after the transaction that made the
change commits, so nobody is told about a comment that was rolled back. `COMMENTS_NOTIFY=false`
turns them off. A moderator approving many comments at once sends each author one digest, not one
email per comment. A mail relay that is down or refuses a message costs the email, logged as an
error, never the comment or the reader's page: the comment is already stored when this runs.
"""

import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import thread
from .models import Comment

MODERATE_PERMISSION = "moderate_comment"

logger = logging.getLogger(__name__)


def _send(*, subject: str, message: str, recipients: list[str]) -> None:
    try:
        send_mail(subject=subject, message=message, from_email=None, recipient_list=recipients)
    except (OSError, smtplib.SMTPException):
        logger.exception("Comment notification to %d recipient(s) not sent", len(recipients))


def moderator_emails() -> list[str]:
    """Active users who may moderate: superusers, and members or holders of the permission."""
    granted = Q(groups__permissions__codename=MODERATE_PERMISSION) | Q(
        user_permissions__codename=MODERATE_PERMISSION
    )
    users = (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | granted, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(set(users))


def notify_moderators_of_held(comment: Comment, *, site_url: str) -> None:
    recipients = moderator_emails()
    if not recipients:
        return
    context = {
        "comment": comment,
        "review_url": site_url.rstrip("/")
        + reverse("admin:comments_comment_change", args=[comment.pk]),
        "context_url": site_url.rstrip("/") + reverse("comments:in-context", args=[comment.pk]),
        "site_name": settings.SITE_NAME,
    }
    _send(
        subject=_("[%(site)s] Comment awaiting moderation on “%(article)s”")
        % {"site": settings.SITE_NAME, "article": comment.article},
        message=render_to_string("comments/email/held.txt", context),
        recipients=recipients,
    )


def _author_to_tell(comment: Comment) -> str:
    """The article author's address, unless they have none or wrote the comment themselves."""
    author_email = comment.article.author.email
    if not author_email or author_email.lower() == comment.email:
        return ""
    return author_email


def notify_author_of_new(comment: Comment, *, comment_url: str, site_url: str) -> None:
    author_email = _author_to_tell(comment)
    if not author_email:
        return
    context = {
        "comment": comment,
        "comment_url": site_url.rstrip("/") + comment_url,
        "site_name": settings.SITE_NAME,
    }
    _send(
        subject=_("[%(site)s] New comment on “%(article)s”")
        % {"site": settings.SITE_NAME, "article": comment.article},
        message=render_to_string("comments/email/new_comment.txt", context),
        recipients=[author_email],
    )


def notify_authors_of_approved(comments: list[Comment], *, site_url: str) -> None:
    """Comments a moderator made visible together: one email per author, a digest if several.

    The digest links each comment through `comments:in-context`, which finds its page when
    clicked, so sending costs no query per comment.
    """
    by_author = defaultdict(list)
    for comment in comments:
        if recipient := _author_to_tell(comment):
            by_author[recipient].append(comment)
    for recipient, theirs in by_author.items():
        if len(theirs) == 1:
            notify_author_of_new(
                theirs[0], comment_url=thread.comment_url(theirs[0]), site_url=site_url
            )
            continue
        base = site_url.rstrip("/")
        context = {
            "comments": [
                (comment, base + reverse("comments:in-context", args=[comment.pk]))
                for comment in theirs
            ],
            "site_name": settings.SITE_NAME,
        }
        _send(
            subject=ngettext(
                "[%(site)s] %(count)d new comment on your articles",
                "[%(site)s] %(count)d new comments on your articles",
                len(theirs),
            )
            % {"site": settings.SITE_NAME, "count": len(theirs)},
            message=render_to_string("comments/email/new_comments_digest.txt", context),
            recipients=[recipient],
        )
