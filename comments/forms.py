"""The comment forms and the signed form token behind the "too fast" rule.

Each page view gets its own token: the article it was shown for, the time, and a random nonce,
signed so nobody can change them. A token is refused on another article, after
`COMMENTS_FORM_MAX_AGE_HOURS`, and once it has carried an accepted comment (the nonce is recorded in
the shared cache for as long as the token could be valid), so an old form cannot be replayed to skip
the timing rule. A form sent back with errors is re-shown with a new token; the unused one is simply
never rendered again.
"""

import logging
import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from visitors.identity import CACHE_OUTAGE

from .models import Comment
from .moderation import Submission

FORM_TOKEN_SALT = "comments.form-issued-at"
USED_TOKEN_KEY = "comments:form-token-used:{nonce}"
EXPIRED_FORM_MESSAGE = _(
    "This form was open for too long or was changed. Please check your comment and send it again."
)
REPLAYED_FORM_MESSAGE = _(
    "This form has already been used to send a comment. "
    "Please check your comment and send it again."
)

logger = logging.getLogger(__name__)


class UsedFormToken(signing.BadSignature):
    """A genuine token that has already carried an accepted comment."""


def issue_form_token(article_id: int) -> str:
    """A signed, single-use record of when the form for article `article_id` was shown.

    The random nonce names the token in the cache once it has been used; the article id stops a
    token taken from one article's page from serving on another's.
    """
    payload = {
        "article": article_id,
        "issued": timezone.now().timestamp(),
        "nonce": secrets.token_urlsafe(12),
    }
    return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign_object(payload)


def read_form_token(token: str, *, article) -> dict:
    """The token's payload; `signing.BadSignature` if tampered with, too old, for another article,
    or already used."""
    max_age = settings.COMMENTS_FORM_MAX_AGE_HOURS * 3600
    payload = signing.TimestampSigner(salt=FORM_TOKEN_SALT).unsign_object(token, max_age=max_age)
    if not isinstance(payload, dict) or payload.get("article") != article.pk:
        raise signing.BadSignature("Form token issued for another article.")
    if not isinstance(payload.get("issued"), int | float) or not payload.get("nonce"):
        raise signing.BadSignature("Malformed form token.")
    if _cache_or_none(cache.get, USED_TOKEN_KEY.format(nonce=payload["nonce"])):
        raise UsedFormToken("Form token already used.")
    return payload


def use_form_token(payload: dict) -> bool:
    """Mark the token used; False if another request used it first (`add` is atomic).

    Kept for as long as the token could be valid. Without a cache the token cannot be tracked and
    is accepted: the other rules and the moderators still judge the comment.
    """
    key = USED_TOKEN_KEY.format(nonce=payload["nonce"])
    timeout = settings.COMMENTS_FORM_MAX_AGE_HOURS * 3600
    added = _cache_or_none(cache.add, key, True, timeout)
    return added is not False


def release_form_token(payload: dict) -> None:
    """Make a used token usable again: its comment could not be stored after all."""
    _cache_or_none(cache.delete, USED_TOKEN_KEY.format(nonce=payload["nonce"]))


def _cache_or_none(operation, *args):
    try:
        return operation(*args)
    except CACHE_OUTAGE:
        logger.warning("Comment form token not tracked: cache unreachable", exc_info=True)
        return None


# What `comments.text.render` does to a comment, in one line for the reader.
FORMATTING_HINT = _(
    "Plain text: line breaks are kept and web addresses become links; HTML and Markdown are shown "
    "as typed. Up to %(limit)s characters."
)


class CommentTextField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=Comment.MAX_BODY_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
            label=_("Comment"),
            help_text=FORMATTING_HINT % {"limit": f"{Comment.MAX_BODY_LENGTH:,}"},
            **kwargs,
        )


class ReaderForm(forms.Form):
    """A form readers fill in: labels without Django's trailing colon, and an error summary."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def error_summary(self) -> list[tuple[str, str]]:
        """(field id or "", message) for every error, in form order: the summary's links.

        Errors of hidden fields (the reply target, the form token) have no field to jump to, so
        they are listed without a link or label.
        """
        entries = [("", str(message)) for message in self.non_field_errors()]
        for field in self:
            if field.is_hidden:
                entries += [("", str(message)) for message in field.errors]
            else:
                entries += [(field.auto_id, f"{field.label}: {error}") for error in field.errors]
        return entries


class CommentForm(ReaderForm):
    """A reader's new comment or reply, with the two fields bots give themselves away by."""

    name = forms.CharField(
        label=_("Name"),
        max_length=Comment.MAX_NAME_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Never shown publicly."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = CommentTextField()
    remember = forms.BooleanField(required=False, label=_("Remember my name and email"))
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Honeypot: hidden from people (see the template); anything typed here marks a bot.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # Not `required`: a missing token gets the same "send it again" message as a bad one.
    issued = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article

    def clean_parent(self):
        parent_id = self.cleaned_data["parent"]
        if parent_id is None:
            return None
        parent = Comment.objects.public().filter(article=self.article, pk=parent_id).first()
        if parent is None:
            raise forms.ValidationError(_("The comment you are replying to is not available."))
        if parent.parent_id is not None:
            raise forms.ValidationError(_("Replies can only answer a top-level comment."))
        return parent

    def clean_issued(self):
        try:
            return read_form_token(self.cleaned_data["issued"], article=self.article)
        except UsedFormToken:
            raise forms.ValidationError(REPLAYED_FORM_MESSAGE, code="replayed") from None
        except (signing.BadSignature, ValueError):
            raise forms.ValidationError(EXPIRED_FORM_MESSAGE, code="expired") from None

    def clean(self):
        """Use the token up only when the comment is accepted, and only once even when two
        requests carry it at the same moment."""
        cleaned_data = super().clean()
        if not self.errors and not use_form_token(cleaned_data["issued"]):
            self.add_error("issued", forms.ValidationError(REPLAYED_FORM_MESSAGE, code="replayed"))
        return cleaned_data

    @property
    def fresh_issued_token(self) -> str:
        """Always a new token: a page re-shown after a form error is a new form, timed from now,
        so no token is ever rendered twice."""
        return issue_form_token(self.article.pk)

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            name=data["name"],
            email=data["email"],
            body=data["body"],
            seconds_to_submit=max(0.0, timezone.now().timestamp() - data["issued"]["issued"]),
            honeypot=data["website"],
        )


class EditForm(ReaderForm):
    body = CommentTextField()
