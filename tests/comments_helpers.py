"""Plain factory functions for the comments tests."""

from datetime import timedelta

import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from comments.forms import issue_form_token
from comments.models import Comment
from tests.factories import make_user


def make_moderator(username="mod", **fields):
    user = make_user(username, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def make_comment(article, *, status=Comment.Status.APPROVED, **fields):
    fields.setdefault("name", "Ada Lovelace")
    fields.setdefault("email", "ada@example.com")
    fields.setdefault("body", "A thoughtful remark.")
    fields.setdefault("reason", Comment.Reason.TRUSTED)
    return Comment.objects.create(article=article, status=status, **fields)


def form_token(article, seconds_ago=60):
    """A fresh form token for `article`, issued `seconds_ago`: a human took that long to write."""
    with time_machine.travel(timezone.now() - timedelta(seconds=seconds_ago), tick=False):
        return issue_form_token(article.pk)


def form_data(article, **overrides):
    """A valid comment form for `article`, with its own unused token unless `issued` is given."""
    data = {
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "body": "Nice article.",
        "issued": form_token(article),
        "website": "",
        "parent": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_url(article):
    return f"/comments/articles/{article.slug}/"
