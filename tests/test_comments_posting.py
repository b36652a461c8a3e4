"""Posting through HTTP: every policy rule end to end, the form, CSRF, closing, bad input."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.authorship import AUTHOR_COOKIE
from comments.forms import EXPIRED_FORM_MESSAGE
from comments.models import BlocklistEntry, Comment
from comments.views import HELD_MESSAGE
from tests.comments_helpers import form_data, form_token, make_comment, post_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db
Status = Comment.Status
Reason = Comment.Reason


@pytest.fixture
def article():
    return make_article()


def refreshed(article):
    return Article.objects.get(pk=article.pk)


def test_first_comment_is_held_and_the_reader_is_told(client, article):
    response = client.post(post_url(article), form_data(), follow=True)

    comment = Comment.objects.get()
    assert (comment.status, comment.reason) == (Status.PENDING, Reason.FIRST_TIME)
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#comments", 302)]
    assert str(HELD_MESSAGE) in response.content.decode()
    assert refreshed(article).comment_count == 0
    assert "Nice article." not in Client().get(article.get_absolute_url()).content.decode()


def test_trusted_commenter_is_published_and_redirected_to_the_comment(client, article):
    make_comment(article, email="grace@example.com")

    response = client.post(post_url(article), form_data(email="Grace@Example.com"))

    comment = Comment.objects.latest()
    assert (comment.status, comment.reason) == (Status.APPROVED, Reason.TRUSTED)
    assert comment.email == "grace@example.com"
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert refreshed(article).comment_count == 2
    page = client.get(response["Location"]).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "2 comments" in page


def test_submitter_is_an_opaque_fingerprint_not_an_address(client, article):
    client.post(post_url(article), form_data(), REMOTE_ADDR="203.0.113.9")
    submitter = Comment.objects.get().submitter
    assert len(submitter) == 64
    assert "203.0.113" not in submitter


@pytest.mark.parametrize(
    "seconds_to_write,body,status,reason",
    [
        (1, "Quick!", Status.PENDING, Reason.TOO_FAST),
        (
            60,
            "a http://a.example b http://b.example c http://c.example",
            Status.PENDING,
            Reason.TOO_MANY_LINKS,
        ),
        (60, "Great casino deals", Status.SPAM, Reason.BLOCKLISTED),
        (60, "see http://spam.example/x", Status.SPAM, Reason.BLOCKLISTED),
    ],
)
def test_each_rule_records_its_reason(
    client, article, settings, seconds_to_write, body, status, reason
):
    settings.COMMENTS_MODERATION = "none"
    BlocklistEntry.objects.create(kind="term", value="casino")
    BlocklistEntry.objects.create(kind="domain", value="spam.example")

    with time_machine.travel(timezone.now(), tick=False):
        data = form_data(body=body, issued=form_token(seconds_ago=seconds_to_write))
        response = client.post(post_url(article), data)

    comment = Comment.objects.get()
    assert (comment.status, comment.reason) == (status, reason)
    assert comment.reason_detail
    assert response.status_code == 302
    assert refreshed(article).comment_count == 0


def test_mode_all_holds_even_trusted_commenters(client, article, settings):
    settings.COMMENTS_MODERATION = "all"
    make_comment(article, email="grace@example.com")
    client.post(post_url(article), form_data())
    assert Comment.objects.latest().reason == Reason.MODERATE_ALL


def test_mode_none_publishes_first_comments(client, article, settings):
    settings.COMMENTS_MODERATION = "none"
    client.post(post_url(article), form_data())
    assert Comment.objects.get().status == Status.APPROVED
    assert refreshed(article).comment_count == 1


def test_honeypot_hit_is_not_stored_but_answered_like_a_held_comment(client, article):
    response = client.post(post_url(article), form_data(website="http://bot.example"), follow=True)
    assert not Comment.objects.exists()
    assert str(HELD_MESSAGE) in response.content.decode()


@pytest.mark.parametrize("token", ["", "garbage", "123.0:tampered:signature"])
def test_tampered_form_token_asks_to_resend_and_keeps_the_text(client, article, token):
    response = client.post(post_url(article), form_data(issued=token, body="My long reply"))
    assert response.status_code == 422
    content = response.content.decode()
    assert str(EXPIRED_FORM_MESSAGE) in content
    assert "My long reply" in content
    assert not Comment.objects.exists()


def test_expired_form_asks_to_resend_with_a_fresh_token(client, article, settings):
    settings.COMMENTS_FORM_MAX_AGE_HOURS = 1
    old = form_token(seconds_ago=2 * 3600)
    response = client.post(post_url(article), form_data(issued=old, body="Kept text"))
    assert response.status_code == 422
    assert str(EXPIRED_FORM_MESSAGE) in response.content.decode()
    assert old not in response.content.decode()

    resend = client.post(post_url(article), form_data(body="Kept text"))
    assert resend.status_code == 302
    assert Comment.objects.get().body == "Kept text"


def test_field_errors_are_shown_next_to_the_fields_keeping_the_input(client, article):
    response = client.post(post_url(article), form_data(email="not-an-email", name=""))
    assert response.status_code == 422
    content = response.content.decode()
    assert 'id="id_email_error"' in content
    assert 'aria-describedby="id_email_helptext id_email_error"' in content
    assert 'id="id_name_error"' in content
    assert 'value="not-an-email"' in content
    assert "Nice article." in content
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_remember_me_sets_a_signed_cookie_that_prefills_the_form(client, article):
    client.post(post_url(article), form_data(remember="on"))
    assert client.cookies[AUTHOR_COOKIE].value

    page = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Grace Hopper"' in page
    assert 'value="grace@example.com"' in page

    client.post(post_url(article), form_data(body="Again"))
    assert client.cookies[AUTHOR_COOKIE].value == ""


def test_forged_remember_cookie_is_ignored(client, article):
    client.cookies[AUTHOR_COOKIE] = '{"name": "Mallory", "email": "m@example.com"}'
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Mallory" not in page


def test_csrf_is_enforced():
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(post_url(article), form_data()).status_code == 403
    assert not Comment.objects.exists()

    browser.get(article.get_absolute_url())
    token = browser.cookies["csrftoken"].value
    response = browser.post(post_url(article), form_data(csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_closed_article_refuses_comments_and_hides_the_form(client, article):
    Article.objects.filter(pk=article.pk).update(comments_open=False)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed" in page
    assert 'id="comment-form"' not in page

    response = client.post(post_url(article), form_data())
    assert response.status_code == 403
    assert "Comments are closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_close_automatically_after_the_configured_days(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    old = make_article(slug="old", published_at=timezone.now() - timedelta(days=8))
    recent = make_article(slug="recent", published_at=timezone.now() - timedelta(days=6))
    assert client.post(post_url(old), form_data()).status_code == 403
    assert client.post(post_url(recent), form_data()).status_code == 302


def test_replies_are_one_level_deep_and_stay_on_their_article(client, article):
    top = make_comment(article)
    reply = make_comment(article, parent=top, name="Bob")
    other = make_comment(make_article(slug="other"))
    held = make_comment(article, status=Status.PENDING)

    for parent in (reply, other, held):
        response = client.post(post_url(article), form_data(parent=str(parent.pk)))
        assert response.status_code == 422
    assert "Replies can only answer a top-level comment" in (
        client.post(post_url(article), form_data(parent=str(reply.pk))).content.decode()
    )

    response = client.post(post_url(article), form_data(parent=str(top.pk)))
    assert response.status_code == 302
    assert Comment.objects.latest().parent == top


def test_reply_link_prefills_the_parent_of_the_form(client, article):
    top = make_comment(article, name="Ada Lovelace")
    page = client.get(f"{article.get_absolute_url()}?reply_to={top.pk}").content.decode()
    assert f'name="parent" value="{top.pk}"' in page
    assert "Reply to Ada Lovelace" in page
    page = client.get(f"{article.get_absolute_url()}?reply_to=nonsense").content.decode()
    assert "Leave a comment" in page


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": None, "email": None, "body": None, "issued": None},
        {"body": "x" * (Comment.MAX_BODY_LENGTH + 1)},
        {"name": "n" * 500},
        {"email": "a" * 250 + "@example.com"},
        {"body": "nul \x00 byte"},
        {"body": "   "},
        {"parent": "abc"},
        {"parent": "-1"},
        {"parent": "99999999999999999999999"},
        {"parent": "999999"},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(client, article, overrides):
    response = client.post(post_url(article), form_data(**overrides))
    assert response.status_code == 422
    assert not Comment.objects.exists()


def test_unknown_or_unpublished_article_is_404(client):
    draft = make_article(slug="draft", status=Article.Status.DRAFT)
    assert client.post("/comments/articles/no-such-story/", form_data()).status_code == 404
    assert client.post(post_url(draft), form_data()).status_code == 404


def test_get_on_the_post_endpoint_leads_back_to_the_comments(client, article):
    """After a failed post the address bar shows the posting URL: reloading it must not be a 405."""
    response = client.get(post_url(article))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comments"


def test_other_methods_on_the_post_endpoint_are_405(client, article):
    assert client.put(post_url(article)).status_code == 405
