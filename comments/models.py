import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from . import text

AVATAR_COLORS = 8


class CommentQuerySet(models.QuerySet):
    def public(self):
        """What readers see: approved comments, and replies only while their parent is visible.

        The thread, the comment count and every link to a comment start here, so a reply under a
        removed comment is neither shown nor counted.
        """
        return self.filter(_PUBLIC)

    def shown(self, held: Q | None = None):
        """`public()` plus the held comments that `held` selects for this viewer (their own, or
        all of them for a moderator: see `thread.held_shown_to`). Counts still use `public()`."""
        return self.filter(_PUBLIC | held) if held is not None else self.public()

    def in_moderation(self):
        """Comments waiting for a moderator."""
        return self.filter(status=Comment.Status.PENDING)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def thread_of(self, article, held: Q | None = None):
        """The visible top-level comments of `article`, oldest first: the paginated thread."""
        return self.shown(held).top_level().filter(article=article).order_by("created_at", "id")

    def by_email(self, email: str):
        return self.filter(email=normalize_email(email))


def normalize_email(email: str) -> str:
    return email.strip().lower()


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    class Reason(models.TextChoices):
        """Why a comment has its status: the policy rule that fired, or who decided."""

        TRUSTED = "trusted", _("Commenter has an approved comment")
        FIRST_TIME = "first-time", _("First-time commenter")
        MODERATE_ALL = "moderate-all", _("Every comment is moderated")
        MODERATION_OFF = "moderation-off", _("Moderation is off")
        TOO_FAST = "too-fast", _("Sent too fast after the form was shown")
        TOO_MANY_LINKS = "too-many-links", _("Too many links")
        BLOCKLISTED = "blocklisted", _("Blocklisted term or domain")
        WITHDRAWN = "withdrawn", _("Withdrawn by the author")
        IMPORTED = "imported", _("Imported with its status from another blog")

    MAX_NAME_LENGTH = 80
    MAX_BODY_LENGTH = 5000

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text=_("The top-level comment this one answers; replies are one level deep."),
    )
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    email = models.EmailField(help_text=_("Never shown publicly."))
    body = models.TextField(max_length=MAX_BODY_LENGTH, help_text=_("Plain text, as typed."))
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    reason_detail = models.CharField(max_length=200, blank=True)
    submitter = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Opaque, daily-changing visitor fingerprint; never an IP address."),
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        get_latest_by = "created_at"
        permissions = [("moderate_comment", _("Can moderate comments"))]
        indexes = [
            models.Index(
                fields=["article", "status", "parent", "created_at"], name="comment_thread_idx"
            ),
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
            models.Index(fields=["email", "status"], name="comment_trust_idx"),
        ]

    def __str__(self):
        return f"Comment #{self.pk} by {self.name}"

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        self.body_html = text.render(self.body)
        super().save(*args, **kwargs)

    @property
    def initials(self) -> str:
        words = self.name.split()
        return "".join(word[0] for word in words[:2]).upper() or "?"

    @property
    def avatar_color(self) -> int:
        """A palette index from the name, stable across processes (unlike `hash()`)."""
        return zlib.crc32(self.name.strip().lower().encode()) % AVATAR_COLORS

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"


_PUBLIC = Q(status=Comment.Status.APPROVED) & (
    Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED)
)


class BlocklistEntry(models.Model):
    class Kind(models.TextChoices):
        TERM = "term", _("Term")
        DOMAIN = "domain", _("Domain")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TERM)
    value = models.CharField(
        max_length=200,
        help_text=_(
            "A word or phrase (matched as whole words, any case), or a domain such as "
            "spam.example (also matches its subdomains)."
        ),
    )
    note = models.CharField(max_length=200, blank=True, help_text=_("Why it is blocked."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name_plural = _("blocklist entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="blocklist_unique_value")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value = normalize_blocked_value(self.kind, self.value)
        super().save(*args, **kwargs)

    def clean(self):
        # Normalized before the uniqueness check, so "Spam" and "spam" are one entry.
        self.value = normalize_blocked_value(self.kind, self.value)
        malformed = not self.value or any(char.isspace() for char in self.value)
        if self.kind == self.Kind.DOMAIN and malformed:
            raise ValidationError({"value": _("Enter a domain such as spam.example.")})


def normalize_blocked_value(kind: str, value: str) -> str:
    value = value.strip()
    if kind == BlocklistEntry.Kind.DOMAIN:
        # The same reading as the links it is compared with (see comments.text.normalize_host).
        return text.host(value) if value else ""
    return value.lower()
