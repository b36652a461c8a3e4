"""The search index migration runs both ways on either database and indexes the rows it finds."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection

from articles import search_schema
from articles.models import Article

from .factories import make_article


def search_structures():
    """What migration 0008 creates, as this database shows it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = connection.introspection.get_table_description(cursor, "articles_article")
            return {column.name for column in columns} & {"search_vector", "body_text"}
        tables = set(connection.introspection.table_names(cursor))
        columns = connection.introspection.get_table_description(cursor, "articles_article")
        return (tables & {"articles_article_fts"}) | (
            {column.name for column in columns} & {"body_text"}
        )


@pytest.mark.django_db(transaction=True)
def test_migration_reverses_cleanly_and_indexes_existing_articles_when_reapplied():
    article = make_article(title="Field notes", body="A **kestrel** hovers over the verge.")
    assert search_structures()
    call_command("migrate", "articles", "0007", verbosity=0)
    assert search_structures() == set()

    call_command("migrate", verbosity=0)
    article.refresh_from_db()
    assert article.body_text == "A kestrel hovers over the verge."
    assert [a.title for a in Article.objects.published().search("kestrels")] == ["Field notes"]
    Article.objects.filter(pk=article.pk).update(title="Renamed notes")
    assert [a.title for a in Article.objects.published().search("renamed")] == ["Renamed notes"]


@pytest.mark.django_db
def test_reinstalling_the_triggers_reindexes_rows_changed_while_they_were_missing():
    """What a later migration that rebuilds `articles_article` on SQLite must call, and why."""
    article = make_article(title="Before the rebuild")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # what Django's table rebuild does to them
            for statement in search_schema.SQLITE_DROP_TRIGGERS:
                cursor.execute(statement)
        Article.objects.filter(pk=article.pk).update(title="Puffins nesting")
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        search_schema.install_sqlite_triggers(None, editor)
    assert [a.title for a in Article.objects.published().search("puffin")] == ["Puffins nesting"]
    assert list(Article.objects.published().search("rebuild")) == []
