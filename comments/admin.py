"""The moderation queue.

Comments are the readers' words: nobody edits them here, and nobody adds them. Moderators change
their status — in bulk with actions, or with the one-click buttons on each row — and every change
goes through `services` so that the article's comment count follows. Moderating needs the
`comments.moderate_comment` permission, checked on the server for actions and buttons alike.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from . import services
from .models import BlocklistEntry, Comment

Status = Comment.Status

# One-click decisions: URL name → (status, button label, past tense for the message).
DECISIONS = {
    "approve": (Status.APPROVED, "Approve", "approved"),
    "trust": (Status.APPROVED, "Approve & trust", "approved, with their other held comments"),
    "spam": (Status.SPAM, "Spam", "marked as spam"),
    "remove": (Status.REMOVED, "Remove", "removed"),
}


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["status", "name", "article_title", "excerpt", "reason_display", "created_at"]
    list_display_links = ["name"]
    list_filter = ["status", "reason", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "body"]
    list_select_related = ["article"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["approve", "approve_and_trust", "mark_spam", "remove"]
    fields = [
        "article",
        "parent",
        "name",
        "email",
        "body",
        "status",
        "reason_display",
        "submitter",
        "created_at",
        "edited_at",
        "moderated_at",
        "moderated_by",
    ]
    readonly_fields = fields

    def get_ordering(self, request):
        pending_first = Case(
            When(status=Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [pending_first.asc(), "-created_at"]

    def get_list_display(self, request):
        if self.has_moderate_permission(request):
            return [*self.list_display, "moderation_buttons"]
        return self.list_display

    def get_readonly_fields(self, request, obj=None):
        if self.has_moderate_permission(request):
            return [*self.readonly_fields, "moderation_buttons"]
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    # Comments come from readers and are judged, not rewritten.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    @admin.display(description="article", ordering="article__title")
    def article_title(self, comment):
        # Long headlines would push the reason and the buttons out of sight.
        return Truncator(comment.article.title).chars(40)

    @admin.display(description="excerpt")
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)

    @admin.display(description="reason", ordering="reason")
    def reason_display(self, comment):
        if comment.reason_detail and comment.reason_detail != comment.get_reason_display():
            return f"{comment.get_reason_display()}: {comment.reason_detail}"
        return comment.get_reason_display()

    @admin.display(description="moderate")
    def moderation_buttons(self, comment):
        # The buttons submit the page's own form (which carries the CSRF token) to a per-comment
        # URL, because forms cannot be nested inside the changelist form.
        buttons = [
            (reverse("admin:comments_comment_moderate", args=[comment.pk, name]), label)
            for name, (status, label, _) in DECISIONS.items()
            if status != comment.status or (name == "trust" and comment.status == Status.PENDING)
        ]
        return format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" formmethod="post" '
            "formnovalidate>{}</button>",
            buttons,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/moderate/<slug:decision>/",
                self.admin_site.admin_view(self.moderate_view),
                name="comments_comment_moderate",
            ),
            *super().get_urls(),
        ]

    def moderate_view(self, request, pk, decision):
        return require_POST(self._moderate_one)(request, pk, decision)

    def _moderate_one(self, request, pk, decision):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        if decision not in DECISIONS:
            raise Http404("Unknown moderation decision.")
        comment = get_object_or_404(Comment, pk=pk)
        self._decide(request, Comment.objects.filter(pk=comment.pk), decision)
        self.message_user(
            request, format_html("Comment by {} {}.", comment.name, DECISIONS[decision][2])
        )
        back = request.headers.get("referer", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)
        return redirect("admin:comments_comment_changelist")

    def _decide(self, request, queryset, decision) -> int:
        site_url = request.build_absolute_uri("/")
        if decision == "trust":
            return services.trust_commenters(
                comments=queryset, moderator=request.user, site_url=site_url
            )
        return services.moderate_comments(
            comments=queryset,
            status=DECISIONS[decision][0],
            moderator=request.user,
            site_url=site_url,
        )

    def _bulk(self, request, queryset, decision):
        changed = self._decide(request, queryset, decision)
        self.message_user(
            request,
            f"{changed} comment{'s' if changed != 1 else ''} {DECISIONS[decision][2]}.",
            messages.SUCCESS,
        )

    @admin.action(permissions=["moderate"], description="Approve selected comments")
    def approve(self, request, queryset):
        self._bulk(request, queryset, "approve")

    @admin.action(
        permissions=["moderate"],
        description="Approve and trust these commenters (approves their other held comments)",
    )
    def approve_and_trust(self, request, queryset):
        self._bulk(request, queryset, "trust")

    @admin.action(permissions=["moderate"], description="Mark selected comments as spam")
    def mark_spam(self, request, queryset):
        self._bulk(request, queryset, "spam")

    @admin.action(permissions=["moderate"], description="Remove selected comments")
    def remove(self, request, queryset):
        self._bulk(request, queryset, "remove")

    def delete_model(self, request, obj):
        services.delete_comments(comments=Comment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.delete_comments(comments=queryset)


@admin.register(BlocklistEntry)
class BlocklistEntryAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "note", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]
    date_hierarchy = "created_at"
