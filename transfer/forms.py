from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    source = forms.FileField(
        label=_("Export or feed file"),
        help_text=_(
            "A WordPress export (Tools → Export), an RSS 2.0 or Atom feed saved as a file, or a "
            "zip written by export_blog."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        initial=True,
        help_text=_("Read everything and show the report, but write nothing."),
    )
