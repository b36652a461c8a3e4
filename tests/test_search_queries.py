"""Hostile and odd search queries: always a 200 with sensible results, on either database."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, clean_query, fts5_query

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")
# Example counts come from the Hypothesis profile in conftest.py (quick by default); the corpus is
# a function-scoped fixture that the examples only read.
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def corpus():
    author = make_user()
    make_article(title="Lighthouse keepers", body="The keeper climbs 99 steps.", author=author)
    make_article(title="Tide tables", body="High water at noon; 100% accurate.", author=author)
    make_article(title="Secret lighthouse draft", body="Unpublished.", status=Article.Status.DRAFT)
    return author


def found(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200, query
    return [article.title for article in response.context["articles"]]


HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "^",
    ":",
    "-",
    "--",
    "- -",
    "(",
    "((",
    ")",
    "NEAR",
    "NEAR(a b, 2)",
    "AND",
    "OR",
    "NOT",
    "OR OR OR",
    "a:b:c",
    "title:",
    "\\",
    "&|!",
    ":*",
    "!!!",
    "%",
    "_",
    "%_%",
    "\x00",
    "\x00\x00\x00",
    "\ufffd",
    "\u200b",
    "😀",
    "<script>alert(1)</script>",
    "'; DROP TABLE articles_article; --",
    '" OR 1=1 --',
    "1' OR '1'='1",
    "SELECT * FROM auth_user",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_200_with_nothing_unexpected(client, corpus, query):
    """None of these is a word in a public article: none may error or match everything."""
    assert found(client, query) == []
    assert Article.objects.count() == 3


@pytest.mark.parametrize(
    "query",
    [
        '"lighthouse',
        "lighthouse -",
        "lighthouse --",
        "lighthouse*",
        "^lighthouse",
        "lighthouse:",
        "(lighthouse)",
        "lighthouse OR",
        "OR lighthouse",
        "lighthouse\x00keeper",
        "lighthouse\x00",
        "lighthouse %",
        "lighthouse_",
        "lighthouse AND keeper",
        "LIGHTHOUSE",
    ],
)
def test_operators_around_a_real_word_still_find_it(client, corpus, query):
    assert found(client, query) == ["Lighthouse keepers"]


def test_percent_sign_is_not_a_wildcard(client, corpus):
    assert found(client, "100%") == ["Tide tables"]
    assert found(client, "%water%") == ["Tide tables"]


def test_very_long_query_is_cut_not_refused(client, corpus):
    query = "lighthouse " + "x" * 10_000
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert response.context["query"] == "lighthouse"
    assert found(client, "lighthouse " * 500) == ["Lighthouse keepers"]
    assert found(client, "lighthouse" * 500) == []


def test_invalid_utf8_and_encoded_surrogates_in_the_url(client, corpus):
    for raw in ["q=%ED%A0%80", "q=%FF%FE", "q=%C0%80lighthouse", "q=lighthouse%ED%B2%80"]:
        response = client.get(SEARCH, QUERY_STRING=raw)
        assert response.status_code == 200, raw
        assert not any(0xD800 <= ord(char) <= 0xDFFF for char in response.context["query"])


def test_clean_query_removes_nul_controls_and_lone_surrogates():
    assert clean_query("light\x00house") == "light house"
    assert clean_query("a\ud800b\udcffc") == "a b c"
    assert clean_query("  tabs\tand\nnewlines\r ") == "tabs and newlines"
    assert clean_query("x" * 1000) == "x" * MAX_QUERY_LENGTH
    assert clean_query("word " * 100) == ("word " * 40).strip()
    assert clean_query("\x00 \ud800") == ""


def test_lone_surrogate_reaching_the_queryset_is_harmless(corpus):
    query = clean_query("lighthouse\ud800")
    assert [a.title for a in Article.objects.published().search(query)] == ["Lighthouse keepers"]


def test_fts5_query_keeps_words_and_drops_syntax():
    assert fts5_query('NEAR(a b) * ^c title:d -e "f g" OR h') == (
        '(("NEAR a" AND "b" AND "c" AND "title d" AND "f g") OR ("h")) NOT ("e")'
    )
    assert fts5_query("and and") == ""
    assert fts5_query("-only -negative") == ""
    assert fts5_query('"" ** -- _ %') == ""


QUERY_PIECES = st.sampled_from(
    ['"', "'", "*", "^", ":", "-", "(", ")", "%", "_", "\\", "\x00", "AND", "OR", "NOT", "NEAR",
     "lighthouse", "keeper", "tide", "+", "&", "|", "!", "<->", ";", "--", " "]
)  # fmt: skip


@FUZZ
@given(pieces=st.lists(QUERY_PIECES, max_size=12))
def test_fuzzed_operator_soup_never_fails(client, corpus, pieces):
    titles = found(client, "".join(pieces))
    assert "Secret lighthouse draft" not in titles


@FUZZ
@given(text=st.text(st.characters(exclude_categories=["Cs"]), max_size=300))
def test_fuzzed_unicode_never_fails(client, corpus, text):
    titles = found(client, text)
    assert "Secret lighthouse draft" not in titles


@FUZZ
@given(text=st.text(max_size=300))
def test_fuzzed_text_with_surrogates_searches_through_the_queryset(corpus, text):
    query = clean_query(text)
    results = list(Article.objects.published().search(query)) if query else []
    assert all(article.is_published for article in results)


def test_the_query_is_escaped_wherever_the_page_repeats_it(client, corpus):
    query = '"><script>alert(1)</script> lighthouse'
    page = client.get(SEARCH, {"q": query}).content.decode()
    assert "<script>alert(1)" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3  # title, input, summary
