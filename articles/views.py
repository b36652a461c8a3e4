from django.conf import settings
from django.views.generic import DetailView, ListView

from .models import Article


class PublishedArticlesMixin:
    """Limits a view to what readers may see; the one gate between drafts and the public."""

    def get_queryset(self):
        return Article.objects.for_listing()


class ArticleListView(PublishedArticlesMixin, ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
