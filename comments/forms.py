from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Comment
from .moderation import Submission

FORM_TOKEN_SALT = "comments.form-issued-at"
EXPIRED_FORM_MESSAGE = _(
    "This form was open for too long or was changed. Please check your comment and send it again."
)


def issue_form_token() -> str:
    """A signed record of when the form was shown, sent back with the comment."""
    return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign(str(timezone.now().timestamp()))


def seconds_since_issued(token: str) -> float:
    """Seconds since `token` was issued; `signing.BadSignature` if tampered with or too old."""
    max_age = settings.COMMENTS_FORM_MAX_AGE_HOURS * 3600
    issued_at = float(signing.TimestampSigner(salt=FORM_TOKEN_SALT).unsign(token, max_age=max_age))
    return max(0.0, timezone.now().timestamp() - issued_at)


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
        self.fields["issued"].initial = issue_form_token

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
            return seconds_since_issued(self.cleaned_data["issued"])
        except (signing.BadSignature, ValueError):
            raise forms.ValidationError(EXPIRED_FORM_MESSAGE) from None

    @property
    def fresh_issued_token(self) -> str:
        """The token to render: the reader's own while it is valid, a new one otherwise."""
        if self.is_bound and "issued" in getattr(self, "cleaned_data", {}):
            return self.data["issued"]
        return issue_form_token()

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            name=data["name"],
            email=data["email"],
            body=data["body"],
            seconds_to_submit=data["issued"],
            honeypot=data["website"],
        )


class EditForm(ReaderForm):
    body = CommentTextField()
