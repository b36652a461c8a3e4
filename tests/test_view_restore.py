"""Restores never change view totals: dumpdata/loaddata and flush write exactly what they are given.

Totals and day rows are kept in step by the counting service, not by a database trigger, so loading
day rows from a fixture or a backup cannot add them to the totals a second time.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import counters
from articles.models import Article, DailyArticleViews
from tests.factories import make_article
from tests.view_support import stored_views

pytestmark = pytest.mark.django_db


# `flush` truncates tables, which PostgreSQL refuses inside the test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_dumpdata_then_loaddata_keeps_the_totals(tmp_path):
    article = make_article(slug="restored", view_count=12)
    DailyArticleViews.objects.create(article=article, day=timezone.localdate(), views=5)
    assert stored_views(article) == (12, 5)
    backup = tmp_path / "backup.json"

    call_command("dumpdata", "auth.user", "articles", output=str(backup), verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    assert not Article.objects.exists()
    call_command("loaddata", str(backup), verbosity=0)

    restored = Article.objects.get(slug="restored")
    assert stored_views(restored) == (12, 5)


def test_loading_the_same_fixture_twice_changes_nothing(tmp_path):
    article = make_article(slug="twice", view_count=12)
    DailyArticleViews.objects.create(article=article, day=timezone.localdate(), views=5)
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "auth.user", "articles", output=str(backup), verbosity=0)

    call_command("loaddata", str(backup), verbosity=0)
    call_command("loaddata", str(backup), verbosity=0)

    assert stored_views(article) == (12, 5)


@pytest.mark.django_db(transaction=True)
def test_counting_after_a_flush_still_updates_total_and_day_row():
    call_command("flush", "--noinput", verbosity=0)
    article = make_article(view_count=3)
    today = timezone.localdate()

    counters.add_views({(article.pk, today): 2, (article.pk, today - timedelta(days=1)): 4})

    assert stored_views(article) == (9, 6)


def test_the_database_has_no_trigger_on_the_day_rows():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid = 'articles_dailyarticleviews'::regclass"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'articles_dailyarticleviews'"
            )
        assert cursor.fetchall() == []
