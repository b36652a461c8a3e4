"""What a commenter's browser remembers: their name and email (if asked), and their own comments.

Both are signed cookies, not sessions: nothing is stored server-side for anonymous readers, and a
cookie cannot be forged or moved to another comment. The "my comments" cookie holds the ids of the
comments posted from this browser. It outlives the edit window (`MINE_MAX_AGE`), because it also
lets the writer keep seeing their held comments, marked as waiting, until a moderator decides;
the edit window itself is checked against the comment's `created_at` on the server.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Comment

AUTHOR_COOKIE = "comment_author"
AUTHOR_SALT = "comments.remembered-author"
AUTHOR_MAX_AGE = 365 * 24 * 60 * 60
MINE_COOKIE = "my_comments"
MINE_SALT = "comments.own-comments"
MINE_LIMIT = 20
MINE_MAX_AGE = 7 * 24 * 60 * 60


def edit_window() -> timedelta:
    return timedelta(minutes=settings.COMMENTS_EDIT_WINDOW_MINUTES)


def remembered_author(request) -> dict:
    """The name and email this browser asked us to remember, or {}."""
    raw = request.get_signed_cookie(AUTHOR_COOKIE, default=None, salt=AUTHOR_SALT)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: str(data[key]) for key in ("name", "email") if key in data}


def remember_author(response, *, name: str, email: str) -> None:
    response.set_signed_cookie(
        AUTHOR_COOKIE,
        json.dumps({"name": name, "email": email}),
        salt=AUTHOR_SALT,
        max_age=AUTHOR_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )


def forget_author(response) -> None:
    response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")


def my_comment_ids(request) -> set[int]:
    raw = request.get_signed_cookie(
        MINE_COOKIE,
        default="",
        salt=MINE_SALT,
        max_age=MINE_MAX_AGE,
    )
    return {int(part) for part in raw.split(",") if part.isdigit()}


def add_my_comment(request, response, comment: Comment) -> None:
    ids = sorted(my_comment_ids(request) | {comment.pk})[-MINE_LIMIT:]
    response.set_signed_cookie(
        MINE_COOKIE,
        ",".join(map(str, ids)),
        salt=MINE_SALT,
        max_age=MINE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )


def editable_until(comment: Comment):
    return comment.created_at + edit_window()


def why_not_editable(request, comment: Comment) -> str:
    """Why this browser may not edit or withdraw `comment` now, or "" if it may."""
    live_replies = comment.replies.exclude(status__in=(Comment.Status.SPAM, Comment.Status.REMOVED))
    return edit_refusal(comment, mine=my_comment_ids(request), has_replies=live_replies.exists())


def edit_refusal(comment: Comment, *, mine: set[int], has_replies: bool) -> str:
    """The edit rule itself, shared by the views (which enforce it) and the thread (which offers
    the links): the commenter's own browser, within the window, before a moderator has acted and
    before anybody has replied (a reply, even one still held, was written to the text as it is).

    The thread knows only the replies it shows, so it may offer a link that the view then refuses
    because of a held reply; the refusal says why."""
    if comment.pk not in mine:
        return _("You can only change comments you posted from this browser.")
    if timezone.now() > editable_until(comment):
        minutes = settings.COMMENTS_EDIT_WINDOW_MINUTES
        return ngettext(
            "Comments can be changed only during the first minute.",
            "Comments can be changed only during the first %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    if comment.moderated_at is not None:
        return _("A moderator has already reviewed this comment.")
    if comment.status not in (Comment.Status.PENDING, Comment.Status.APPROVED):
        return _("This comment can no longer be changed.")
    if has_replies:
        return _("Someone has already replied to this comment.")
    return ""
