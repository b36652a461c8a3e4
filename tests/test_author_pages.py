"""Author pages: profile and published articles; drafts and unknown slugs are hidden."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.site import absolute_url

from .factories import make_article, make_profile, make_user

pytestmark = pytest.mark.django_db


def test_author_page_shows_profile_and_only_their_published_articles(client):
    profile = make_profile(display_name="Abu Aliyu", bio="Writes about East Asia.")
    mine = make_article(title="Mine", author=profile.user)
    make_article(title="Draft of mine", author=profile.user, status="draft")
    make_article(
        title="Scheduled of mine",
        author=profile.user,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    make_article(title="Someone else's")
    response = client.get(profile.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["articles"]) == [mine]
    page = response.content.decode()
    assert "<h1>Abu Aliyu</h1>" in page
    assert "Writes about East Asia." in page


def test_author_page_is_404_for_an_unknown_slug_and_out_of_range_pages(client):
    profile = make_profile()
    assert client.get(reverse("articles:author", kwargs={"slug": "nobody"})).status_code == 404
    assert client.get(profile.get_absolute_url(), {"page": 2}).status_code == 404


def test_author_page_query_count_does_not_grow_with_articles(client, django_assert_num_queries):
    profile = make_profile(user=make_user("prolific"))
    for _ in range(12):
        make_article(author=profile.user)
    # profile, page count, articles with authors, their tags, most read this week, the header's
    # tags (cold cache)
    with django_assert_num_queries(6):
        client.get(profile.get_absolute_url())


def test_absolute_urls_come_from_site_url_not_the_host_header(settings):
    settings.SITE_URL = "https://news.example/"
    assert absolute_url("/articles/x/") == "https://news.example/articles/x/"
