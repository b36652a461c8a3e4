"""RSS 2.0 and Atom feeds: the whole site, one tag, one author.

Every feed lists `FEED_ITEMS` published articles (the one `published()` gate) with their full,
already-sanitised HTML, the cover image (inline and as an enclosure), the author and the tags.
Links are absolute from `SITE_URL` (`articles.site`), never from the Host header.

Feed readers poll every few minutes, so each feed answers conditional GETs: one aggregate query
(article count and latest change in the feed's scope) gives an ETag and a Last-Modified date, and a
matching `If-None-Match` / `If-Modified-Since` costs that one query and a 304.
"""

import hashlib
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from pagecache import store

from .covers import cover_of
from .models import Article, AuthorProfile, Tag
from .site import absolute_url


class FullContentRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the whole article in `content:encoded`; `description` keeps the summary."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtomFeed(Atom1Feed):
    """Atom with the whole article in `<content type="html">`; `<summary>` keeps the summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


# A root-relative address in a src or href attribute of our own sanitised HTML (always double-quoted
# by the sanitiser); protocol-relative "//host" addresses are left alone.
_ROOT_RELATIVE = re.compile(r'(\s(?:src|href)=")/(?!/)')


def with_absolute_links(html: str) -> str:
    """`html` with root-relative links and images made absolute: a feed is read away from the site,
    and RSS has no base address for readers to resolve them against."""
    return _ROOT_RELATIVE.sub(lambda match: match.group(1) + absolute_url("/"), html)


class ArticlesFeed(Feed):
    """The whole site's articles, newest first (RSS 2.0)."""

    feed_type = FullContentRssFeed
    url_name = "articles:feed"

    def scope(self, obj):
        """The published articles this feed covers."""
        return Article.objects.for_listing()

    def items(self, obj):
        return self.scope(obj)[: settings.FEED_ITEMS]

    def url_kwargs(self, obj):
        return {}

    def feed_url(self, obj):
        return absolute_url(reverse(self.url_name, kwargs=self.url_kwargs(obj)))

    def title(self, obj):
        return settings.SITE_NAME

    def link(self, obj):
        return absolute_url(reverse("articles:list"))

    def description(self, obj):
        return settings.SITE_TAGLINE

    subtitle = description

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_guid_is_permalink(self, article):
        return True

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return max(article.updated_at, article.published_at)

    def item_author_name(self, article):
        return article.byline

    def item_author_link(self, article):
        profile = article.author_profile
        return absolute_url(profile.get_absolute_url()) if profile else None

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]

    def item_enclosures(self, article):
        cover = cover_of(article)
        return [Enclosure(cover.url, str(cover.length), cover.mime_type)] if cover else []

    def item_extra_kwargs(self, article):
        cover = cover_of(article)
        image = ""
        if cover:
            image = format_html(
                '<p><img src="{}" width="{}" height="{}" alt="{}"></p>',
                cover.url,
                cover.width,
                cover.height,
                article.cover_alt,
            )
        return {"content_html": image + with_absolute_links(article.body_html)}


class AtomArticlesFeed(ArticlesFeed):
    feed_type = FullContentAtomFeed
    url_name = "articles:feed-atom"


class TagArticlesFeed(ArticlesFeed):
    """One tag's articles (RSS 2.0); an unknown tag is a 404."""

    url_name = "articles:tag-feed"

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def scope(self, tag):
        return super().scope(tag).filter(tags=tag)

    def url_kwargs(self, tag):
        return {"slug": tag.slug}

    def title(self, tag):
        return _("%(site)s: %(tag)s") % {"site": settings.SITE_NAME, "tag": tag.name}

    def link(self, tag):
        return absolute_url(tag.get_absolute_url())

    def description(self, tag):
        return tag.description or _("Articles tagged %(tag)s.") % {"tag": tag.name}

    subtitle = description


class AtomTagArticlesFeed(TagArticlesFeed):
    feed_type = FullContentAtomFeed
    url_name = "articles:tag-feed-atom"


class AuthorArticlesFeed(ArticlesFeed):
    """One author's articles (RSS 2.0); an unknown author is a 404."""

    url_name = "articles:author-feed"

    def get_object(self, request, slug):
        return get_object_or_404(AuthorProfile, slug=slug)

    def scope(self, profile):
        return super().scope(profile).filter(author_id=profile.user_id)

    def url_kwargs(self, profile):
        return {"slug": profile.slug}

    def title(self, profile):
        return _("%(site)s: %(author)s") % {
            "site": settings.SITE_NAME,
            "author": profile.display_name,
        }

    def link(self, profile):
        return absolute_url(profile.get_absolute_url())

    def description(self, profile):
        return profile.bio or _("Articles by %(author)s.") % {"author": profile.display_name}

    subtitle = description


class AtomAuthorArticlesFeed(AuthorArticlesFeed):
    feed_type = FullContentAtomFeed
    url_name = "articles:author-feed-atom"


def _freshness(request, scope, slug):
    """Count and latest change of the feed's articles, computed once per request.

    The count is part of the ETag so that an article leaving the feed (unpublished, deleted) changes
    it even though the latest change time may go back. Feeds are scoped by slug here, without
    loading the tag or profile, so that a 304 costs one query.
    """
    if not hasattr(request, "_feed_freshness"):
        articles = Article.objects.published()
        if scope == "tag":
            articles = articles.filter(tags__slug=slug)
        elif scope == "author":
            articles = articles.filter(author__profile__slug=slug)
        request._feed_freshness = articles.aggregate(
            count=Count("id", distinct=True),
            updated=Max("updated_at"),
            published=Max("published_at"),
        )
    return request._feed_freshness


def conditional(feed, scope=None):
    """`feed` as a view answering conditional GETs; `scope` ("tag", "author") names its slug."""

    def last_modified(request, slug=None):
        state = _freshness(request, scope, slug)
        times = [time for time in (state["updated"], state["published"]) if time is not None]
        return max(times, default=None)

    def etag(request, slug=None):
        state = _freshness(request, scope, slug)
        # Settings a feed prints are part of it too: a changed site name is a changed feed. So are
        # the tags' and authors' own texts: the page cache's site token changes with any of them
        # (and with any other content save: a poller then gets one 200 too many, never a stale 304).
        stamp = "|".join(
            str(part)
            for part in (
                request.path,
                state["count"],
                state["updated"],
                state["published"],
                settings.SITE_URL,
                settings.SITE_NAME,
                settings.SITE_TAGLINE,
                settings.FEED_ITEMS,
                store.versions([store.SITE])[store.SITE],
            )
        )
        return hashlib.sha256(stamp.encode()).hexdigest()[:32]

    @condition(etag_func=etag, last_modified_func=last_modified)
    def view(request, **kwargs):
        return feed(request, **kwargs)

    return view
