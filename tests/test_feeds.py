"""RSS 2.0 and Atom feeds (site, tag, author): valid XML, full content, covers, authors, tags,
absolute links from SITE_URL, conditional GET, fixed query counts, alternate links on pages."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import (
    attach_cover,
    largest_jpeg_rendition,
    make_article,
    make_profile,
    make_tag,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://news.example"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]


def fetch(client, url, **headers):
    response = client.get(url, HTTP_HOST="evil.example", **headers)
    assert response.status_code == 200, response.status_code
    return response, ET.fromstring(response.content)


@pytest.fixture
def story():
    profile = make_profile(display_name="Abu Aliyu", slug="abu-aliyu")
    article = make_article(
        slug="armistice-day",
        title="Armistice day",
        author=profile.user,
        body="First <em>paragraph</em>.<script>alert(1)</script>\n\nSecond paragraph.",
        excerpt="The short version.",
    )
    article.tags.add(make_tag("Korean War"), make_tag("Diplomacy"))
    return attach_cover(article, width=800, height=450, alt="Soldiers at the border")


def test_rss_carries_full_sanitised_content_cover_author_and_tags(client, story):
    make_article(title="A draft", status="draft")
    make_article(title="Tomorrow", published_at=timezone.now() + datetime.timedelta(days=1))
    response, rss = fetch(client, reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = rss.find("channel")
    assert channel.findtext("link") == "https://news.example/"
    assert channel.find(f"{ATOM}link").get("href") == "https://news.example/feed/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Armistice day"]
    item = items[0]
    assert item.findtext("link") == "https://news.example/articles/armistice-day/"
    assert item.findtext("guid") == "https://news.example/articles/armistice-day/"
    assert item.findtext("description") == "The short version."
    assert item.findtext(DC_CREATOR) == "Abu Aliyu"
    assert sorted(c.text for c in item.findall("category")) == ["Diplomacy", "Korean War"]
    content = item.findtext(CONTENT)
    assert "<em>paragraph</em>" in content and "Second paragraph." in content
    assert "<script" not in content
    rendition = largest_jpeg_rendition(story)
    cover_url = f"https://news.example{story.cover_image.storage.url(rendition)}"
    assert (
        f'<img src="{cover_url}" width="800" height="450" alt="Soldiers at the border">' in content
    )
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == cover_url
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == story.cover_image.storage.size(rendition)
    assert b"evil.example" not in response.content


def test_atom_carries_content_author_link_and_categories(client, story):
    response, atom = fetch(client, reverse("articles:feed-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom.tag == f"{ATOM}feed"
    entry = atom.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Armistice day"
    assert entry.find(f"{ATOM}link").get("href") == "https://news.example/articles/armistice-day/"
    assert entry.findtext(f"{ATOM}summary") == "The short version."
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "Second paragraph." in content.text
    author = entry.find(f"{ATOM}author")
    assert author.findtext(f"{ATOM}name") == "Abu Aliyu"
    assert author.findtext(f"{ATOM}uri") == "https://news.example/authors/abu-aliyu/"
    terms = sorted(c.get("term") for c in entry.findall(f"{ATOM}category"))
    assert terms == ["Diplomacy", "Korean War"]
    assert b"evil.example" not in response.content


def test_feeds_list_the_newest_feed_items_articles(client, settings):
    settings.FEED_ITEMS = 3
    now = timezone.now()
    for n in range(5):
        make_article(title=f"Story {n}", published_at=now - datetime.timedelta(hours=n))
    _, rss = fetch(client, reverse("articles:feed"))
    assert [i.findtext("title") for i in rss.iter("item")] == ["Story 0", "Story 1", "Story 2"]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_tag_and_author_feeds_hold_only_their_articles(client, story, kind):
    other = make_article(title="Other")
    other.tags.add(make_tag("Economy"))
    suffix = "" if kind == "rss" else "-atom"
    titles_of = {
        "rss": lambda xml: [i.findtext("title") for i in xml.iter("item")],
        "atom": lambda xml: [e.findtext(f"{ATOM}title") for e in xml.iter(f"{ATOM}entry")],
    }[kind]
    tag_url = reverse(f"articles:tag-feed{suffix}", kwargs={"slug": "korean-war"})
    _, tag_feed = fetch(client, tag_url)
    assert titles_of(tag_feed) == ["Armistice day"]
    author_url = reverse(
        f"articles:author-feed{suffix}", kwargs={"slug": story.author_profile.slug}
    )
    _, author_feed = fetch(client, author_url)
    assert titles_of(author_feed) == ["Armistice day"]
    assert b"Abu Aliyu" in client.get(author_url).content
    for missing in [
        reverse(f"articles:tag-feed{suffix}", kwargs={"slug": "nope"}),
        reverse(f"articles:author-feed{suffix}", kwargs={"slug": "nobody"}),
    ]:
        assert client.get(missing).status_code == 404


def test_conditional_get_answers_304_with_one_query(client, story, django_assert_num_queries):
    url = reverse("articles:feed")
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    # Served from the page cache, which keeps the feed's ETag: no query at all.
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_etag_changes_when_an_article_is_published_edited_or_withdrawn(client, settings, story):
    """The feed's own validators; the page cache is off because the withdrawal below is a raw
    UPDATE, which bypasses the signals that retire cached pages."""
    settings.PAGE_CACHE_ENABLED = False
    url = reverse("articles:tag-feed", kwargs={"slug": "korean-war"})
    seen = {client.get(url)["ETag"]}

    def changed():
        response = client.get(url, HTTP_IF_NONE_MATCH=", ".join(seen))
        seen.add(response.get("ETag"))
        return response.status_code == 200

    assert not changed()
    newer = make_article(title="Newer")
    newer.tags.add(story.tags.get(slug="korean-war"))
    assert changed()
    story.title = "Armistice day, revised"
    story.save()
    assert changed()
    Article.objects.filter(pk=newer.pk).update(status=Article.Status.DRAFT)
    assert changed()


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("articles:feed", {}),
        ("articles:feed-atom", {}),
        ("articles:tag-feed", {"slug": "busy"}),
        ("articles:author-feed-atom", {"slug": "prolific"}),
    ],
)
def test_feed_query_count_does_not_grow_with_articles(
    client, django_assert_num_queries, name, kwargs
):
    profile = make_profile(slug="prolific")
    tag = make_tag("Busy")

    def add(count):
        for n in range(count):
            article = make_article(author=profile.user)
            article.tags.add(tag, make_tag(f"Extra {Article.objects.count()}-{n}"))

    add(1)
    # freshness, (tag or profile), articles with authors and profiles, their tags
    expected = 4 if kwargs else 3
    with django_assert_num_queries(expected):
        client.get(reverse(name, kwargs=kwargs))
    add(24)
    with django_assert_num_queries(expected):
        client.get(reverse(name, kwargs=kwargs))


def test_pages_advertise_their_feeds(client, story):
    def alternates(url):
        page = client.get(url).content.decode()
        return {
            href
            for href in (
                "https://news.example/feed/",
                "https://news.example/feed/atom/",
                "https://news.example/tags/korean-war/feed/",
                "https://news.example/tags/korean-war/feed/atom/",
                "https://news.example/authors/abu-aliyu/feed/",
                "https://news.example/authors/abu-aliyu/feed/atom/",
            )
            if f'rel="alternate" type="application/{"atom" if "atom" in href else "rss"}+xml"'
            in page
            and f'href="{href}"' in page
        }

    site = {"https://news.example/feed/", "https://news.example/feed/atom/"}
    assert alternates(reverse("articles:list")) == site
    assert alternates(story.get_absolute_url()) == site
    tag_page = story.tags.get(slug="korean-war").get_absolute_url()
    assert alternates(tag_page) == site | {
        "https://news.example/tags/korean-war/feed/",
        "https://news.example/tags/korean-war/feed/atom/",
    }
    assert alternates(story.author_profile.get_absolute_url()) == site | {
        "https://news.example/authors/abu-aliyu/feed/",
        "https://news.example/authors/abu-aliyu/feed/atom/",
    }


def test_etag_changes_with_the_site_name_the_feed_prints(client, settings, story):
    url = reverse("articles:feed")
    etag = client.get(url)["ETag"]
    settings.SITE_NAME = "Renamed"
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert b"<title>Renamed</title>" in response.content


def test_feed_content_makes_links_and_images_absolute(client):
    make_article(
        title="Links",
        body="![A map](/media/map.png)\n\n[Earlier](/articles/earlier/), [elsewhere](https://x.org/a)"
        " and [odd](//other.example/b).",
    )
    _, rss = fetch(client, reverse("articles:feed"))
    content = next(rss.iter("item")).findtext(CONTENT)
    assert 'src="https://news.example/media/map.png"' in content
    assert 'href="https://news.example/articles/earlier/"' in content
    assert 'href="https://x.org/a"' in content
    assert 'href="//other.example/b"' in content


def test_etag_changes_when_a_tag_or_an_author_profile_the_feed_prints_changes(client, story):
    """Feeds print tag descriptions and author names: editing either is a changed feed."""
    tag_feed = reverse("articles:tag-feed", kwargs={"slug": "korean-war"})
    site_feed = reverse("articles:feed")
    tag_etag, site_etag = client.get(tag_feed)["ETag"], client.get(site_feed)["ETag"]
    tag = story.tags.get(slug="korean-war")
    tag.description = "The 1950-53 war and its long armistice."
    tag.save()
    assert client.get(tag_feed, HTTP_IF_NONE_MATCH=tag_etag).status_code == 200
    site_etag = client.get(site_feed)["ETag"]
    profile = story.author_profile
    profile.display_name = "A. Aliyu"
    profile.save()
    response = client.get(site_feed, HTTP_IF_NONE_MATCH=site_etag)
    assert response.status_code == 200
    assert b"A. Aliyu" in response.content
