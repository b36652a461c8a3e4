from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Comment
from .moderation import Submission

FORM_TOKEN_SALT = "comments.form-issued-at"
EXPIRED_FORM_MESSAGE = (
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


class CommentTextField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=Comment.MAX_BODY_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
            label="Comment",
            help_text=f"Plain text, up to {Comment.MAX_BODY_LENGTH:,} characters. "
            "Links become clickable.",
            **kwargs,
        )


class CommentForm(forms.Form):
    """A reader's new comment or reply, with the two fields bots give themselves away by."""

    name = forms.CharField(max_length=Comment.MAX_NAME_LENGTH)
    email = forms.EmailField(max_length=254, help_text="Never shown publicly.")
    body = CommentTextField()
    remember = forms.BooleanField(required=False, label="Remember my name and email")
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Honeypot: hidden from people (see the template); anything typed here marks a bot.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
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
            raise forms.ValidationError("The comment you are replying to is not available.")
        if parent.parent_id is not None:
            raise forms.ValidationError("Replies can only answer a top-level comment.")
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


class EditForm(forms.Form):
    body = CommentTextField()
