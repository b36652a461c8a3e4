"""Property-based: hostile data in every public comment form never answers 500, never comes back
unescaped, and never alters a comment that is not the sender's own.

Profiles: see tests/conftest.py (HYPOTHESIS_PROFILE=thorough for a long search).
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from comments.authorship import MINE_COOKIE
from comments.forms import EditForm
from comments.models import Comment
from tests.comments_helpers import form_data, form_token, make_comment, post_url
from tests.factories import make_article
from tests.fuzz import hostile_text
from tests.html_checks import inline_code

pytestmark = pytest.mark.django_db

COMMENT_FIELDS = ["name", "email", "body", "remember", "parent", "website", "issued"]


@pytest.fixture(autouse=True)
def _everything_visible(settings):
    """Valid fuzzed comments go straight into the thread, so the thread renders them."""
    settings.COMMENTS_MODERATION = "none"
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = "1000000/600"


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def bystander(article):
    """Somebody else's comment: no request may change it."""
    return make_comment(article, name="Bystander", email="by@example.com", body="Mine, untouched")


def snapshot(comment):
    fields = ["body", "body_html", "name", "email", "status", "reason", "edited_at", "parent_id"]
    return Comment.objects.filter(pk=comment.pk).values(*fields).get()


def assert_safe(response, *expected_statuses):
    assert response.status_code in expected_statuses
    assert inline_code(response.content.decode()) == []


@st.composite
def comment_posts(draw):
    """A comment form where each field is either valid or hostile, plus unexpected fields."""
    fields = {}
    for name in COMMENT_FIELDS:
        choice = draw(st.sampled_from(["valid", "hostile", "missing"]))
        if choice == "hostile":
            fields[name] = draw(hostile_text())
        elif choice == "missing":
            fields[name] = None
    extra = draw(
        st.dictionaries(st.sampled_from(["csrfmiddlewaretoken", "x", "pk"]), hostile_text(40))
    )
    return fields, extra


@given(post=comment_posts())
def test_posting_hostile_comments(client, article, bystander, post):
    before = snapshot(bystander)
    fields, extra = post
    data = form_data(article, **fields)
    data.update(extra)
    assert_safe(client.post(post_url(article), data), 302, 422)
    assert_safe(client.get(article.get_absolute_url()), 200)
    assert snapshot(bystander) == before


@given(reply_to=st.integers(), body=hostile_text())
def test_replies_to_any_id_are_checked(client, article, bystander, reply_to, body):
    before = snapshot(bystander)
    response = client.post(post_url(article), form_data(article, parent=str(reply_to), body=body))
    assert_safe(response, 302, 422)
    if response.status_code == 302:
        stored = Comment.objects.latest()
        assert stored.parent_id in (None, bystander.pk)
    assert snapshot(bystander) == before


@pytest.fixture
def own_comment(client, article, settings):
    """A comment `client` posted itself (so the browser holds the signed "my comments" cookie)."""
    client.post(post_url(article), form_data(article, body="My own words"))
    return Comment.objects.get(body="My own words")


@given(data=st.fixed_dictionaries({}, optional={"body": hostile_text(6000), "x": hostile_text()}))
def test_editing_with_hostile_text(client, article, bystander, own_comment, data):
    before_bystander, before_own = snapshot(bystander), snapshot(own_comment)
    response = client.post(reverse("comments:edit", args=[own_comment.pk]), data)
    assert_safe(response, 302, 422)
    after = snapshot(own_comment)
    if response.status_code == 302:
        form = EditForm(data)
        assert form.is_valid()
        assert after["body"] == form.cleaned_data["body"]
    else:
        assert after == before_own
    assert_safe(client.get(article.get_absolute_url()), 200)
    assert snapshot(bystander) == before_bystander


@given(
    pk=st.integers(min_value=0, max_value=10**30),
    action=st.sampled_from(["comments:edit", "comments:withdraw"]),
    method=st.sampled_from(["get", "post"]),
    data=st.fixed_dictionaries({}, optional={"body": hostile_text(), "confirm": hostile_text()}),
    cookie=st.one_of(st.none(), hostile_text(60)),
)
def test_strangers_cannot_reach_any_comment(article, bystander, pk, action, method, data, cookie):
    """Any id, any data, any forged cookie: 404 (or 405), the same for every id, nothing changes."""
    before = snapshot(bystander)
    stranger = Client()
    if cookie is not None:
        # As a WSGI server hands it over: the header's UTF-8 bytes, decoded as Latin-1 (PEP 3333).
        stranger.cookies[MINE_COOKIE] = cookie.encode().decode("latin-1")
    for target in (pk, bystander.pk):
        response = getattr(stranger, method)(reverse(action, args=[target]), data)
        assert_safe(response, 404)
    assert snapshot(bystander) == before


@given(token=hostile_text(300))
def test_hostile_form_tokens_are_only_ever_a_form_error(client, article, bystander, token):
    response = client.post(post_url(article), form_data(article, issued=token))
    assert_safe(response, 422)
    assert not Comment.objects.exclude(pk=bystander.pk).exists()


def test_a_valid_token_still_posts(client, article):
    """The control for the properties above: the same form with a real token is accepted."""
    response = client.post(post_url(article), form_data(article, issued=form_token(article)))
    assert response.status_code == 302
