"""The comment count stays true when moderators act at the same moment (threads, PostgreSQL)."""

import threading
from functools import partial

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from articles.models import Article
from comments import services
from comments.models import Comment
from comments.moderation import Submission
from tests.comments_helpers import make_comment
from tests.factories import make_article

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite serializes writers; needs PostgreSQL"
    ),
]


def run_together(actions):
    """Run the callables in threads released at the same moment; return their exceptions."""
    start = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            start.wait()
            action()
        except Exception as error:  # collected: an exception in a thread cannot fail the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_approvals_leave_the_exact_count():
    article = make_article()
    pending = [make_comment(article, status=Comment.Status.PENDING) for _ in range(8)]
    moderator = get_user_model().objects.create_user("mod", password="pw")

    errors = run_together(
        [
            partial(
                services.moderate_comments,
                comments=Comment.objects.filter(pk=comment.pk),
                status=Comment.Status.APPROVED,
                moderator=moderator,
                site_url="http://testserver/",
            )
            for comment in pending
        ]
    )

    assert errors == []
    assert Article.objects.get(pk=article.pk).comment_count == len(pending)


def test_concurrent_trusted_posts_leave_the_exact_count():
    article = make_article()
    make_comment(article, email="grace@example.com")
    services.refresh_comment_counts(article_ids=[article.pk])
    submission = Submission(
        name="Grace", email="grace@example.com", body="Me too", seconds_to_submit=60
    )

    errors = run_together(
        [
            partial(services.post_comment, article=article, submission=submission, site_url="/")
            for _ in range(8)
        ]
    )

    assert errors == []
    assert Comment.objects.public().count() == 9
    assert Article.objects.get(pk=article.pk).comment_count == 9
