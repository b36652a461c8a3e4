"""The 404 page gives the reader somewhere to go: a search box and the latest articles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_not_found_lists_the_latest_published_articles(client):
    for number in range(6):
        make_article(title=f"Story {number}", slug=f"story-{number}")
    make_article(title="Secret draft", slug="draft", status=Article.Status.DRAFT)
    tomorrow = timezone.now() + timedelta(days=1)
    make_article(title="Tomorrow", slug="later", published_at=tomorrow)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert html.count('<li><a href="/articles/story-') == 5
    assert "Secret draft" not in html and "Tomorrow" not in html
    assert html.count("<h1") == 1


def test_not_found_offers_a_search_box(client):
    html = client.get("/no-such-page/").content.decode()
    assert '<form class="error-page__search" role="search" method="get" action="/search/">' in html
    assert 'name="q"' in html
