"""Emails: held comments to moderators, newly visible comments to the article's author."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from comments.models import BlocklistEntry, Comment
from tests.comments_helpers import form_data, make_comment, make_moderator, post_url
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(author=make_user("writer", email="writer@newsroom.example"))


@pytest.fixture
def moderators():
    make_moderator("mod", email="mod@newsroom.example")
    make_user("root", is_superuser=True, is_staff=True, email="root@newsroom.example")
    holder = make_user("holder", email="holder@newsroom.example")
    holder.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    make_moderator("gone", email="gone@newsroom.example", is_active=False)
    make_user("reader", email="reader@newsroom.example")


def test_held_comment_emails_every_active_moderator_after_commit(
    client, article, moderators, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(post_url(article), form_data(article, body="Please approve me"))
    assert len(callbacks) == 1

    [email] = mailoutbox
    comment = Comment.objects.get()
    assert sorted(email.to) == [
        "holder@newsroom.example",
        "mod@newsroom.example",
        "root@newsroom.example",
    ]
    assert "Please approve me" in email.body
    assert "First-time commenter" in email.body
    assert f"http://testserver/admin/comments/comment/{comment.pk}/change/" in email.body
    assert f"http://testserver/comments/{comment.pk}/" in email.body  # in context


def test_new_visible_comment_emails_the_author(
    client, article, mailoutbox, django_capture_on_commit_callbacks
):
    make_comment(article, email="grace@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), form_data(article, body="Visible at once"))

    [email] = mailoutbox
    comment = Comment.objects.latest()
    assert email.to == ["writer@newsroom.example"]
    assert "Visible at once" in email.body
    assert f"http://testserver/articles/{article.slug}/#comment-{comment.pk}" in email.body


def test_author_hears_when_a_moderator_approves_a_held_comment(
    article, moderators, mailoutbox, django_capture_on_commit_callbacks
):
    comment = make_comment(article, status=Comment.Status.PENDING)
    moderator = Client()
    moderator.force_login(make_moderator("mod2"))
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(f"/admin/comments/comment/{comment.pk}/moderate/approve/")
    assert [email.to for email in mailoutbox] == [["writer@newsroom.example"]]


def test_author_commenting_on_their_own_article_gets_no_email(
    client, article, mailoutbox, django_capture_on_commit_callbacks
):
    make_comment(article, email="writer@newsroom.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), form_data(article, email="Writer@Newsroom.example"))
    assert Comment.objects.latest().status == Comment.Status.APPROVED
    assert mailoutbox == []


def test_notifications_can_be_turned_off(
    client, article, moderators, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(post_url(article), form_data(article))
    assert callbacks == []
    assert mailoutbox == []


def test_spam_notifies_nobody(
    client, article, moderators, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_MODERATION = "none"
    BlocklistEntry.objects.create(kind="term", value="casino")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), form_data(article, body="casino"))
    assert Comment.objects.get().status == Comment.Status.SPAM
    assert mailoutbox == []


def test_a_mail_relay_that_is_down_costs_the_email_not_the_comment(
    client, settings, article, moderators, caplog, django_capture_on_commit_callbacks
):
    """The real SMTP backend against a port where nothing listens: the reader's post still
    succeeds once, the comment is stored once, and the failure is logged."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            post_url(article), form_data(article, body="Held while mail is down")
        )
    assert response.status_code == 302
    assert Comment.objects.get().body == "Held while mail is down"
    assert "Comment notification to 3 recipient(s) not sent" in caplog.text
