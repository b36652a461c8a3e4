"""The comment moderation policy: what happens to what a reader submits.

Every submission ends in exactly one of four statuses — pending, approved, spam, removed — with
the rule that decided recorded on the comment (`reason`, plus `reason_detail` in words), so a
moderator always sees why a comment is waiting. Nothing is silently dropped except honeypot hits.
The rules, in the order they are tried (the first that fires decides):

1. Honeypot: a bot filled the hidden field. The submission is not stored at all, and the reader gets
   the same "awaiting moderation" answer as a held comment, so a bot learns nothing.
2. Blocklist: a blocklisted term (whole words, any case) in the name, email or text, or a
   blocklisted domain (or a subdomain of it) in a link, in the email address or written in the
   text → spam. Hosts are read as a browser reads them (`text.normalize_host`), so look-alike
   spellings match too. Entries are edited in the admin.
3. Too fast: the form came back sooner than `COMMENTS_MIN_SUBMIT_SECONDS` after it was shown
   (humans read and type) → pending. A form older than `COMMENTS_FORM_MAX_AGE_HOURS`, or with a
   tampered timestamp, is not a decision here: the form asks the reader to send it again, keeping
   their text (see `forms.CommentForm`).
4. Too many links: more than `COMMENTS_MAX_LINKS` links → pending.
5. Mode (`COMMENTS_MODERATION`):
   - "trusted" (default): approved if the email address already has an approved comment, otherwise
     pending as a first-time commenter;
   - "all": pending;
   - "none": approved.
   The mode only replaces this last step: spam rules 1–4 apply in every mode.

Before any of this, a visitor who posts more than `COMMENTS_RATE_LIMIT` comments is answered 429 and
nothing is stored (see `ratelimit`); comments on an article that is not `accepting_comments` are
refused. Edits by the author run the same rules (an edit can introduce spam) except the honeypot and
timing rules, which belong to a fresh form.

`decide` is the policy itself — a pure function of the submission and a `PolicyContext`;
`context_for` gathers that context (settings, blocklist, trust) from the database.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import text
from .models import BlocklistEntry, Comment

Status = Comment.Status
Reason = Comment.Reason
MODES = ("trusted", "all", "none")


@dataclass(frozen=True)
class Submission:
    name: str
    email: str
    body: str
    # Seconds between showing the form and receiving it; None for edits, which have no fresh form.
    seconds_to_submit: float | None = None
    honeypot: str = ""


@dataclass(frozen=True)
class PolicyContext:
    mode: str
    max_links: int
    min_submit_seconds: float
    blocked_terms: tuple[str, ...]
    blocked_domains: tuple[str, ...]
    email_trusted: bool


@dataclass(frozen=True)
class Decision:
    """A status and the reason for it; `status` is None when the submission is dropped."""

    status: str | None
    reason: str
    detail: str = ""

    @property
    def dropped(self) -> bool:
        return self.status is None


HONEYPOT = "honeypot"


def decide(submission: Submission, context: PolicyContext) -> Decision:
    if submission.honeypot:
        return Decision(None, HONEYPOT, _("Hidden field filled in"))
    blocked = blocklist_match(submission, context)
    if blocked:
        return Decision(Status.SPAM, Reason.BLOCKLISTED, blocked)
    seconds = submission.seconds_to_submit
    if seconds is not None and seconds < context.min_submit_seconds:
        return Decision(
            Status.PENDING,
            Reason.TOO_FAST,
            _("Sent %(seconds).1f s after the form was shown (minimum %(minimum)s s)")
            % {"seconds": seconds, "minimum": f"{context.min_submit_seconds:g}"},
        )
    link_count = len(text.links(submission.body))
    if link_count > context.max_links:
        return Decision(
            Status.PENDING,
            Reason.TOO_MANY_LINKS,
            ngettext(
                "%(count)d link (limit %(limit)d)", "%(count)d links (limit %(limit)d)", link_count
            )
            % {"count": link_count, "limit": context.max_links},
        )
    if context.mode == "none":
        return Decision(Status.APPROVED, Reason.MODERATION_OFF, Reason.MODERATION_OFF.label)
    if context.mode == "all":
        return Decision(Status.PENDING, Reason.MODERATE_ALL, Reason.MODERATE_ALL.label)
    if context.email_trusted:
        return Decision(Status.APPROVED, Reason.TRUSTED, Reason.TRUSTED.label)
    return Decision(Status.PENDING, Reason.FIRST_TIME, Reason.FIRST_TIME.label)


def blocklist_match(submission: Submission, context: PolicyContext) -> str:
    """A description of the first blocklist entry the submission hits, or ""."""
    written = "\n".join([submission.name, submission.email, submission.body])
    for term in context.blocked_terms:
        if _contains_words(written, term):
            return _('Blocklisted term "%(term)s"') % {"term": term}
    hosts = {text.host(link) for link in text.links(submission.body)}
    hosts.add(text.host(submission.email))
    hosts |= text.hosts_in(written)
    for domain in context.blocked_domains:
        if any(host == domain or host.endswith("." + domain) for host in hosts):
            return _('Blocklisted domain "%(domain)s"') % {"domain": domain}
        if _contains_words(written, domain):
            return _('Blocklisted domain "%(domain)s"') % {"domain": domain}
    return ""


def _contains_words(haystack: str, needle: str) -> bool:
    # Whole words only, so that blocking "cialis" does not catch "specialist".
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack, re.IGNORECASE) is not None


def context_for(email: str) -> PolicyContext:
    """The policy's view of the world for a commenter with this email address."""
    mode = settings.COMMENTS_MODERATION
    if mode not in MODES:
        raise ValueError(f"COMMENTS_MODERATION must be one of {MODES}, not {mode!r}")
    entries = list(BlocklistEntry.objects.values_list("kind", "value"))
    trusted = Comment.objects.by_email(email).filter(status=Status.APPROVED)
    return PolicyContext(
        mode=mode,
        max_links=settings.COMMENTS_MAX_LINKS,
        min_submit_seconds=settings.COMMENTS_MIN_SUBMIT_SECONDS,
        blocked_terms=tuple(v for k, v in entries if k == BlocklistEntry.Kind.TERM),
        blocked_domains=tuple(v for k, v in entries if k == BlocklistEntry.Kind.DOMAIN),
        email_trusted=mode == "trusted" and trusted.exists(),
    )


def accepting_comments(article, *, now=None) -> bool:
    """Whether `article` takes new comments: published, open, and not past the closing age."""
    now = now or timezone.now()
    if not (article.comments_open and article.is_published):
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return days is None or now < article.published_at + timedelta(days=days)
