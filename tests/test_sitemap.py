"""Sitemap (sections, lastmod, index once large, absolute URLs from SITE_URL) and robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import make_article, make_profile, make_tag

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITEMAP = reverse("articles:sitemap")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://news.example"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]


def get_xml(client, url, **params):
    response = client.get(url, params, HTTP_HOST="evil.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert b"evil.example" not in response.content
    return ET.fromstring(response.content)


def locations(urlset):
    return {url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod") for url in urlset}


def test_sitemap_lists_published_articles_tags_and_authors_with_lastmod(client):
    profile = make_profile(slug="abu-aliyu")
    published = make_article(slug="public", author=profile.user)
    published.tags.add(make_tag("Trade"))
    make_article(slug="draft", status="draft").tags.add(make_tag("Secret"))
    make_article(slug="later", published_at=timezone.now() + datetime.timedelta(days=1))
    make_profile(slug="no-articles-yet")
    urls = locations(get_xml(client, SITEMAP))
    month = timezone.localtime(published.published_at)
    archive = f"https://news.example/archive/{month.year:04d}/{month.month:02d}/"
    assert set(urls) == {
        "https://news.example/articles/public/",
        "https://news.example/tags/trade/",
        "https://news.example/authors/abu-aliyu/",
        archive,
    }
    assert urls["https://news.example/articles/public/"] == published.updated_at.date().isoformat()
    assert urls["https://news.example/tags/trade/"] == published.published_at.date().isoformat()
    assert urls[archive] == published.updated_at.date().isoformat()


def test_archive_months_in_the_sitemap_are_those_with_published_articles(client, settings):
    settings.TIME_ZONE = "UTC"

    def at(year, month):
        return datetime.datetime(year, month, 10, 12, tzinfo=datetime.UTC)

    make_article(published_at=at(2025, 3))
    make_article(published_at=at(2025, 3))
    make_article(published_at=at(2024, 11))
    make_article(status="draft", published_at=at(2023, 1))
    urls = locations(get_xml(client, SITEMAP))
    months = sorted(url for url in urls if "/archive/" in url)
    assert months == [
        "https://news.example/archive/2024/11/",
        "https://news.example/archive/2025/03/",
    ]
    for url in months:
        assert client.get(url.removeprefix("https://news.example")).status_code == 200


def test_large_sitemap_becomes_an_index_of_pages(client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    tag = make_tag("Trade")
    for n in range(3):
        make_article(slug=f"story-{n}").tags.add(tag)
    index = get_xml(client, SITEMAP)
    assert index.tag == f"{NS}sitemapindex"
    pages = [entry.findtext(f"{NS}loc") for entry in index]
    assert pages == [
        "https://news.example/sitemap-articles.xml",
        "https://news.example/sitemap-articles.xml?p=2",
        "https://news.example/sitemap-tags.xml",
        "https://news.example/sitemap-authors.xml",
        "https://news.example/sitemap-archive.xml",
    ]
    listed = set()
    for page in pages:
        path, _, query = page.removeprefix("https://news.example").partition("?p=")
        listed |= set(locations(get_xml(client, path, **({"p": query} if query else {}))))
    assert {f"https://news.example/articles/story-{n}/" for n in range(3)} <= listed
    assert "https://news.example/tags/trade/" in listed


def test_unknown_sections_and_pages_are_404(client):
    make_article()
    assert client.get(reverse("articles:sitemap-section", args=["nope"])).status_code == 404
    section = reverse("articles:sitemap-section", args=["articles"])
    assert client.get(section, {"p": 9}).status_code == 404
    assert client.get(section, {"p": "x"}).status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_sitemap_query_count_does_not_grow_with_rows(client, django_assert_num_queries, count):
    tag = make_tag("Trade")
    for _ in range(count):
        make_article(author=make_profile().user).tags.add(tag)
    # one count and one page of rows per section (articles, tags, authors, archive months)
    # Articles: count and rows; tags, authors, months: one list each, remembered with its count.
    with django_assert_num_queries(5):
        client.get(SITEMAP)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out(client):
    response = client.get(reverse("articles:robots"), HTTP_HOST="evil.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ["/admin/", "/preview/", "/comments/", "/search/"]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: https://news.example/sitemap.xml" in lines


@pytest.mark.parametrize("count", [3, 30])
def test_sitemap_index_and_section_pages_have_fixed_query_counts(
    client, settings, django_assert_num_queries, count
):
    settings.SITEMAP_PAGE_SIZE = 2
    tag = make_tag("Trade")
    for _ in range(count):
        make_article(author=make_profile().user).tags.add(tag)
    with django_assert_num_queries(4):  # a count per section
        client.get(SITEMAP)
    with django_assert_num_queries(0):  # the authors' list and count are remembered
        client.get(reverse("articles:sitemap-section", args=["authors"]), {"p": 2})
