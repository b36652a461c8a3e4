"""Head tags for link previews and search engines: canonical URL, Open Graph, Twitter card, JSON-LD.

Every URL here is absolute from `SITE_URL` (`articles.site`), never from the Host header. JSON-LD is
escaped like `json_script`: `<`, `>` and `&` become `\\u003C`-style escapes, so no title, name or
summary can close the `<script>` element.
"""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..covers import cover_of
from ..site import absolute_url

register = template.Library()

_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data) -> str:
    """`data` as a JSON-LD script element that its contents cannot break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def canonical_path(request) -> str:
    """The page's own path; of the query string only a page number past the first is kept."""
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        return f"{request.path}?page={int(page)}"
    return request.path


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context, title=None, description=None, og_type="website", article=None):
    """Description, canonical link, Open Graph and Twitter card tags for the current page."""
    request = context.get("request")
    cover = cover_of(article) if article is not None else None
    return {
        "site_name": settings.SITE_NAME,
        "title": title or settings.SITE_NAME,
        "description": description or settings.SITE_TAGLINE,
        "canonical": absolute_url(canonical_path(request)) if request else None,
        "og_type": og_type,
        "cover": cover,
        "cover_alt": article.cover_alt if cover else "",
        "article": article,
    }


def _breadcrumbs(*trail):
    """BreadcrumbList from (name, path) pairs, starting at the home page."""
    items = [(settings.SITE_NAME, reverse("articles:list")), *trail]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(path)}
            for position, (name, path) in enumerate(items, start=1)
        ],
    }


@register.simple_tag
def breadcrumbs_json_ld(name, path):
    """JSON-LD breadcrumbs for a page one step below the home page (a tag or author page)."""
    return json_ld({"@context": "https://schema.org", **_breadcrumbs((name, path))})


@register.simple_tag
def article_json_ld(article):
    """JSON-LD `BlogPosting` and its `BreadcrumbList` (home, first tag, article)."""
    url = absolute_url(article.get_absolute_url())
    author = {"@type": "Person", "name": article.byline}
    if article.author_profile:
        author["url"] = absolute_url(article.author_profile.get_absolute_url())
    posting = {
        "@type": "BlogPosting",
        "@id": url,
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.title,
        "description": article.summary,
        "dateModified": max(filter(None, (article.updated_at, article.published_at))),
        "author": author,
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "wordCount": article.word_count,
        "keywords": [tag.name for tag in article.tags.all()],
    }
    if article.published_at:  # a draft in a staff preview has no publish date yet
        posting["datePublished"] = article.published_at
    cover = cover_of(article)
    if cover:
        posting["image"] = {
            "@type": "ImageObject",
            "url": cover.url,
            "width": cover.width,
            "height": cover.height,
        }
    tags = article.tags.all()
    trail = [(tags[0].name, tags[0].get_absolute_url())] if tags else []
    breadcrumbs = _breadcrumbs(*trail, (article.title, article.get_absolute_url()))
    return json_ld({"@context": "https://schema.org", "@graph": [posting, breadcrumbs]})


@register.inclusion_tag("includes/feed_links.html")
def feed_links(title=None, rss=None, atom=None):
    """`<link rel="alternate">` for a feed's RSS and Atom paths; without them, the site's feeds."""
    return {
        "title": title or _("%(site)s (all articles)") % {"site": settings.SITE_NAME},
        "rss": absolute_url(rss or reverse("articles:feed")),
        "atom": absolute_url(atom or reverse("articles:feed-atom")),
    }
