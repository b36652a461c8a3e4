"""The moderation queue.

Comments are the readers' words: nobody edits them here, and nobody adds them. Moderators change
their status — in bulk with actions, or with the one-click buttons on each row — and every change
goes through `services` so that the article's comment count follows. Moderating needs the
`comments.moderate_comment` permission, checked on the server for actions and buttons alike.

The queue is built to fit beside the admin's navigation sidebar at 1366 px and to stack on a
phone (`static/css/admin.css`): one column tells who, where, when and why with an excerpt
(the full text one click away, in a `<details>`), one holds the buttons. It opens on Pending.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import services
from .models import BlocklistEntry, Comment

Status = Comment.Status

# One-click decisions: URL name → (status, button label, past tense for the message, style).
DECISIONS = {
    "approve": (Status.APPROVED, _("Approve"), _("approved"), "primary"),
    "trust": (
        Status.APPROVED,
        _("Approve & trust"),
        _("approved, with their other held comments"),
        "secondary",
    ),
    "spam": (Status.SPAM, _("Spam"), _("marked as spam"), "danger"),
    "remove": (Status.REMOVED, _("Remove"), _("removed"), "danger"),
}
EXCERPT_CHARS = 280


class StatusFilter(admin.SimpleListFilter):
    """Status, opening on Pending: the queue shows what waits unless asked for more."""

    title = _("status")
    parameter_name = "status"
    default = Status.PENDING
    everything = "all"

    def lookups(self, request, model_admin):
        return [*Status.choices, (self.everything, _("All"))]

    def value(self):
        return super().value() or self.default

    def queryset(self, request, queryset):
        if self.value() == self.everything:
            return queryset
        if self.value() not in Status.values:
            raise IncorrectLookupParameters(f"Unknown status {self.value()!r}")
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        # The inherited "All" entry means "no parameter", which here means Pending; the explicit
        # "all" lookup replaces it.
        entries = list(super().choices(changelist))
        return entries[1:]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["comment_card", "excerpt"]
    list_display_links = None
    list_filter = [StatusFilter, "reason", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "body"]
    list_select_related = ["article"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["approve", "approve_and_trust", "mark_spam", "remove"]

    class Media:
        css = {"all": ["css/admin.css"]}

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

    @admin.display(description=_("comment"), ordering="created_at")
    def comment_card(self, comment):
        """Who, on which article, when, and why it has its status: what a moderator judges by.

        "View in context" goes to the reader's page at the comment (held ones highlighted there
        for moderators), never to the article's admin page, which moderators may not open.
        """
        return format_html(
            '<a class="moderation-card__name" href="{}">{}</a> '
            '<span class="moderation-status moderation-status--{}">{}</span>'
            '<span class="moderation-card__line">{} <cite>{}</cite></span>'
            '<span class="moderation-card__line"><time datetime="{}">{}</time> · '
            '<a href="{}">{}</a></span>'
            '<span class="moderation-card__reason">{}</span>',
            reverse("admin:comments_comment_change", args=[comment.pk]),
            comment.name,
            comment.status,
            comment.get_status_display(),
            _("on"),
            Truncator(comment.article.title).chars(60),
            comment.created_at.isoformat(),
            date_format(localtime(comment.created_at), "DATETIME_FORMAT"),
            reverse("comments:in-context", args=[comment.pk]),
            _("View in context"),
            self.reason_display(comment),
        )

    @admin.display(description=_("text"))
    def excerpt(self, comment):
        short = Truncator(comment.body).chars(EXCERPT_CHARS)
        if short == comment.body:
            return format_html('<div class="moderation-excerpt">{}</div>', comment.body)
        return format_html(
            '<div class="moderation-excerpt">{}</div>'
            '<details class="moderation-full"><summary>{}</summary><div>{}</div></details>',
            short,
            _("Full text"),
            comment.body,
        )

    @admin.display(description=_("reason"), ordering="reason")
    def reason_display(self, comment):
        if comment.reason_detail and comment.reason_detail != comment.get_reason_display():
            return f"{comment.get_reason_display()}: {comment.reason_detail}"
        return comment.get_reason_display()

    @admin.display(description=_("moderate"))
    def moderation_buttons(self, comment):
        # The buttons submit the page's own form (which carries the CSRF token) to a per-comment
        # URL, because forms cannot be nested inside the changelist form. Approve is the primary
        # action; Spam and Remove are styled as destructive.
        buttons = [
            (
                style,
                reverse("admin:comments_comment_moderate", args=[comment.pk, name]),
                label,
            )
            for name, (status, label, _past, style) in DECISIONS.items()
            if status != comment.status or (name == "trust" and comment.status == Status.PENDING)
        ]
        return format_html(
            '<div class="moderation-buttons">{}</div>',
            format_html_join(
                "",
                '<button type="submit" class="button moderation-button--{}" formaction="{}" '
                'formmethod="post" formnovalidate>{}</button>',
                buttons,
            ),
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
            request,
            format_html(_("Comment by {} {}."), comment.name, DECISIONS[decision][2]),
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
            ngettext("%(count)d comment %(outcome)s.", "%(count)d comments %(outcome)s.", changed)
            % {"count": changed, "outcome": DECISIONS[decision][2]},
            messages.SUCCESS,
        )

    @admin.action(permissions=["moderate"], description=_("Approve selected comments"))
    def approve(self, request, queryset):
        self._bulk(request, queryset, "approve")

    @admin.action(
        permissions=["moderate"],
        description=_("Approve and trust these commenters (approves their other held comments)"),
    )
    def approve_and_trust(self, request, queryset):
        self._bulk(request, queryset, "trust")

    @admin.action(permissions=["moderate"], description=_("Mark selected comments as spam"))
    def mark_spam(self, request, queryset):
        self._bulk(request, queryset, "spam")

    @admin.action(permissions=["moderate"], description=_("Remove selected comments"))
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
