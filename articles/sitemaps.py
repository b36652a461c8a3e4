"""The sitemap: articles (with `lastmod`), tags and authors that have published articles, and the
monthly archive's months.

`/sitemap.xml` is a plain sitemap while every URL fits in one page of `SITEMAP_PAGE_SIZE`; past that
it becomes a sitemap index pointing at `/sitemap-<section>.xml?p=N`. Locations come from `SITE_URL`,
never from the Host header (Django's own index view builds them from the request, so the index is
ours).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property

from . import aggregates
from .models import Article, AuthorProfile, Tag
from .site import absolute_url


class SiteSitemap(Sitemap):
    """Locations on `SITE_URL`; pages of `SITEMAP_PAGE_SIZE` URLs."""

    @property
    def limit(self):
        return settings.SITEMAP_PAGE_SIZE

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    @cached_property
    def paginator(self):
        # Counted once per request: the index and the page both ask for it. And remembered until
        # content changes (`articles.aggregates`): counting 95,000 published articles is 12 ms.
        paginator = super().paginator
        paginator.count = aggregates.paginator_count(f"sitemap:{type(self).__name__}", paginator)
        return paginator


class ArticleSitemap(SiteSitemap):
    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at").order_by("id")

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)


class WithPublishedArticlesSitemap(SiteSitemap):
    """Tags or authors with at least one published article, last modified with their newest one.

    Remembered (`articles.aggregates`): the join reads every published article (220-350 ms at
    100,000 articles, sequential scans and a sort); there are few tags and authors, so the list is
    small. Subclasses name the model and its path to articles.
    """

    model = None
    articles_path = ""

    def items(self):
        published = Article.objects.published()
        return aggregates.remembered(
            f"sitemap-{type(self).__name__}",
            lambda: list(
                self.model.objects.filter(**{f"{self.articles_path}__in": published})
                .annotate(latest=Max(f"{self.articles_path}__published_at"))
                .order_by("id")
            ),
        )

    def lastmod(self, item):
        return item.latest


class TagSitemap(WithPublishedArticlesSitemap):
    model = Tag
    articles_path = "articles"


class AuthorSitemap(WithPublishedArticlesSitemap):
    """Author pages of writers with at least one published article."""

    model = AuthorProfile
    articles_path = "user__articles"


class ArchiveMonthSitemap(SiteSitemap):
    """Monthly archive pages, last modified when an article of the month last changed."""

    def items(self):
        return aggregates.archive_months()

    def location(self, entry):
        month = entry["month"]
        return reverse("articles:archive-month", kwargs={"year": month.year, "month": month.month})

    def lastmod(self, entry):
        return entry["last_modified"]


# Section name -> sitemap: the order of the index.
SECTIONS = {
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "archive": ArchiveMonthSitemap,
}
ROBOTS_HEADERS = {"X-Robots-Tag": "noindex, noodp, noarchive"}


def _sections():
    return {name: sitemap() for name, sitemap in SECTIONS.items()}


def sitemap(request):
    """`/sitemap.xml`: every URL while they fit in one page, else an index of section pages."""
    sections = _sections()
    if sum(section.paginator.count for section in sections.values()) <= settings.SITEMAP_PAGE_SIZE:
        return sitemap_views.sitemap(request, sections)
    entries = []
    for name, section in sections.items():
        location = absolute_url(reverse("articles:sitemap-section", kwargs={"section": name}))
        entries.extend(
            sitemap_views.SitemapIndexItem(location if page == 1 else f"{location}?p={page}", None)
            for page in section.paginator.page_range
        )
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=ROBOTS_HEADERS,
    )


def sitemap_section(request, section):
    """`/sitemap-<section>.xml?p=N`: one page of one section (unknown section or page: 404)."""
    if section not in SECTIONS:
        raise Http404("No such sitemap section.")
    return sitemap_views.sitemap(request, _sections(), section=section)


def robots_txt(request):
    """Crawlers: the sitemap, and no admin, previews, comment endpoints or search result pages."""
    return TemplateResponse(
        request,
        "robots.txt",
        {"sitemap_url": absolute_url(reverse("articles:sitemap"))},
        content_type="text/plain; charset=utf-8",
    )
