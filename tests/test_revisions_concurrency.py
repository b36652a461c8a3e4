"""Restoring a revision while readers are counted: no view is lost (real threads, PostgreSQL)."""

import threading

import pytest
import reversion
from django.db import connection
from django.utils import timezone
from reversion.models import Version

from articles import counters, revisions
from articles.models import Article
from tests.factories import make_article

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; concurrency is tested on PostgreSQL (CI runs both).",
    ),
]


def test_views_counted_during_a_restore_are_kept():
    with reversion.create_revision():
        article = make_article(title="Original")
    Article.objects.filter(pk=article.pk).update(view_count=100)
    version = Version.objects.get_for_object(article).get()
    restoring, counted, errors = threading.Event(), threading.Event(), []

    def reader():
        try:
            restoring.wait(5)
            counters.add_views({(article.pk, timezone.localdate()): 7})  # waits for the row lock
            counted.set()
        except Exception as error:  # reported below, never swallowed
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=reader)
    thread.start()
    with revisions.counters_kept(article.pk):
        version.revision.revert()  # writes the stored row back, counters at their defaults
        restoring.set()
        assert not counted.wait(0.5), "the reader should wait for the restore's lock"
    thread.join(10)
    assert not errors, errors
    article.refresh_from_db()
    assert article.view_count == 107
