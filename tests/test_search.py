"""Search: ranking, publication gate, index upkeep, snippets, pagination and query counts.

Runs on whichever database the suite uses (`make test` runs it on SQLite and on PostgreSQL); the
few facts that differ (index kind, query plan) are asserted per vendor inside the same test.
"""

import datetime

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


def titles(response):
    return [article.title for article in response.context["articles"]]


def test_search_url_is_slash_search():
    assert SEARCH == "/search/"


def test_a_query_sent_to_the_home_page_goes_to_search(client):
    response = client.get(reverse("articles:list"), {"q": "korea & co"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=korea+%26+co"


@pytest.fixture
def ranked_articles():
    """Four articles that mention "lighthouse" in different places and amounts."""
    author = make_user()
    long_ago = timezone.now() - datetime.timedelta(days=300)
    return {
        "body": make_article(
            title="Harbour news",
            body="The old lighthouse keeper retired this spring.\n\nThe town thanked him.",
            author=author,
        ),
        "title": make_article(
            title="The lighthouse at the end of the pier",
            body="A short history of the building and its keepers.",
            author=author,
            published_at=long_ago,
        ),
        "excerpt": make_article(
            title="Coastal walks",
            excerpt="Five walks, one of them to the lighthouse.",
            body="Boots, maps and weather.",
            author=author,
        ),
        "unrelated": make_article(title="Budget vote", body="Councillors voted.", author=author),
    }


def test_title_outranks_excerpt_outranks_body(client, ranked_articles):
    response = client.get(SEARCH, {"q": "lighthouse"})
    assert response.status_code == 200
    assert titles(response) == [
        "The lighthouse at the end of the pier",
        "Coastal walks",
        "Harbour news",
    ]
    ranks = [article.search_rank for article in response.context["articles"]]
    assert ranks == sorted(ranks, reverse=True)
    assert "3 results for <q>lighthouse</q>" in response.content.decode()


def test_stemming_finds_other_forms_of_a_word(client, ranked_articles):
    assert "Harbour news" in titles(client.get(SEARCH, {"q": "retiring"}))


def test_web_search_syntax_phrases_or_and_exclusion(client, ranked_articles):
    assert titles(client.get(SEARCH, {"q": '"lighthouse keeper"'})) == ["Harbour news"]
    assert set(titles(client.get(SEARCH, {"q": "councillors or boots"}))) == {
        "Budget vote",
        "Coastal walks",
    }
    assert "Harbour news" not in titles(client.get(SEARCH, {"q": "lighthouse -keeper"}))
    assert titles(client.get(SEARCH, {"q": "lighthouse pier"})) == [
        "The lighthouse at the end of the pier"
    ]


def test_drafts_and_scheduled_articles_never_appear(client):
    make_article(title="Public lighthouse story")
    make_article(title="Draft lighthouse story", status=Article.Status.DRAFT)
    make_article(
        title="Scheduled lighthouse story",
        published_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert titles(client.get(SEARCH, {"q": "lighthouse"})) == ["Public lighthouse story"]


def test_index_follows_edits_bulk_updates_and_deletes(client):
    article = make_article(title="Original headline", body="Nothing about boats.")
    article.title = "Rewritten headline about canoes"
    article.save()
    assert titles(client.get(SEARCH, {"q": "canoes"})) == [article.title]
    assert titles(client.get(SEARCH, {"q": "original"})) == []
    # A queryset UPDATE bypasses save(): the database keeps the index anyway.
    Article.objects.filter(pk=article.pk).update(body_text="Kayaks everywhere.")
    assert titles(client.get(SEARCH, {"q": "kayaks"})) == [article.title]
    article.delete()
    assert titles(client.get(SEARCH, {"q": "canoes"})) == []


def test_loaddata_articles_are_searchable(client, tmp_path):
    article = make_article(title="Fixture story", body="Zeppelins over the bay.")
    fixture = tmp_path / "articles.json"
    fixture.write_text(serializers.serialize("json", [article]))
    Article.objects.all().delete()
    assert titles(client.get(SEARCH, {"q": "zeppelins"})) == []
    call_command("loaddata", str(fixture), verbosity=0)
    assert titles(client.get(SEARCH, {"q": "zeppelins"})) == ["Fixture story"]


def test_snippet_marks_matches_and_escapes_everything_else(client):
    make_article(
        title="Markup in a body",
        body="Code: `<img src=x onerror=alert(1)>` and `</mark><b>` with 5 < 6 & the walrus.\n\n"
        "Stray markers \ue000 and \ue001 from a paste stay inert.",
    )
    response = client.get(SEARCH, {"q": "walrus"})
    snippet = response.context["articles"][0].search_snippet
    assert "<mark>walrus</mark>" in snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet
    assert "5 &lt; 6 &amp; the" in snippet
    page = response.content.decode()
    assert "<img" not in page and "<b>" not in page
    assert "\ue000" not in page and "\ue001" not in page
    assert page.count("<mark>") == page.count("</mark>") == 1


def test_title_only_match_quotes_the_body_opening_or_the_summary(client):
    make_article(title="Wombats", excerpt="About marsupials.", body="Nothing else to say.")
    make_article(title="Wombat photo", excerpt="A burrow at dusk.", body="![A burrow](burrow.jpg)")
    snippets = {
        article.title: article.search_snippet
        for article in client.get(SEARCH, {"q": "wombats"}).context["articles"]
    }
    assert snippets["Wombats"].strip() == "Nothing else to say."
    assert snippets["Wombat photo"] == "A burrow at dusk."  # no body text to quote


def test_empty_query_shows_the_form_without_touching_the_database(
    client, django_assert_num_queries
):
    make_article(title="Anything")
    client.get(SEARCH)  # fills the header's navigation cache, the page's only other query
    with django_assert_num_queries(0):
        response = client.get(SEARCH, {"q": "   "})
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "result" not in response.content.decode().split("</form>")[-1]


def test_results_page_is_not_indexed_by_search_engines(client):
    assert '<meta name="robots" content="noindex, follow">' in client.get(SEARCH).content.decode()


@pytest.fixture
def many_matches(settings):
    settings.ARTICLES_PER_PAGE = 5
    author = make_user()
    now = timezone.now()
    return [
        make_article(
            title=f"Ferry timetable {n:02d}",
            body="Ferries leave hourly.",
            author=author,
            published_at=now - datetime.timedelta(hours=n),
        )
        for n in range(12)
    ]


def test_pagination_keeps_the_query_and_rejects_bad_pages(client, many_matches):
    first = client.get(SEARCH, {"q": "ferry"})
    page = first.content.decode()
    assert 'rel="next" href="?q=ferry&amp;page=2"' in page
    assert "12 results" in page
    last = client.get(SEARCH, {"q": "ferry", "page": 3})
    assert len(last.context["articles"]) == 2
    assert 'rel="prev" href="?q=ferry&amp;page=2"' in last.content.decode()
    assert client.get(SEARCH, {"q": "ferry", "page": 4}).status_code == 404
    assert client.get(SEARCH, {"q": "ferry", "page": "x"}).status_code == 404


def test_query_count_does_not_grow_with_results(client, many_matches, django_assert_num_queries):
    """4 queries: result count, one page of articles with authors, their tags, their snippets;
    +1 for the header's navigation tags while their cache is cold (the first request)."""
    with django_assert_num_queries(5):
        assert client.get(SEARCH, {"q": "ferry"}).status_code == 200
    for n in range(12, 30):
        make_article(title=f"Ferry extra {n}", body="More ferries.")
    with django_assert_num_queries(4):
        assert client.get(SEARCH, {"q": "ferry", "page": 2}).status_code == 200


def test_index_structures_exist():
    """The GIN index (PostgreSQL) or the FTS5 table and its sync triggers (SQLite).

    SQLite drops a table's triggers whenever a migration rebuilds it: if this fails after a new
    migration on `articles_article`, that migration must end with
    `migrations.RunPython(search_schema.install_sqlite_triggers, migrations.RunPython.noop)`.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_article_search_idx'"
            )
            assert "USING gin (search_vector)" in cursor.fetchone()[0]
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'articles_article'::regclass "
                "AND tgname = 'articles_article_search_vector'"
            )
            assert cursor.fetchone()
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_article_fts'")
            assert "USING fts5" in cursor.fetchone()[0]
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
                "'articles_article' AND name LIKE 'articles_article_fts_%' ORDER BY name"
            )
            assert [row[0] for row in cursor.fetchall()] == [
                "articles_article_fts_delete",
                "articles_article_fts_insert",
                "articles_article_fts_update",
            ]
            make_article(title="Integrity")
            cursor.execute(
                "INSERT INTO articles_article_fts (articles_article_fts, rank) "
                "VALUES ('integrity-check', 1)"
            )


def is_matching_join(sql):
    """The SQLite queries joining articles to the FTS5 table (count and page, not snippets)."""
    return "articles_article_fts MATCH" in sql and '"articles_article"."status"' in sql


def test_no_query_of_the_search_page_scans_bodies(client):
    """Every query the search page runs reads the full-text index; bodies are never scanned.

    PostgreSQL: with 2,000 articles and fresh statistics the planner itself picks the GIN index;
    no planner setting is forced (`enable_seqscan` stays on). SQLite: the FTS5 table drives each
    join and articles are fetched by primary key — never one full-text probe per article.
    """
    author = make_user()
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Routine report {n}",
            slug=f"routine-report-{n}",
            author=author,
            body=f"Weather and tides, day {n}.",
            body_text=f"Weather and tides, day {n}.",
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(2000)
    )
    make_article(title="Albatross sighted", body="A rare albatross.", author=author)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
    with CaptureQueriesContext(connection) as page_queries:
        assert titles(client.get(SEARCH, {"q": "albatross"})) == ["Albatross sighted"]
    explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    article_queries = [
        query["sql"]
        for query in page_queries.captured_queries
        if "articles_article" in query["sql"]
    ]
    assert len(article_queries) >= 3  # count, page, snippets
    for sql in article_queries:
        with connection.cursor() as cursor:
            cursor.execute(explain + sql)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        if connection.vendor == "postgresql":
            assert "Seq Scan on articles_article " not in plan + " ", plan
            if "search_vector" in sql or "ts_headline" in sql:
                assert "articles_article_search_idx" in plan or "articles_article_pkey" in plan, (
                    plan
                )
        else:
            assert "SCAN articles_article " not in plan + " ", plan
            if is_matching_join(sql):
                first_step = plan.splitlines()[0]
                assert first_step.startswith("SCAN articles_article_fts VIRTUAL TABLE INDEX 0:M")
                assert "SEARCH articles_article USING INTEGER PRIMARY KEY" in plan, plan
    joins = [sql for sql in article_queries if is_matching_join(sql)]
    assert connection.vendor == "postgresql" or len(joins) == 2  # count and page
