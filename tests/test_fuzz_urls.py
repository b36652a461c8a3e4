"""Property-based: hostile URL parameters and paths on every reader URL answer 200, 404 (or 405),
never 500, and never echo anything unescaped."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.comments_helpers import make_comment
from tests.factories import make_article
from tests.fuzz import hostile_text
from tests.html_checks import inline_code

pytestmark = pytest.mark.django_db

SLUGS = st.from_regex(r"\A[-a-zA-Z0-9_]{1,60}\Z")


@pytest.fixture
def article():
    article = make_article(slug="known-story")
    make_comment(article)
    return article


def assert_safe(response, *expected_statuses):
    assert response.status_code in expected_statuses
    assert inline_code(response.content.decode()) == []


@given(page=hostile_text(40), extra=st.dictionaries(hostile_text(10), hostile_text(40), max_size=2))
def test_list_pages_with_any_page_parameter(client, article, page, extra):
    for url in (
        reverse("articles:list"),
        reverse("articles:author", args=[article.author.username]),
    ):
        assert_safe(client.get(url, {**extra, "page": page}), 200, 404)


@given(comments=hostile_text(40), reply_to=hostile_text(40), q=hostile_text(60))
def test_article_page_with_any_parameters(client, article, comments, reply_to, q):
    response = client.get(
        article.get_absolute_url(), {"comments": comments, "reply_to": reply_to, "q": q}
    )
    assert_safe(response, 200)


@given(slug=SLUGS)
def test_any_slug(client, article, slug):
    expected = {True: (200,), False: (404,)}
    assert_safe(
        client.get(reverse("articles:detail", args=[slug])), *expected[slug == article.slug]
    )
    assert_safe(client.get(reverse("articles:author", args=[slug])), 200, 404)
    # GET on the post URL leads a reader back to the article's comments, if there is one.
    assert_safe(client.get(reverse("comments:post", args=[slug])), 302, 404)


@given(segment=hostile_text(80))
def test_any_path_segment(client, article, segment):
    """Percent-encoded anything where a slug or id goes: a 404 page, not a crash."""
    encoded = quote(segment, safe="")
    for prefix in ("/articles/", "/authors/", "/comments/", "/comments/articles/"):
        assert_safe(client.get(f"{prefix}{encoded}/"), 200, 301, 404, 405)
