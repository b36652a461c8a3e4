"""The writer's desk: article, tag and author-profile admin, with the rules of articles/roles.py."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion_compare.admin import CompareVersionAdmin

from . import charts, revisions, roles
from .forms import ArticleAdminForm, AuthorProfileForm
from .models import Article, AuthorProfile, Tag, person_name

CHART_DAYS = 30


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


class PublicationStateFilter(admin.SimpleListFilter):
    """Draft / waiting for review / scheduled / published, as writers think of them."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("Waiting for review")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if value == "review":
            return queryset.waiting_for_review()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "published":
            return queryset.published()
        return queryset


class AuthorFilter(admin.RelatedOnlyFieldListFilter):
    """Authors who have articles, named as the list's author column names them (one query)."""

    def field_choices(self, field, request, model_admin):
        writers = model_admin.get_queryset(request).order_by().values("author_id")
        users = get_user_model().objects.filter(pk__in=writers)
        choices = [(user.pk, person_name(user)) for user in users]
        return sorted(choices, key=lambda choice: choice[1].casefold())


@admin.register(Article)
class ArticleAdmin(CompareVersionAdmin):
    form = ArticleAdminForm
    list_display = ["title", "author_display", "state", "published_at", "view_count"]
    list_select_related = ["author__profile"]
    search_fields = ["title", "body", "author__first_name", "author__last_name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags"]
    readonly_fields = ["view_count", "comment_count", "created_at", "updated_at"]
    history_latest_first = True
    # Kept in versions (a restore needs them) but noise in a diff.
    compare_exclude = ["cover_renditions", "created_at", "updated_at"]
    change_list_template = "admin/articles/article/change_list.html"

    class Media:
        css = {"all": ["articles/desk.css"]}
        js = ["articles/editor.js"]

    # Who sees and changes what (articles/roles.py), checked on every admin URL.

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is None and Article.objects.filter(pk=_int_or_none(object_id)).exists():
            raise PermissionDenied  # someone else's article
        return article

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or roles.can_edit_article(request.user, obj))

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if not roles.can_edit_article(request.user, obj):
            return False
        # Without the right to publish, what is live is the Editors' to change.
        return roles.can_publish(request.user) or obj.status != Article.Status.PUBLISHED

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.has_change_permission(request, obj))

    def get_list_filter(self, request):
        if roles.can_edit_any_article(request.user):
            return [
                PublicationStateFilter,
                ("author", AuthorFilter),
                "tags",
                "published_at",
            ]
        return [PublicationStateFilter, "tags", "published_at"]

    def get_fieldsets(self, request, obj=None):
        main = ["title", "slug", "body", "excerpt", "tags"]
        if roles.can_edit_any_article(request.user):
            main.insert(2, "author")
        fieldsets = [
            (None, {"fields": main}),
            (_("Cover image"), {"fields": ["cover_image", "cover_alt"]}),
            (_("Publishing"), {"fields": ["status", "published_at", "comments_open"]}),
        ]
        if obj is not None:
            fieldsets.append(
                (
                    _("Statistics"),
                    {"fields": ["view_count", "comment_count", "created_at", "updated_at"]},
                )
            )
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "status" in form.base_fields and not roles.can_publish(request.user):
            form.base_fields["status"].choices = [
                (Article.Status.DRAFT, Article.Status.DRAFT.label),
                (Article.Status.REVIEW, _("Submit for review")),
            ]
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            # The picker lists writers only (active staff, and anyone with an author profile,
            # such as seeded or imported authors), and needs no permission to browse users.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(Q(is_staff=True, is_active=True) | Q(profile__isnull=False))
                .order_by("first_name", "last_name", "username")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "author":
            field.label_from_instance = person_name
        return field

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not roles.can_edit_any_article(request.user):
            obj.author = request.user
        AuthorProfile.objects.ensure_for(obj.author)
        super().save_model(request, obj, form, change)

    # Preview: a link on the change page and a "Save and preview" button.

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("articles:preview", kwargs={"pk": obj.pk}))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("articles:preview", kwargs={"pk": obj.pk}))
        return super().response_change(request, obj)

    def get_view_on_site_url(self, obj=None):
        if obj is None or obj.pk is None:
            return None
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("articles:preview", kwargs={"pk": obj.pk})

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
            context["preview_url"] = reverse("articles:preview", kwargs={"pk": obj.pk})
        context["desk_urls"] = {
            "render": reverse("articles:render-preview"),
            "upload": reverse("articles:upload-image"),
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Revisions: django-reversion's views check only the model permission; add the object's.

    def history_view(self, request, object_id, extra_context=None):
        self._article_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request, object_id, extra_context=None):
        self._article_or_404(request, object_id)
        return super().compare_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.method != "POST":  # showing an old version: reversion rolls it back
            return super().revision_view(request, object_id, version_id, extra_context)
        with revisions.counters_kept(article.pk):
            return super().revision_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        may_recover = roles.can_edit_any_article(request.user)
        return super().changelist_view(
            request, {"may_recover": may_recover, **(extra_context or {})}
        )

    # Deleted articles of every author are listed there: Editors only.

    def recoverlist_view(self, request, extra_context=None):
        if not roles.can_edit_any_article(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not roles.can_edit_any_article(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def _article_or_404(self, request, object_id):
        # get_object() has already refused someone else's article with a 403.
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        return article

    @admin.display(description=_("author"), ordering="author__last_name")
    def author_display(self, article):
        return article.author_name

    @admin.display(description=_("state"), ordering="status")
    def state(self, article):
        if article.is_scheduled:
            return format_html(
                "{} <small>{}</small>",
                _("Scheduled"),
                timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M"),
            )
        return article.get_status_display()


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    """Everyone edits their own profile; only superusers see or change anyone else's."""

    form = AuthorProfileForm
    list_display = ["display_name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["display_name", "slug"]
    prepopulated_fields = {"slug": ["display_name"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def get_object(self, request, object_id, from_field=None):
        profile = super().get_object(request, object_id, from_field)
        if profile is None and AuthorProfile.objects.filter(pk=_int_or_none(object_id)).exists():
            raise PermissionDenied
        return profile

    def has_add_permission(self, request):
        # Profiles are made for writers automatically (first article, `add_staff`, seeds).
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_fields(self, request, obj=None):
        fields = ["display_name", "slug", "bio", "website", "avatar"]
        return ["user", *fields] if request.user.is_superuser else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if request.user.is_superuser:
            kwargs["fields"] = ["user", "display_name", "slug", "bio", "website", "avatar"]
        return super().get_form(request, obj, change, **kwargs)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
