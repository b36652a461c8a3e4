import tempfile
from pathlib import Path

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .forms import ImportForm
from .importer import import_blog
from .models import ImportedArticle, Redirect
from .records import SourceError
from .report import report_lines


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "article", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_path", "article__title"]
    autocomplete_fields = ["article"]
    date_hierarchy = "created_at"


@admin.register(ImportedArticle)
class ImportedArticleAdmin(admin.ModelAdmin):
    """What came from where; read-only. Its list page links to the import page (superusers)."""

    list_display = ["guid", "article", "source_format", "imported_at"]
    list_filter = ["source_format"]
    list_select_related = ["article"]
    search_fields = ["guid", "article__title"]
    change_list_template = "admin/transfer/importedarticle/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="transfer_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload an export, run the same import as `manage.py import_blog`, show its report.

        Superusers only: an import creates staff accounts and publishes articles.
        """
        if not request.user.is_superuser:
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
        report = error = None
        if posted and form.is_valid():
            try:
                report = _import_upload(form.cleaned_data["source"], form.cleaned_data["dry_run"])
            except SourceError as problem:
                error = str(problem)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import a blog"),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "report_lines": report_lines(report) if report else [],
            "error": error,
        }
        return TemplateResponse(request, "admin/transfer/import.html", context)


def _import_upload(upload, dry_run: bool):
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "upload"
        with target.open("wb") as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
        return import_blog(target, dry_run=dry_run)
