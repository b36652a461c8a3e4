"""The end of an article: previous/next, up to three related articles, plain share links."""

import datetime
import json
import re
from urllib.parse import quote

import pytest
from django.template import Context, Template
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_tag

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def at(days):
    return NOW - datetime.timedelta(days=days)


def section(page):
    return page[page.index('<section class="more"') : page.index("</footer>")]


def test_previous_and_next_follow_publish_time_and_skip_hidden_articles(client):
    oldest = make_article(title="Oldest", published_at=at(5))
    make_article(title="Hidden draft", status="draft", published_at=at(4))
    middle = make_article(title="Middle", published_at=at(3))
    newest = make_article(title="Newest", published_at=at(1))
    make_article(title="Scheduled", published_at=NOW + datetime.timedelta(days=1))

    def adjacent(article):
        more = section(client.get(article.get_absolute_url()).content.decode())
        found = dict(re.findall(r'rel="(prev|next)" href="/articles/([^/]+)/"', more))
        return found.get("prev"), found.get("next")

    assert adjacent(middle) == (oldest.slug, newest.slug)
    assert adjacent(oldest) == (None, middle.slug)
    assert adjacent(newest) == (middle.slug, None)


def test_articles_published_at_the_same_moment_still_have_a_strict_order():
    first, second, third = (make_article(published_at=at(2)) for _ in range(3))
    assert Article.objects.before(second).first() == first
    assert Article.objects.after(second).first() == third
    assert Article.objects.after(third).first() is None


def test_related_articles_rank_by_shared_tags_then_recency_at_most_three(client):
    a, b, c, d = (make_tag(name) for name in "ABCD")
    article = make_article(title="Subject", published_at=at(10))
    article.tags.add(a, b, c)
    three_shared = make_article(title="Three shared", published_at=at(30))
    three_shared.tags.add(a, b, c, d)
    two_new = make_article(title="Two shared, newer", published_at=at(2))
    two_new.tags.add(a, b)
    two_old = make_article(title="Two shared, older", published_at=at(20))
    two_old.tags.add(b, c)
    one = make_article(title="One shared", published_at=at(1))
    one.tags.add(c)
    make_article(title="Draft sharing all", status="draft").tags.add(a, b, c)
    make_article(title="Unrelated", published_at=at(3)).tags.add(d)
    more = section(client.get(article.get_absolute_url()).content.decode())
    related = more[more.index("Related articles") :]
    titles = re.findall(r'<li><a href="/articles/[^"]+/">([^<]+)</a>', related)
    assert titles == ["Three shared", "Two shared, newer", "Two shared, older"]


def test_article_without_tags_has_no_related_list(client):
    article = make_article()
    make_article()
    assert "Related articles" not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_more_to_read_costs_three_queries_whatever_the_number_of_candidates(
    client, django_assert_num_queries, count
):
    tags = [make_tag(f"T{n}") for n in range(4)]
    article = make_article(published_at=at(15))
    article.tags.add(*tags)
    for n in range(count):
        make_article(published_at=at(n % 30)).tags.add(*tags[: 1 + n % 4])
    # article with author, its tags, most read, comment count, header tags (cold cache),
    # previous, next, related
    with django_assert_num_queries(8):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_share_links_are_plain_links_to_the_absolute_address_without_scripts(client, settings):
    settings.SITE_URL = "https://news.example"
    article = make_article(slug="share-me", title='Ships & "ports"')
    page = client.get(article.get_absolute_url()).content.decode()
    share = page[page.index('<section class="share"') : page.index("</section>")]
    url = quote("https://news.example/articles/share-me/", safe="")
    title = quote('Ships & "ports"', safe="")
    hrefs = re.findall(r'href="([^"]+)"', share)
    assert f"mailto:?subject={title}&amp;body={url}" in hrefs
    for network in ["bsky.app", "twitter.com", "facebook.com", "linkedin.com", "reddit.com"]:
        assert any(network in href and url in href for href in hrefs), network
    assert 'data-copy-url="https://news.example/articles/share-me/"' in share
    # No third-party script anywhere on the page.
    assert re.findall(r'<script src="([^"]+)"', page) == [
        "/static/js/navigation.js",
        "/static/js/share.js",
    ]


def test_an_undated_draft_renders_its_end_matter_and_json_ld_for_a_preview():
    """Staff previews render drafts with no publish date through the same template tags."""
    make_article(title="Published one")
    draft = make_article(title="Draft", status="draft", published_at=None)
    draft.tags.add(make_tag("Shared"))
    html = Template(
        "{% load seo more_to_read %}{% article_json_ld a %}{% more_to_read a %}"
    ).render(Context({"a": draft}))
    assert 'rel="prev"' not in html and 'rel="next"' not in html
    data = json.loads(html[html.index(">") + 1 : html.index("</script>")])
    posting = data["@graph"][0]
    assert "datePublished" not in posting
    assert posting["dateModified"].startswith(str(draft.updated_at.year))
