"""Tag pages (description, published articles, pagination, 404s) and links from articles to them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import make_article, make_profile, make_tag

pytestmark = pytest.mark.django_db


def test_tag_page_shows_description_and_only_published_articles_of_the_tag(client):
    tag = make_tag("Korean War", description="Seventy years after the armistice.")
    mine = make_article(title="Tagged and public")
    mine.tags.add(tag)
    for hidden in [
        make_article(title="Tagged draft", status="draft"),
        make_article(
            title="Tagged tomorrow", published_at=timezone.now() + datetime.timedelta(days=1)
        ),
    ]:
        hidden.tags.add(tag)
    make_article(title="Untagged")
    response = client.get(reverse("articles:tag", kwargs={"slug": "korean-war"}))
    assert response.status_code == 200
    assert list(response.context["articles"]) == [mine]
    page = response.content.decode()
    assert "<h1>Korean War</h1>" in page
    assert "Seventy years after the armistice." in page
    assert "<title>Korean War · " in page


def test_tag_page_is_paginated_and_404s_for_unknown_tags_and_pages(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    tag = make_tag("Trade")
    now = timezone.now()
    for n in range(3):
        make_article(title=f"Trade {n}", published_at=now - datetime.timedelta(hours=n)).tags.add(
            tag
        )
    second = client.get(tag.get_absolute_url(), {"page": 2})
    assert [a.title for a in second.context["articles"]] == ["Trade 2"]
    assert 'rel="prev" href="?page=1"' in second.content.decode()
    assert client.get(tag.get_absolute_url(), {"page": 3}).status_code == 404
    assert client.get(tag.get_absolute_url(), {"page": "x"}).status_code == 404
    assert client.get(reverse("articles:tag", kwargs={"slug": "nope"})).status_code == 404


def test_empty_tag_page_says_so(client):
    tag = make_tag("Quiet")
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert "Nothing has been published on this topic yet." in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_tag_page_query_count_does_not_grow_with_articles(client, django_assert_num_queries, count):
    tag = make_tag("Busy")
    for _ in range(count):
        make_article().tags.add(tag, make_tag(f"Other {_} of {count}"))
    # tag, page count, articles with authors, their tags, most read this week, header tags (cold)
    with django_assert_num_queries(6):
        assert client.get(tag.get_absolute_url()).status_code == 200


def test_article_tags_link_to_their_tag_pages(client):
    article = make_article()
    article.tags.add(make_tag("North Korea"))
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/tags/north-korea/" rel="tag">North Korea</a>' in page


def test_bylines_link_to_the_author_page_when_the_author_has_one(client):
    profile = make_profile(display_name="Abu Aliyu")
    with_profile = make_article(author=profile.user)
    without_profile = make_article()
    link = f'<a class="meta__author" href="{profile.get_absolute_url()}" rel="author">Abu Aliyu</a>'
    assert link in client.get(with_profile.get_absolute_url()).content.decode()
    assert link in client.get(reverse("articles:list")).content.decode()
    plain = client.get(without_profile.get_absolute_url()).content.decode()
    assert '<span class="meta__author">Ada Writer</span>' in plain


def test_list_cards_link_their_tags_without_extra_queries(client, django_assert_num_queries):
    for n in range(3):
        make_article().tags.add(make_tag(f"Topic {n}"))
    with django_assert_num_queries(5):  # the home's pin: tags come from the page's prefetch
        page = client.get(reverse("articles:list")).content.decode()
    for n in range(3):
        assert f'<a href="/tags/topic-{n}/" rel="tag">Topic {n}</a>' in page
