"""Reader pages: home list, article page, pagination edges, drafts hidden, plurals, query counts."""

import datetime

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from articles.models import Article

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db

HOME = reverse("articles:list")


def test_home_lists_published_articles_newest_first_with_their_facts(client):
    author = make_user(first_name="Abu", last_name="Aliyu")
    older = make_article(
        title="Older", author=author, published_at=timezone.now() - datetime.timedelta(days=3)
    )
    newer = make_article(
        title="Newer",
        author=author,
        body="An opening that readers see in the list.\n\nMore.",
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    Article.objects.filter(pk=newer.pk).update(view_count=8, comment_count=1)
    response = client.get(HOME)
    assert response.status_code == 200
    assert list(response.context["articles"]) == [newer, older]
    page = response.content.decode()
    assert page.index("Newer") < page.index("Older")
    for fact in ["Abu Aliyu", "1 min read", "An opening that readers see in the list.", "8 views"]:
        assert fact in page
    assert "1 comment<" in page
    assert newer.published_at.strftime("%B %-d, %Y") in page


def test_home_hides_drafts_and_scheduled_articles(client):
    make_article(title="Visible")
    make_article(title="Secret draft", status=Article.Status.DRAFT)
    make_article(title="Tomorrow", published_at=timezone.now() + datetime.timedelta(days=1))
    page = client.get(HOME).content.decode()
    assert "Visible" in page
    assert "Secret draft" not in page
    assert "Tomorrow" not in page


def test_empty_site_has_a_friendly_home(client):
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Nothing has been published yet." in response.content.decode()


@pytest.fixture
def twelve_articles(settings):
    settings.ARTICLES_PER_PAGE = 5
    now = timezone.now()
    return [
        make_article(title=f"Story {n:02d}", published_at=now - datetime.timedelta(hours=n))
        for n in range(12)
    ]


def test_pagination_first_middle_last_pages(client, twelve_articles):
    first = client.get(HOME)
    assert [a.title for a in first.context["articles"]][0] == "Story 00"
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    last = client.get(HOME, {"page": 3})
    assert [a.title for a in last.context["articles"]] == ["Story 10", "Story 11"]
    assert 'rel="prev" href="?page=2"' in last.content.decode()
    assert 'rel="next"' not in last.content.decode()
    assert client.get(HOME, {"page": "last"}).context["page_obj"].number == 3


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5", "99999999999999999999"])
def test_invalid_or_out_of_range_page_is_404(client, twelve_articles, page):
    response = client.get(HOME, {"page": page})
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_empty_page_parameter_means_the_first_page(client, twelve_articles):
    assert client.get(HOME, {"page": ""}).context["page_obj"].number == 1


def test_article_page_shows_everything_a_reader_needs(client):
    article = make_article(
        title="Armistice at seventy",
        author=make_user(first_name="Abu", last_name="Aliyu"),
        body="A *first* paragraph.\n\nA second paragraph.",
    )
    Article.objects.filter(pk=article.pk).update(view_count=12345, comment_count=2)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for fact in [
        '<h1 class="article__title">Armistice at seventy</h1>',
        "Abu Aliyu",
        article.published_at.strftime("%B %-d, %Y"),
        "1 min read",
        "<p>A <em>first</em> paragraph.</p>",
        "12,345 views",
        "2 comments",
        'id="comments"',
    ]:
        assert fact in page


@pytest.mark.parametrize(
    ("views", "comments", "view_text", "comment_text"),
    [
        (0, 0, "0 views", "0 comments"),
        (1, 1, "1 view<", "1 comment<"),
        (2, 2, "2 views", "2 comments"),
        (1000, 1001, "1,000 views", "1,001 comments"),
    ],
)
def test_counts_use_correct_plural_forms(client, views, comments, view_text, comment_text):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(view_count=views, comment_count=comments)
    for url in [HOME, article.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert view_text in page
        assert comment_text in page


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
        {"status": Article.Status.PUBLISHED, "published_at": None},
    ],
)
def test_drafts_and_future_articles_are_404_to_the_public(client, hidden):
    article = make_article(**hidden)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert article.title not in response.content.decode()


def test_unknown_slug_is_a_styled_404(client):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "Back to the home page" in response.content.decode()


def test_500_page_is_styled_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_script_in_a_body_never_reaches_the_page(client):
    article = make_article(title="<script>alert('t')</script>", body="<script>alert('b')</script>")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)" in page


def _articles(count):
    for n in range(count):
        make_article(published_at=timezone.now() - datetime.timedelta(hours=n + 1))


@pytest.mark.parametrize("count", [1, 25])
def test_home_query_count_is_constant(client, django_assert_num_queries, settings, count):
    settings.ARTICLES_PER_PAGE = 10
    _articles(count)
    # count the page, the articles with their authors, tags for the page, "most read this week",
    # the header's tags (cold cache)
    with django_assert_num_queries(5):
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_article_page_query_count_is_constant(client, django_assert_num_queries, count):
    _articles(count)
    article = Article.objects.first()
    # the article with its author, its tags, "most read this week", the comment count of the
    # thread (the test client's request, with no user agent, is not a countable view:
    # tests/test_view_tracking.py covers that write), previous and next article (no tags, so no
    # related query), the header's tags (cold cache)
    with django_assert_num_queries(7):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_csrf_failure_is_a_friendly_403():
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("comments:post", args=[article.slug]), {"body": "x"})
    assert response.status_code == 403
    assert "Your form had expired" in response.content.decode()


def test_permission_denied_is_a_friendly_403(client):
    client.force_login(make_user(is_staff=True))
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 403
    assert "do that here" in response.content.decode()
