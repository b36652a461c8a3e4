"""The comment form's signed timestamp serves one article, once: no replay of an old form."""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from comments.forms import (
    EXPIRED_FORM_MESSAGE,
    REPLAYED_FORM_MESSAGE,
    issue_form_token,
    read_form_token,
    use_form_token,
)
from comments.models import Comment
from tests.comments_helpers import form_data, form_token, post_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db

TOKEN_IN_PAGE = re.compile(r'name="issued" value="([^"]+)"')


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request):
    """Every rule holds on the per-process cache and on the shared Redis that production uses."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


def test_a_token_from_another_articles_page_is_refused(client, cache_backend):
    first, second = make_article(slug="first"), make_article(slug="second")
    response = client.post(
        post_url(second), form_data(second, issued=form_token(first), body="Replayed")
    )
    assert response.status_code == 422
    assert str(EXPIRED_FORM_MESSAGE) in response.content.decode()
    assert not Comment.objects.exists()


def test_a_token_carries_one_comment_only(client, cache_backend):
    article = make_article()
    token = form_token(article)
    first = client.post(post_url(article), form_data(article, issued=token, body="Once"))
    second = client.post(post_url(article), form_data(article, issued=token, body="Twice"))
    assert first.status_code == 302
    assert second.status_code == 422
    assert str(REPLAYED_FORM_MESSAGE) in second.content.decode()
    assert "Twice" in second.content.decode()  # the reader's text is handed back
    assert list(Comment.objects.values_list("body", flat=True)) == ["Once"]


def test_a_form_error_issues_a_fresh_token_and_keeps_the_unused_one_unused(client):
    article = make_article()
    token = form_token(article)
    response = client.post(post_url(article), form_data(article, issued=token, email="nope"))
    assert response.status_code == 422
    fresh = TOKEN_IN_PAGE.search(response.content.decode()).group(1)
    assert fresh != token
    assert read_form_token(fresh, article=article)["article"] == article.pk
    with time_machine.travel(timezone.now() + timedelta(seconds=30), tick=False):
        resend = client.post(post_url(article), form_data(article, issued=fresh))
    assert resend.status_code == 302
    assert Comment.objects.count() == 1


def test_every_page_view_gets_its_own_token(client):
    article = make_article()
    tokens = {
        TOKEN_IN_PAGE.search(client.get(article.get_absolute_url()).content.decode()).group(1)
        for _ in range(3)
    }
    assert len(tokens) == 3


def test_a_token_used_by_simultaneous_requests_is_accepted_once(redis_cache):
    """`add` on the shared Redis is atomic: eight workers racing with one token, one wins."""
    article = make_article()
    payload = read_form_token(issue_form_token(article.pk), article=article)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: use_form_token(payload), range(8)))
    assert results.count(True) == 1
