from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView

from pagecache.middleware import depends_on, on_hit

from . import aggregates, archive, counters, page_cache, search, tracking
from .models import Article, AuthorProfile, Tag


class PublishedArticlesMixin:
    """Limits a view to what readers may see; the one gate between drafts and the public."""

    def get_queryset(self):
        return Article.objects.for_listing()


class RememberedCountPaginator(Paginator):
    """A paginator whose count is remembered until content changes (`articles.aggregates`).

    The page count of a list is a COUNT(*) over every published article in it: an index-only scan
    of `article_published_idx` for the home page, yet 12 ms at 100,000 articles (95,000 index
    entries), and 50 ms for a tag (10,000 rows joined through the tag table). Decision: no index can
    make it constant, so it is computed once per content change, like the cached pages themselves.
    """

    def __init__(self, *args, count_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        return aggregates.paginator_count(self.count_key, self)


class ArticleListView(PublishedArticlesMixin, ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginator_class = RememberedCountPaginator

    def get(self, request, *args, **kwargs):
        # A search sent to a list page (an old link, a form without an action) gets the results.
        if "q" in request.GET:
            query = urlencode({"q": request.GET["q"]})
            return redirect(f"{reverse('articles:search')}?{query}")
        return super().get(request, *args, **kwargs)

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_paginator(self, *args, **kwargs):
        # The list's URL names its remembered count: every page of one list shares it, and no
        # subclass can end up sharing another list's.
        return super().get_paginator(*args, count_key=self.request.path, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counters.attach_recent_views(context["articles"])
        return context


class AuthorArticlesView(ArticleListView):
    """An author's page: their profile, then their published articles, newest first."""

    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.profile = get_object_or_404(AuthorProfile, slug=self.kwargs["slug"])
        return super().get_queryset().filter(author_id=self.profile.user_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)


class TagArticlesView(ArticleListView):
    """A tag page: the tag's description, then its published articles, newest first."""

    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        # The template renders after get() returns, so a view counted here is already shown.
        response = super().get(request, *args, **kwargs)
        depends_on(request, page_cache.article_scope(self.object.pk))
        on_hit(request, page_cache.COUNT_VIEW, self.object.pk)
        if not tracking.track_view(request=request, response=response, article=self.object):
            counters.attach_recent_views([self.object])
        return response


class SearchView(PublishedArticlesMixin, ListView):
    """`/search/?q=…`: published articles matching the query, best first, with marked snippets.

    Any text is a valid query: it is cleaned and capped (`search.clean_query`), and a query with
    nothing searchable left shows the search form without results.
    """

    template_name = "articles/search.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.query = search.clean_query(self.request.GET.get("q", ""))
        if not self.query:
            return Article.objects.none()
        return super().get_queryset().search(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query, max_query_length=search.MAX_QUERY_LENGTH, **kwargs
        )
        search.attach_snippets(context["articles"], self.query)
        return context


class ArchiveIndexView(TemplateView):
    """`/archive/`: every year with published articles, and its months with their counts."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        years = {}
        for row in aggregates.archive_months():
            year = years.setdefault(row["month"].year, {"year": row["month"].year, "months": []})
            year["months"].append(row)
        for year in years.values():
            year["count"] = sum(month["count"] for month in year["months"])
        return super().get_context_data(years=list(years.values()), **kwargs)


class ArchiveMonthView(ArticleListView):
    """`/archive/<yyyy>/<mm>/`: a month's articles, newest first; 404 for an empty month.

    Month boundaries are midnight in the site's time zone (`articles.archive`).
    """

    template_name = "articles/archive_month.html"

    def get_queryset(self):
        bounds = archive.month_range(self.kwargs["year"], self.kwargs["month"])
        if bounds is None:
            raise Http404("No such month.")
        self.month_start, self.month_end = bounds
        return (
            super()
            .get_queryset()
            .filter(published_at__gte=self.month_start, published_at__lt=self.month_end)
        )

    def get_paginator(self, *args, **kwargs):
        # An empty month is a 404, found by the page's own count rather than an extra query.
        return super().get_paginator(*args, **{**kwargs, "allow_empty_first_page": False})

    def get_context_data(self, **kwargs):
        previous_month, next_month = archive.neighbour_months(
            Article.objects.published(), self.month_start, self.month_end
        )
        return super().get_context_data(
            month=archive.month_of(self.month_start),
            previous_month=previous_month,
            next_month=next_month,
            **kwargs,
        )
