from django.contrib import admin

from . import charts
from .models import Article, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Editors pick the header's topics here: tick "show in navigation" and set the order."""

    list_display = ["name", "slug", "show_in_navigation", "navigation_order"]
    list_editable = ["show_in_navigation", "navigation_order"]
    list_filter = ["show_in_navigation"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description"]}),
        ("Navigation", {"fields": ["show_in_navigation", "navigation_order"]}),
    ]


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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The form's own article instance: no second fetch, and only after the permission check.
        if obj is not None:
            context["views_chart"] = charts.daily_views_svg(
                charts.daily_views(obj, days=30), title=f"Daily views of {obj.title}"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
