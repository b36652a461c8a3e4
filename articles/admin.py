from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts
from .models import Article, Tag, person_name

CHART_DAYS = 30


class AuthorFilter(admin.RelatedOnlyFieldListFilter):
    """Authors who have articles, named as the list's author column names them (full name)."""

    def field_choices(self, field, request, model_admin):
        listed = model_admin.get_queryset(request).order_by().values_list("author_id").distinct()
        users = field.related_model.objects.filter(pk__in=listed)
        choices = [(user.pk, person_name(user)) for user in users]
        return sorted(choices, key=lambda choice: choice[1].casefold())


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
    list_filter = ["status", "published_at", ("author", AuthorFilter), "tags"]
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

    @admin.display(description=gettext_lazy("author"), ordering="author__last_name")
    def author_display(self, article):
        return article.author_name

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The form's own article instance: no second fetch, and only after the permission check.
        if obj is not None:
            # Sixty days in one query: the chart shows the last thirty, the summary compares them
            # with the thirty before.
            both = charts.daily_views(obj, days=2 * CHART_DAYS)
            previous, current = both[:CHART_DAYS], both[CHART_DAYS:]
            context["views_chart"] = charts.daily_views_svg(
                current, title=_("Daily views of %(title)s") % {"title": obj.title}
            )
            context["views_summary"] = charts.period_comparison(current, previous)
        return super().render_change_form(request, context, add, change, form_url, obj)
