"""Emails about comments: held ones to moderators, newly visible ones to the article's author.

Sent through Django's email backend (console in development) after the transaction that made the
change commits, so nobody is told about a comment that was rolled back. `COMMENTS_NOTIFY=false`
turns them off.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Comment

MODERATE_PERMISSION = "moderate_comment"


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
        "site_name": settings.SITE_NAME,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] Comment awaiting moderation on “{comment.article}”",
        message=render_to_string("comments/email/held.txt", context),
        from_email=None,
        recipient_list=recipients,
    )


def notify_author_of_new(comment: Comment, *, comment_url: str, site_url: str) -> None:
    author_email = comment.article.author.email
    if not author_email or author_email.lower() == comment.email:
        return
    context = {
        "comment": comment,
        "comment_url": site_url.rstrip("/") + comment_url,
        "site_name": settings.SITE_NAME,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] New comment on “{comment.article}”",
        message=render_to_string("comments/email/new_comment.txt", context),
        from_email=None,
        recipient_list=[author_email],
    )
