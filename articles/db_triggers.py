"""The database trigger that keeps `Article.view_count` equal to what the day rows recorded.

Every change to a `DailyArticleViews.views` value (a new row, or an upsert raising it) is added to
the article's total by the database itself. So the application writes one statement per counted
view (or per flushed batch) and the total can never disagree with the day rows. ON CONFLICT DO
UPDATE fires the UPDATE trigger on both PostgreSQL and SQLite. There is deliberately no DELETE
trigger: pruning old day rows keeps the totals.

Why not in a migration: on SQLite, Django rebuilds a table for most schema changes (copy, drop,
rename), and SQLite refuses to rename a table while a trigger mentions a table that is missing at
that moment ("error in trigger ...: no such table: main.articles_article"). A trigger created by a
migration would therefore break the next migration that adds a required field to `Article`. Instead
the trigger is dropped before `migrate` runs (SQLite) and installed again, idempotently, after every
`migrate` (and after `flush`, which tests use), from signals connected in `ArticlesConfig.ready()`.
"""

from django.db import connections

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION articles_daily_views_add_to_total() RETURNS trigger AS $$
    BEGIN
        UPDATE articles_article
        SET view_count = view_count + NEW.views - (
            CASE WHEN TG_OP = 'UPDATE' THEN OLD.views ELSE 0 END
        )
        WHERE id = NEW.article_id;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER articles_daily_views_insert_total
    AFTER INSERT ON articles_dailyarticleviews
    FOR EACH ROW EXECUTE FUNCTION articles_daily_views_add_to_total()
    """,
    """
    CREATE OR REPLACE TRIGGER articles_daily_views_update_total
    AFTER UPDATE OF views ON articles_dailyarticleviews
    FOR EACH ROW WHEN (NEW.views IS DISTINCT FROM OLD.views)
    EXECUTE FUNCTION articles_daily_views_add_to_total()
    """,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_daily_views_insert_total",
    "DROP TRIGGER IF EXISTS articles_daily_views_update_total",
]

SQLITE_INSTALL = [
    *SQLITE_DROP,
    """
    CREATE TRIGGER articles_daily_views_insert_total
    AFTER INSERT ON articles_dailyarticleviews
    BEGIN
        UPDATE articles_article SET view_count = view_count + NEW.views
        WHERE id = NEW.article_id;
    END
    """,
    """
    CREATE TRIGGER articles_daily_views_update_total
    AFTER UPDATE OF views ON articles_dailyarticleviews
    WHEN NEW.views IS NOT OLD.views
    BEGIN
        UPDATE articles_article SET view_count = view_count + NEW.views - OLD.views
        WHERE id = NEW.article_id;
    END
    """,
]

INSTALL = {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL}


def _run(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_before_migrate(*, using, **kwargs):
    """pre_migrate: let Django rebuild SQLite tables; PostgreSQL keeps its trigger throughout."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        _run(connection, SQLITE_DROP)


def install_after_migrate(*, using, **kwargs):
    """post_migrate: (re)create the trigger once its tables exist."""
    connection = connections[using]
    if connection.vendor not in INSTALL:
        raise NotImplementedError(f"The view total trigger is not written for {connection.vendor}.")
    if "articles_dailyarticleviews" not in connection.introspection.table_names():
        return
    _run(connection, INSTALL[connection.vendor])
