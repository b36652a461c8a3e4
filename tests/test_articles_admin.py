"""Article admin: a useful list (title, author, status, date, views) without a query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_changelist_shows_the_columns_editors_need(admin_client_):
    article = make_article(title="Listed", author=make_user(first_name="Abu", last_name="Aliyu"))
    Article.objects.filter(pk=article.pk).update(view_count=4321)
    page = admin_client_.get(CHANGELIST).content.decode()
    for text in ["Listed", "Abu Aliyu", "Published", "4321", "column-published_at"]:
        assert text in page


def test_changelist_search_and_status_filter(admin_client_):
    make_article(title="Armistice anniversary")
    make_article(title="Other news", status=Article.Status.DRAFT)
    found = admin_client_.get(CHANGELIST, {"q": "armistice"}).context["cl"].result_list
    assert [a.title for a in found] == ["Armistice anniversary"]
    drafts = admin_client_.get(CHANGELIST, {"status__exact": "draft"}).context["cl"].result_list
    assert [a.title for a in drafts] == ["Other news"]


def test_changelist_query_count_does_not_grow_with_rows(admin_client_, django_assert_num_queries):
    make_article()
    with CaptureQueriesContext(connection) as one_row:
        admin_client_.get(CHANGELIST)
    for _ in range(20):
        make_article()
    with django_assert_num_queries(len(one_row.captured_queries)):
        admin_client_.get(CHANGELIST)


def test_add_form_prepopulates_slug_from_title(admin_client_):
    page = admin_client_.get(reverse("admin:articles_article_add")).content.decode()
    assert (
        "&quot;id&quot;: &quot;#id_slug&quot;, &quot;name&quot;: &quot;slug&quot;, "
        "&quot;dependency_ids&quot;: [&quot;#id_title&quot;]"
    ) in page


def test_author_filter_names_authors_as_the_column_does(admin_client_):
    """Full names in the filter, like the list's author column; username only without one."""
    aliyu = make_user("abu-aliyu", first_name="Abu", last_name="Aliyu")
    nameless = make_user("kim", first_name="", last_name="")
    make_user("no-articles", first_name="Idle", last_name="Person")
    make_article(author=aliyu)
    make_article(author=nameless)

    response = admin_client_.get(CHANGELIST)

    (author_filter,) = [
        spec for spec in response.context["cl"].filter_specs if spec.title == "author"
    ]
    assert [name for _pk, name in author_filter.lookup_choices] == ["Abu Aliyu", "kim"]
    page = response.content.decode()
    assert f'<a href="?author__id__exact={aliyu.pk}">Abu Aliyu</a>' in page
    assert ">abu-aliyu<" not in page and "Idle Person" not in page
