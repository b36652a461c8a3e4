"""No view is lost or doubled under concurrency: real threads against PostgreSQL (and Redis).

Each thread is a stream of readers with distinct addresses hitting the article page, while an editor
saves a stale copy of the same article in a loop, as the admin would.
"""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from articles import counters
from articles.models import Article
from tests.factories import make_article
from tests.view_support import read, stored_views

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; concurrency is tested on PostgreSQL (CI runs both).",
    ),
]

THREADS, VIEWS_PER_THREAD = 8, 25


def run_concurrently(article, *, also=()):
    """THREADS readers x VIEWS_PER_THREAD distinct visitors, plus `also` loops until they finish."""
    errors, readers_done = [], threading.Event()

    def guarded(work):
        def run():
            try:
                work()
            except Exception as error:  # reported to the test below, never swallowed
                errors.append(error)
            finally:
                connection.close()

        return run

    def reader(number):
        client = Client()
        for visit in range(VIEWS_PER_THREAD):
            response = read(client, article, ip=f"10.{number}.{visit // 250}.{visit % 250}")
            assert response.status_code == 200

    def loop(step):
        def run():
            while not readers_done.is_set():
                step()

        return run

    readers = [threading.Thread(target=guarded(lambda n=n: reader(n))) for n in range(THREADS)]
    others = [threading.Thread(target=guarded(loop(step))) for step in also]
    for thread in readers + others:
        thread.start()
    for thread in readers:
        thread.join()
    readers_done.set()
    for thread in others:
        thread.join()
    assert not errors, errors


def editor_saving_a_stale_copy(article):
    stale = Article.objects.get(pk=article.pk)
    edits = iter(range(10**9))

    def save():
        with transaction.atomic():  # as the admin's change view does
            stale.title = f"Edit {next(edits)}"
            stale.save()

    return save


def test_direct_mode_counts_every_view_exactly_while_an_editor_saves():
    article = make_article(view_count=7)

    run_concurrently(article, also=[editor_saving_a_stale_copy(article)])

    assert stored_views(article) == (7 + THREADS * VIEWS_PER_THREAD, THREADS * VIEWS_PER_THREAD)
    assert Article.objects.get(pk=article.pk).title.startswith("Edit ")


def test_buffered_mode_counts_every_view_exactly_while_flushing_and_saving(redis_cache):
    article = make_article(view_count=7)

    run_concurrently(
        article, also=[counters.flush_buffered_views, editor_saving_a_stale_copy(article)]
    )
    counters.flush_buffered_views()

    assert stored_views(article) == (7 + THREADS * VIEWS_PER_THREAD, THREADS * VIEWS_PER_THREAD)
