"""Forms of the writer's desk: the article and profile admin forms and the editor's helpers."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from . import images
from .models import Article, AuthorProfile

# The live preview refuses bodies past this many characters (a whole book is ~1 MB).
MAX_PREVIEW_CHARS = 500_000


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "author",
            "body",
            "excerpt",
            "tags",
            "cover_image",
            "cover_alt",
            "status",
            "published_at",
            "comments_open",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"class": "desk-title", "autocomplete": "off"}),
            "body": forms.Textarea(
                attrs={
                    "class": "desk-body",
                    "rows": 28,
                    "spellcheck": "true",
                    "data-desk-editor": "",
                }
            ),
            "excerpt": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        }

    def clean_cover_image(self):
        image = self.cleaned_data.get("cover_image")
        if isinstance(image, UploadedFile):
            return images.clean_upload(image)
        return image


class AuthorProfileForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = AuthorProfile
        fields = ["display_name", "slug", "bio", "website", "avatar"]

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if isinstance(avatar, UploadedFile):
            return images.clean_upload(avatar)
        return avatar


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, strip=False, max_length=MAX_PREVIEW_CHARS)


class InsertImageForm(forms.Form):
    image = forms.ImageField(
        error_messages={"invalid_image": _("This file is not an image we can read.")}
    )
    alt = forms.CharField(required=False, max_length=250)

    def clean_image(self):
        return images.clean_upload(self.cleaned_data["image"])
