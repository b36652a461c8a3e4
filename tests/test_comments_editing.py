"""A commenter edits or withdraws their own comment: same browser, inside the window, untouched."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.authorship import MINE_COOKIE
from comments.models import BlocklistEntry, Comment
from tests.comments_helpers import form_data, make_comment, post_url
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def posted(client, article):
    """A trusted reader's fresh, visible comment, posted by `client` at NOW."""
    make_comment(article, email="grace@example.com", created_at=NOW - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        client.post(post_url(article), form_data(body="Original text"))
    comment = Comment.objects.latest()
    assert comment.status == Status.APPROVED
    return comment


def edit_url(comment):
    return f"/comments/{comment.pk}/edit/"


def withdraw_url(comment):
    return f"/comments/{comment.pk}/withdraw/"


def test_author_sees_edit_links_and_can_edit_within_the_window(client, article, posted):
    with time_machine.travel(NOW + timedelta(minutes=9), tick=False):
        page = client.get(article.get_absolute_url()).content.decode()
        assert edit_url(posted) in page and withdraw_url(posted) in page
        assert client.get(edit_url(posted)).status_code == 200
        response = client.post(edit_url(posted), {"body": "Better text"})

    posted.refresh_from_db()
    assert posted.body == "Better text"
    assert posted.body_html == "Better text"
    assert posted.edited_at == NOW + timedelta(minutes=9)
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{posted.pk}"


def test_edit_is_refused_after_the_window(client, article, posted, settings):
    settings.COMMENTS_EDIT_WINDOW_MINUTES = 10
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        # The cookie has expired in a real browser; a kept copy is refused by the server too.
        client.cookies[MINE_COOKIE] = client.cookies[MINE_COOKIE].value
        assert client.post(edit_url(posted), {"body": "Too late"}).status_code == 403
        assert client.post(withdraw_url(posted)).status_code == 403
        assert edit_url(posted) not in client.get(article.get_absolute_url()).content.decode()
    posted.refresh_from_db()
    assert (posted.body, posted.status) == ("Original text", Status.APPROVED)


def test_window_counts_from_each_comment_not_from_the_cookie(client, article, posted):
    with time_machine.travel(NOW + timedelta(minutes=8), tick=False):
        client.post(post_url(article), form_data(body="Second thought"))
    later = Comment.objects.latest()
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        refused = client.post(edit_url(posted), {"body": "Too late"})
        allowed = client.post(edit_url(later), {"body": "Still in time"})
    assert refused.status_code == 403
    assert "first 10 minutes" in refused.content.decode()
    assert allowed.status_code == 302


def test_another_browser_cannot_edit_or_withdraw(posted):
    stranger = Client()
    assert stranger.get(edit_url(posted)).status_code == 403
    assert stranger.post(edit_url(posted), {"body": "Hijacked"}).status_code == 403
    assert stranger.post(withdraw_url(posted)).status_code == 403
    stranger.cookies[MINE_COOKIE] = str(posted.pk)  # unsigned: forged
    assert stranger.post(withdraw_url(posted)).status_code == 403
    posted.refresh_from_db()
    assert posted.status == Status.APPROVED


def test_edit_is_refused_once_someone_replied(client, article, posted):
    make_comment(article, parent=posted, name="Bob", status=Status.PENDING)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        response = client.post(edit_url(posted), {"body": "Changed"})
    assert response.status_code == 403
    assert "already replied" in response.content.decode()


def test_edit_is_refused_once_a_moderator_acted(client, article, posted):
    Comment.objects.filter(pk=posted.pk).update(moderated_at=NOW, moderated_by=make_user("mod"))
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        response = client.post(withdraw_url(posted))
    assert response.status_code == 403
    assert "moderator" in response.content.decode()


def test_an_edit_is_judged_again_and_can_become_spam(client, article, posted):
    BlocklistEntry.objects.create(kind="term", value="casino")
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        client.post(edit_url(posted), {"body": "Now with casino links"})
    posted.refresh_from_db()
    assert (posted.status, posted.reason) == (Status.SPAM, Comment.Reason.BLOCKLISTED)
    assert Article.objects.get(pk=article.pk).comment_count == 1


def test_invalid_edit_keeps_the_text_and_changes_nothing(client, posted):
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        response = client.post(edit_url(posted), {"body": "x" * 6000})
        assert client.post(edit_url(posted), {}).status_code == 422
    assert response.status_code == 422
    posted.refresh_from_db()
    assert posted.body == "Original text"


def test_withdraw_asks_first_then_hides_the_comment_and_recounts(client, article, posted):
    assert Article.objects.get(pk=article.pk).comment_count == 2
    with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
        confirmation = client.get(withdraw_url(posted))
        assert confirmation.status_code == 200
        assert Comment.objects.get(pk=posted.pk).status == Status.APPROVED
        response = client.post(withdraw_url(posted), follow=True)

    posted.refresh_from_db()
    assert (posted.status, posted.reason) == (Status.REMOVED, Comment.Reason.WITHDRAWN)
    assert Article.objects.get(pk=article.pk).comment_count == 1
    assert "Original text" not in response.content.decode()
    assert "Your comment has been withdrawn." in response.content.decode()
    with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
        assert client.post(withdraw_url(posted)).status_code == 403


def test_held_comment_can_be_edited_and_stays_held(client, article):
    with time_machine.travel(NOW, tick=False):
        client.post(post_url(article), form_data(email="new@example.com"))
    comment = Comment.objects.get()
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        response = client.post(edit_url(comment), {"body": "Fixed a typo"}, follow=True)
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.PENDING, "Fixed a typo")
    assert "awaiting moderation" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/comments/abc/edit/", "/comments/999999/edit/", "/comments/-1/withdraw/"]
)
def test_bad_ids_are_404(client, url):
    assert client.get(url).status_code == 404


def test_edit_endpoints_reject_other_methods(client, posted):
    assert client.put(edit_url(posted)).status_code == 405
    assert client.delete(withdraw_url(posted)).status_code == 405


def test_edit_errors_get_the_same_focused_summary(client, posted):
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        response = client.post(edit_url(posted), {"body": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="error-summary"' in html and "autofocus" in html
    assert '<a href="#id_body">Comment: This field is required.</a>' in html
    assert 'aria-invalid="true"' in html
    assert ":</label>" not in html
