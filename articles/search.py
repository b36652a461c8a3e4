"""Reader search: one interface, PostgreSQL full-text search or SQLite FTS5 underneath.

`ArticleQuerySet.search(text)` filters a queryset to the matching articles, annotates each with
`search_rank` (higher is better) and orders by it; `attach_snippets()` then fetches the highlighted
extracts for one page of results in a single query. Snippets are computed for the page only, because
both `ts_headline()` and FTS5's `snippet()` re-read the whole body of every row they are given.

The index is kept by the database itself (migration 0008), so saves, `loaddata`, `flush` and raw
`UPDATE`s all keep it true:
- PostgreSQL: a `search_vector` column filled by a trigger — title weight A, excerpt B, plain-text
  body C — with a GIN index, queried with `websearch_to_tsquery` and ranked by `ts_rank`.
- SQLite: an external-content FTS5 table `articles_article_fts` (porter stemming) kept in sync by
  triggers, ranked by `bm25()` with column weights 10/4/1 set as the table's default rank.

Whatever a reader types is cleaned first (controls, NUL and lone surrogates removed, length capped)
and, for FTS5, rebuilt from its words into a query that cannot be a syntax error, following the
same web-search conventions PostgreSQL applies: words are ANDed, "quoted phrases", `or` between
alternatives and `-word` to exclude.
"""

import re
import unicodedata

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.models import Expression
from django.db.models.expressions import Col
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
# The text search configuration the PostgreSQL trigger indexes with; queries must use the same one.
POSTGRES_CONFIG = "english"
FTS_TABLE = "articles_article_fts"
SNIPPET_WORDS = 30

# Private-use characters mark the matches inside the database's output; the text around them is
# escaped here before they become <mark> tags, so only our tags ever reach the page.
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
_FTS5_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_FTS5_WORD = re.compile(r"[^\W_]+")
_DROPPED_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}


def clean_query(raw: str) -> str:
    """The reader's query made safe for any database: printable text, single spaces, capped."""
    kept = "".join(
        " " if unicodedata.category(char) in _DROPPED_CATEGORIES else char for char in raw
    )
    text = " ".join(kept.split())
    if len(text) > MAX_QUERY_LENGTH:
        # Cut before the word that crosses the limit, so the last term is a whole word.
        head = text[: MAX_QUERY_LENGTH + 1]
        text = head.rsplit(" ", 1)[0] if " " in head else head[:MAX_QUERY_LENGTH]
    return text.strip()


def indexable_text(text: str) -> str:
    """Text as the index stores it: without the characters that mark matches in snippets."""
    return _strip_markers(text)


def matching(queryset, text: str):
    """`queryset` narrowed to articles matching `text` (already cleaned), best match first."""
    vendor = _vendor(queryset)
    if vendor == "postgresql":
        return _postgres_matching(queryset, text)
    if vendor == "sqlite":
        return _sqlite_matching(queryset, text)
    raise NotImplementedError(f"Search is not written for {vendor}.")


def attach_snippets(articles, text: str) -> None:
    """Give each article of a page `search_snippet`: safe HTML quoting the body, matches marked."""
    articles = list(articles)
    if not articles:
        return
    ids = [article.pk for article in articles]
    queryset = type(articles[0])._default_manager.filter(pk__in=ids)
    if _vendor(queryset) == "postgresql":
        raw = _postgres_snippets(queryset, text)
    else:
        raw = _sqlite_snippets(queryset, ids, text)
    for article in articles:
        article.search_snippet = mark_matches(raw.get(article.pk) or article.summary)


def mark_matches(snippet: str) -> SafeString:
    """Escape everything, then turn the database's match markers into <mark> tags."""
    parts, position = [], 0
    for match in _MARKED.finditer(snippet):
        parts.append(escape(_strip_markers(snippet[position : match.start()])))
        parts.append(f"<mark>{escape(_strip_markers(match.group(1)))}</mark>")
        position = match.end()
    parts.append(escape(_strip_markers(snippet[position:])))
    return mark_safe("".join(parts))


def _strip_markers(text: str) -> str:
    return text.replace(_START, "").replace(_STOP, "")


def _vendor(queryset) -> str:
    return connections[queryset.db].vendor


# PostgreSQL ------------------------------------------------------------------------------------


class ArticleSearchVector(Expression):
    """`articles_article.search_vector`, under whatever alias the query gives the table.

    The trigger-maintained column is not a model field (SQLite has no such column), so it is
    reached as a column of the query's base table, which Django relabels like any other.
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        column = SearchVectorField()
        column.set_attributes_from_name("search_vector")
        column.model = query.model
        return Col(query.get_initial_alias(), column)


def _postgres_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=POSTGRES_CONFIG)


def _postgres_matching(queryset, text):
    query = _postgres_query(text)
    return (
        queryset.alias(_search_vector=ArticleSearchVector())
        .filter(_search_vector=query)
        .annotate(search_rank=SearchRank(ArticleSearchVector(), query))
        .order_by("-search_rank", "-published_at", "-id")
    )


def _postgres_snippets(queryset, text):
    headline = SearchHeadline(
        "body_text",
        _postgres_query(text),
        config=POSTGRES_CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        max_words=SNIPPET_WORDS,
        min_words=SNIPPET_WORDS // 2,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    return dict(queryset.annotate(snippet=headline).values_list("pk", "snippet"))


# SQLite FTS5 -----------------------------------------------------------------------------------


def fts5_query(text: str) -> str:
    """A web-search style query rebuilt for FTS5 from its words only; "" when nothing is left.

    Every term becomes a quoted FTS5 string made of letters and digits, so operators (AND, NOT,
    NEAR, *, ^, :, parentheses) typed by a reader are plain words or nothing, never syntax.
    """
    alternatives, current, excluded = [], [], []
    for phrase, word in _FTS5_TOKEN.findall(text):
        if not phrase and word.lower() == "or":
            if current:
                alternatives.append(current)
                current = []
            continue
        if not phrase and word.lower() == "and":  # what words already do, as in PostgreSQL
            continue
        negative = not phrase and word.startswith("-")
        words = _FTS5_WORD.findall(phrase or word)
        if words:
            (excluded if negative else current).append('"' + " ".join(words) + '"')
    if current:
        alternatives.append(current)
    if not alternatives:
        return ""
    expression = " OR ".join("(" + " AND ".join(terms) + ")" for terms in alternatives)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def _sqlite_matching(queryset, text):
    query = fts5_query(text)
    if not query:
        return queryset.none()
    article_table = queryset.model._meta.db_table
    # Django cannot join a table it has no model for; `extra()` adds the FTS5 table to FROM so that
    # one pass over the index gives both the matches and their bm25 `rank` (configured weights).
    # The unary + keeps SQLite from probing the index once per published article (a full-text
    # query per row, hundreds of milliseconds on thousands of articles): the FTS5 scan must drive
    # the join, with articles fetched by primary key.
    return queryset.extra(
        tables=[FTS_TABLE],
        where=[f"{article_table}.id = +{FTS_TABLE}.rowid", f"{FTS_TABLE} MATCH %s"],
        params=[query],
        select={"search_rank": f"-{FTS_TABLE}.rank"},
    ).order_by("-search_rank", "-published_at", "-id")


def _sqlite_snippets(queryset, ids, text):
    query = fts5_query(text)
    if not query:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT rowid, snippet({FTS_TABLE}, 2, %s, %s, ' … ', %s) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})"
    )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, [_START, _STOP, SNIPPET_WORDS, query, *ids])
        return dict(cursor.fetchall())
