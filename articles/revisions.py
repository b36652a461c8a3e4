"""Restoring a revision without touching the counters.

django-reversion restores a version by writing the whole stored row back, bypassing `save()`;
fields a version leaves out (`Article.REVISION_EXCLUDE`) are written with their defaults. For the
derived fields that is harmless: the admin's restore saves the form right after, which renders the
body again. For `view_count` and `comment_count` it would be a rollback, so a restore runs inside
`counters_kept()`: the article row is locked first, its counters read, and written back once the
restore is done. Views and comments arriving meanwhile wait for the lock (PostgreSQL) and are
added on top, so none is lost.
"""

from contextlib import contextmanager

from django.db import transaction

from .models import Article


@contextmanager
def counters_kept(article_pk):
    with transaction.atomic():
        counters = (
            Article.objects.select_for_update()
            .filter(pk=article_pk)
            .values(*Article.COUNTER_FIELDS)
            .first()
        )
        yield
        if counters is not None:
            Article.objects.filter(pk=article_pk).update(**counters)
