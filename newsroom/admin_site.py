"""The project's admin site: Django's own, made tolerant of hostile changelist parameters.

The admin accepts lookups on any local field straight from the query string
(`?created_at__year=99999999`, `?status=a%00b`). Django turns the errors it can see while building
the filters into its "invalid lookup" answer (a redirect to `?e=1`, which drops the filters), but
some values only fail when the query runs: a year past 9999 when the bounds are computed, a NUL
character that PostgreSQL refuses, a broken `__regex` pattern. `TolerantChangeList` runs the
changelist's queries inside a savepoint and answers those failures the same way — Django's own
design: if the page still fails without any filter, the second attempt shows its "database error"
page — and the site applies it to every registered model admin (ours, `django.contrib.auth`'s and
third-party ones), so no changelist answers 500. The autocomplete endpoint (select2 widgets)
answers the same failures with a 400.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import DatabaseError, router, transaction
from django.http import HttpResponseBadRequest

# What a query built from the query string can raise when it runs: Python-side conversions
# (date bounds, integers too large for the column), and the database refusing a value or pattern.
QUERY_FAILURES = (ValueError, OverflowError, DatabaseError)


class TolerantChangeList(ChangeList):
    def get_results(self, request):
        try:
            with transaction.atomic(using=router.db_for_read(self.model)):
                super().get_results(request)
                # Run the query now, inside the savepoint; the queryset keeps its rows (the
                # list_editable formset needs a queryset, not a list).
                len(self.result_list)
        except QUERY_FAILURES as error:
            raise IncorrectLookupParameters(error) from error


class TolerantLookupsMixin:
    def get_changelist(self, request, **kwargs):
        return TolerantChangeList


class NewsroomAdminSite(admin.AdminSite):
    site_header = f"{settings.SITE_NAME} administration"
    site_title = settings.SITE_NAME

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as usual, with `TolerantLookupsMixin` mixed into the admin class."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, TolerantLookupsMixin):
            admin_class = type(
                admin_class.__name__,
                (TolerantLookupsMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def autocomplete_view(self, request):
        try:
            with transaction.atomic():
                return super().autocomplete_view(request)
        except QUERY_FAILURES:
            return HttpResponseBadRequest("Invalid search term.")
