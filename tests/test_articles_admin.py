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
