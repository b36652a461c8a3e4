"""Forms of the writer's desk: the article and profile admin forms and the editor's helpers."""

from django import forms

from . import images
from .models import Article, AuthorProfile

# The live preview refuses bodies past this many characters (a whole book is ~1 MB).
MAX_PREVIEW_CHARS = 500_000


class UploadedImageField(forms.ImageField):
    """An image upload checked by `images.clean_upload`, the one policy for every image.

    It replaces Django's own Pillow check (which answers every problem with the same message), and
    the form gets the cleaned, metadata-free copy to store.
    """

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        return None if upload is None else images.clean_upload(upload)


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
        field_classes = {"cover_image": UploadedImageField}
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


class AuthorProfileForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = AuthorProfile
        fields = ["display_name", "slug", "bio", "website", "avatar"]
        field_classes = {"avatar": UploadedImageField}


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, strip=False, max_length=MAX_PREVIEW_CHARS)


class InsertImageForm(forms.Form):
    image = UploadedImageField()
    alt = forms.CharField(required=False, max_length=250)
