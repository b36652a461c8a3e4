"""Head tags per page: title, description, canonical from SITE_URL, Open Graph, Twitter card, and
JSON-LD (BlogPosting, BreadcrumbList), all escaped so hostile titles cannot break out."""

import json
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.models import Article

from .factories import (
    attach_cover,
    largest_jpeg_rendition,
    make_article,
    make_profile,
    make_tag,
)

pytestmark = pytest.mark.django_db

HOSTILE = 'Say "hi" & </script><script>alert(1)</script> <b>bold</b>'


class Head(HTMLParser):
    """What a crawler reads from a page: meta tags, links, title and JSON-LD blocks."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld, self.scripts = {}, {}, [], []
        self.title, self._in = "", None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs["rel"], attrs["href"])
        elif tag == "script":
            self.scripts.append(attrs)
        self._in = (tag, attrs.get("type"))

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == ("title", None):
            self.title += data
        elif self._in == ("script", "application/ld+json"):
            self.json_ld.append(json.loads(data))


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://news.example"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]


def head_of(client, url, **params):
    response = client.get(url, params, HTTP_HOST="evil.example")
    assert response.status_code == 200
    assert "evil.example" not in response.content.decode()
    return Head(response.content.decode())


@pytest.fixture
def article():
    profile = make_profile(display_name="Abu Aliyu", slug="abu-aliyu")
    story = make_article(
        slug="hostile",
        title=HOSTILE,
        author=profile.user,
        excerpt='An excerpt with "quotes" & <tags>.',
    )
    story.tags.add(make_tag("Korean War"))
    return attach_cover(story, width=1200, height=630, alt='A "cover"')


def test_article_head_has_title_description_canonical_and_open_graph(client, article):
    head = head_of(client, article.get_absolute_url(), utm_source="x")
    url = "https://news.example/articles/hostile/"
    assert head.title == f"{HOSTILE} · Newsroom"
    assert head.meta["description"] == 'An excerpt with "quotes" & <tags>.'
    assert head.links["canonical"] == url
    storage = article.cover_image.storage
    cover = f"https://news.example{storage.url(largest_jpeg_rendition(article))}"
    assert cover.endswith("-1200w.jpg")
    assert {key: head.meta[key] for key in head.meta if key.startswith(("og:", "twitter:"))} == {
        "og:site_name": "Newsroom",
        "og:type": "article",
        "og:title": HOSTILE,
        "og:description": 'An excerpt with "quotes" & <tags>.',
        "og:url": url,
        "og:image": cover,
        "og:image:width": "1200",
        "og:image:height": "630",
        "og:image:alt": 'A "cover"',
        "twitter:card": "summary_large_image",
        "twitter:image": cover,
        "twitter:image:alt": 'A "cover"',
        "twitter:title": HOSTILE,
        "twitter:description": 'An excerpt with "quotes" & <tags>.',
    }
    assert head.meta["article:author"] == "Abu Aliyu"
    assert head.meta["article:tag"] == "Korean War"


def test_article_json_ld_is_a_blog_posting_with_breadcrumbs_and_cannot_be_broken_out_of(
    client, article
):
    response = client.get(article.get_absolute_url())
    assert "</script><script>alert(1)" not in response.content.decode()
    head = Head(response.content.decode())
    # Only the site's own scripts: the hostile title opened none.
    assert [s.get("src") or s.get("type") for s in head.scripts] == [
        "/static/js/navigation.js",
        "application/ld+json",
        "/static/js/share.js",
    ]
    [data] = head.json_ld
    posting, breadcrumbs = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert posting["@type"] == "BlogPosting"
    assert posting["headline"] == HOSTILE
    assert posting["url"] == "https://news.example/articles/hostile/"
    assert posting["datePublished"].startswith(article.published_at.strftime("%Y-%m-%dT%H:%M"))
    assert posting["dateModified"].startswith(article.updated_at.strftime("%Y-%m-%dT%H:%M"))
    assert posting["author"] == {
        "@type": "Person",
        "name": "Abu Aliyu",
        "url": "https://news.example/authors/abu-aliyu/",
    }
    assert posting["image"] == {
        "@type": "ImageObject",
        "url": f"https://news.example{article.cover_image.storage.url(largest_jpeg_rendition(article))}",
        "width": 1200,
        "height": 630,
    }
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [(i["position"], i["name"], i["item"]) for i in breadcrumbs["itemListElement"]] == [
        (1, "Newsroom", "https://news.example/"),
        (2, "Korean War", "https://news.example/tags/korean-war/"),
        (3, HOSTILE, "https://news.example/articles/hostile/"),
    ]


def test_article_without_cover_or_profile_gets_a_small_card_and_a_plain_author(client):
    story = make_article(slug="plain", title="Plain")
    head = head_of(client, story.get_absolute_url())
    assert head.meta["twitter:card"] == "summary"
    assert "og:image" not in head.meta
    [data] = head.json_ld
    posting = data["@graph"][0]
    assert "image" not in posting
    assert posting["author"] == {"@type": "Person", "name": "Ada Writer"}


def test_list_pages_have_canonical_urls_with_only_their_page_number(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    tag = make_tag("Trade", description='Ships & "ports".')
    profile = make_profile(slug="abu-aliyu", bio="Writes about trade.")
    for _ in range(2):
        make_article(author=profile.user).tags.add(tag)
    home = head_of(client, reverse("articles:list"), page=2, ref="mail")
    assert home.links["canonical"] == "https://news.example/?page=2"
    assert home.meta["og:type"] == "website"
    assert head_of(client, reverse("articles:list"), page=1).links["canonical"] == (
        "https://news.example/"
    )
    tag_head = head_of(client, tag.get_absolute_url())
    assert tag_head.links["canonical"] == "https://news.example/tags/trade/"
    assert tag_head.meta["description"] == 'Ships & "ports".'
    [crumbs] = tag_head.json_ld
    assert [i["item"] for i in crumbs["itemListElement"]] == [
        "https://news.example/",
        "https://news.example/tags/trade/",
    ]
    author_head = head_of(client, profile.get_absolute_url())
    assert author_head.meta["og:type"] == "profile"
    assert author_head.meta["description"] == "Writes about trade."


def test_error_pages_are_not_indexed(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    head = Head(response.content.decode())
    assert head.meta["robots"] == "noindex"
    assert "canonical" not in head.links


def test_cover_facts_are_read_once_then_cached_and_a_lost_file_is_no_error(client, article):
    """The cover's size comes from the file once; later pages take it from the cache, and an
    article whose file is gone simply has no image in its previews."""
    url = article.get_absolute_url()
    assert head_of(client, url).meta["og:image:width"] == "1200"
    article.cover_image.storage.delete(largest_jpeg_rendition(article))
    assert head_of(client, url).meta["og:image:width"] == "1200"  # no file read: cached
    cache.clear()
    head = head_of(client, url)
    assert "og:image" not in head.meta
    assert head.meta["twitter:card"] == "summary"
    assert "image" not in head.json_ld[0]["@graph"][0]


def test_previews_use_the_largest_jpeg_rendition_at_its_real_size_else_the_original(client):
    story = attach_cover(make_article(slug="wide"), width=2400, height=1260)
    head = head_of(client, story.get_absolute_url())
    assert head.meta["og:image"].endswith("/wide-1600w.jpg")
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1600", "840")
    # An image stored before renditions existed: the original file, at its own size.
    Article.objects.filter(pk=story.pk).update(cover_renditions={})
    cache.clear()
    head = head_of(client, story.get_absolute_url())
    assert head.meta["og:image"] == f"https://news.example{story.cover_image.url}"
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("2400", "1260")
