"""The search index's database objects, created by migration 0008_search_index.

PostgreSQL: a `search_vector` tsvector column (title A, excerpt B, plain-text body C) written by a
BEFORE trigger, with a GIN index. A trigger rather than a GENERATED column because PostgreSQL
refuses to change the type of a column a generated column uses, which would block later migrations
of `title` or `excerpt`. The body is indexed up to 250,000 characters, which keeps every tsvector
under PostgreSQL's 1 MB limit so that no save can fail on it.

SQLite: an external-content FTS5 table over the same three columns, kept in sync by triggers,
with bm25 column weights 10/4/1 as its default rank. SQLite drops a table's triggers when Django
rebuilds that table (most field changes on `articles_article` do), so a later migration that
rebuilds it must end with `migrations.RunPython(search_schema.install_sqlite_triggers,
migrations.RunPython.noop)`; `tests/test_search.py` fails until it does.
"""

POSTGRES_FORWARD = [
    "ALTER TABLE articles_article ADD COLUMN search_vector tsvector",
    """
    CREATE FUNCTION articles_article_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.excerpt, '')), 'B')
            || setweight(
                to_tsvector('pg_catalog.english', left(coalesce(NEW.body_text, ''), 250000)), 'C'
            );
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF title, excerpt, body_text ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """,
    # fastupdate off: a blog writes rarely and searches often, so entries go straight into the
    # index rather than into a pending list that every search would scan until the next VACUUM
    # (and that makes the planner prefer a sequential scan meanwhile).
    """
    CREATE INDEX articles_article_search_idx ON articles_article
    USING gin (search_vector) WITH (fastupdate = off)
    """,
    # Last: updated rows queue deferred foreign-key checks, and PostgreSQL refuses DDL on a table
    # with pending trigger events in the same transaction.
    "UPDATE articles_article SET title = title",
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_vector()",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
]

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts (rowid, title, excerpt, body_text)
        VALUES (new.id, new.title, new.excerpt, new.body_text);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts (articles_article_fts, rowid, title, excerpt, body_text)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body_text);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_update
    AFTER UPDATE OF title, excerpt, body_text ON articles_article BEGIN
        INSERT INTO articles_article_fts (articles_article_fts, rowid, title, excerpt, body_text)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body_text);
        INSERT INTO articles_article_fts (rowid, title, excerpt, body_text)
        VALUES (new.id, new.title, new.excerpt, new.body_text);
    END
    """,
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE articles_article_fts USING fts5 (
        title, excerpt, body_text,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    "INSERT INTO articles_article_fts (articles_article_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')",
]

SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
]

SQLITE_REBUILD = "INSERT INTO articles_article_fts (articles_article_fts) VALUES ('rebuild')"

SQLITE_BACKWARD = [*SQLITE_DROP_TRIGGERS, "DROP TABLE IF EXISTS articles_article_fts"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def install_sqlite_triggers(apps, schema_editor):
    """(Re)create the FTS5 sync triggers, then re-index every article (rows may have changed
    while the triggers were missing). Nothing to do on PostgreSQL."""
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, [*SQLITE_DROP_TRIGGERS, *SQLITE_TRIGGERS, SQLITE_REBUILD])


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_FORWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)
        install_sqlite_triggers(apps, schema_editor)
    else:
        raise NotImplementedError(f"The search index is not written for {vendor}.")


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRES_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD)
