from django.contrib import admin

from . import charts
from .models import Article, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "author_display", "status", "published_at", "view_count"]
    list_filter = ["status", "published_at", ("author", admin.RelatedOnlyFieldListFilter), "tags"]
    list_select_related = ["author"]
    search_fields = ["title", "body", "author__first_name", "author__last_name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["author", "tags"]
    readonly_fields = ["view_count", "comment_count", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "body", "excerpt", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "comments_open"]}),
        ("Statistics", {"fields": ["view_count", "comment_count", "created_at", "updated_at"]}),
    ]

    @admin.display(description="author", ordering="author__last_name")
    def author_display(self, article):
        return article.author_name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None:
            extra_context = {
                **(extra_context or {}),
                "views_chart": charts.daily_views_svg(
                    charts.daily_views(article, days=30), title=f"Daily views of {article.title}"
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)
