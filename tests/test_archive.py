"""Monthly archive: the index of months with counts, month pages, time zones, 404s, query counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db

ARCHIVE = reverse("articles:archive")
UTC = datetime.UTC


def month_url(year, month):
    return reverse("articles:archive-month", kwargs={"year": year, "month": month})


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


@pytest.fixture
def spread(settings):
    """Articles in three months of two years, plus a draft and a scheduled one."""
    settings.TIME_ZONE = "UTC"
    author = make_user()
    for day in (3, 17, 28):
        make_article(title=f"March {day}", published_at=at(2025, 3, day, 12), author=author)
    make_article(title="December", published_at=at(2024, 12, 31, 12), author=author)
    make_article(title="January", published_at=at(2025, 1, 2, 12), author=author)
    make_article(
        title="Draft", published_at=at(2025, 2, 1), status=Article.Status.DRAFT, author=author
    )
    make_article(
        title="Scheduled",
        published_at=timezone.now() + datetime.timedelta(days=40),
        author=author,
    )
    return author


def test_month_urls_have_four_digit_years_and_two_digit_months():
    assert month_url(2025, 3) == "/archive/2025/03/"
    assert ARCHIVE == "/archive/"


def test_index_lists_years_and_months_with_counts_newest_first(client, spread):
    response = client.get(ARCHIVE)
    assert response.status_code == 200
    years = response.context["years"]
    assert [(year["year"], year["count"]) for year in years] == [(2025, 4), (2024, 1)]
    assert [(row["month"].month, row["count"]) for row in years[0]["months"]] == [(3, 3), (1, 1)]
    page = response.content.decode()
    assert 'href="/archive/2025/03/">March</a>' in page
    assert 'href="/archive/2024/12/">December</a>' in page
    assert "4 articles" in page and "1 article<" in page
    assert "/archive/2025/02/" not in page  # the draft's month is not a public month


def test_month_page_lists_that_month_newest_first(client, spread):
    response = client.get(month_url(2025, 3))
    assert response.status_code == 200
    assert [a.title for a in response.context["articles"]] == ["March 28", "March 17", "March 3"]
    page = response.content.decode()
    assert "<h1>March 2025</h1>" in page
    assert 'href="/archive/2025/01/">&larr; January 2025</a>' in page  # skips empty February


def test_month_links_cross_years(client, spread):
    page = client.get(month_url(2025, 1)).content.decode()
    assert 'href="/archive/2024/12/">&larr; December 2024</a>' in page
    assert 'href="/archive/2025/03/">March 2025 &rarr;</a>' in page


@pytest.mark.parametrize(
    "path",
    [
        "/archive/2025/02/",  # only a draft
        "/archive/2023/03/",  # nothing at all
        "/archive/2025/13/",
        "/archive/2025/00/",
        "/archive/2025/3/",
        "/archive/25/03/",
        "/archive/0000/01/",
        "/archive/0001/01/",
        "/archive/9999/12/",
        "/archive/2025/march/",
    ],
)
def test_empty_or_impossible_months_are_404(client, spread, path):
    assert client.get(path).status_code == 404


def test_scheduled_article_stays_out_of_the_archive_until_its_time(client, settings):
    settings.TIME_ZONE = "UTC"
    make_article(title="Scheduled", published_at=at(2031, 5, 10, 8))
    assert client.get(month_url(2031, 5)).status_code == 404
    assert client.get(ARCHIVE).context["years"] == []
    with time_machine.travel(at(2031, 5, 10, 9)):
        assert [a.title for a in client.get(month_url(2031, 5)).context["articles"]] == [
            "Scheduled"
        ]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_calendar_edges_are_404_in_any_time_zone(client, settings, zone):
    settings.TIME_ZONE = zone
    make_article(published_at=at(2025, 5, 5))
    for path in ["/archive/0001/01/", "/archive/9999/12/", "/archive/1000/06/"]:
        assert client.get(path).status_code == 404


def test_months_are_cut_in_the_site_time_zone(client, settings):
    """23:30 UTC on March 31st is already April 1st in Tokyo: the site's month is April."""
    settings.TIME_ZONE = "Asia/Tokyo"
    make_article(title="Late night", published_at=at(2026, 3, 31, 23, 30))
    months = client.get(ARCHIVE).context["years"][0]["months"]
    assert [row["month"].month for row in months] == [4]
    assert client.get(month_url(2026, 3)).status_code == 404
    assert [a.title for a in client.get(month_url(2026, 4)).context["articles"]] == ["Late night"]

    settings.TIME_ZONE = "America/New_York"  # 19:30 on March 31st there
    assert [row["month"].month for row in client.get(ARCHIVE).context["years"][0]["months"]] == [3]
    assert client.get(month_url(2026, 3)).status_code == 200
    assert client.get(month_url(2026, 4)).status_code == 404


def test_month_pagination(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    author = make_user()
    for day in range(1, 6):
        make_article(title=f"Day {day}", published_at=at(2025, 6, day, 9), author=author)
    last = client.get(month_url(2025, 6), {"page": 3})
    assert [a.title for a in last.context["articles"]] == ["Day 1"]
    assert 'rel="prev" href="?page=2"' in last.content.decode()
    assert client.get(month_url(2025, 6), {"page": 4}).status_code == 404


def test_empty_archive_is_friendly(client):
    response = client.get(ARCHIVE)
    assert response.status_code == 200
    assert "Nothing has been published yet." in response.content.decode()


def test_archive_query_counts_do_not_grow(client, settings, django_assert_num_queries):
    """Index: 1 query. Month page: 6 (count, page, tags, previous month, next month, most read
    this week). The first request adds 1 for the header's navigation tags (cold cache)."""
    settings.TIME_ZONE = "UTC"
    author = make_user()
    make_article(published_at=at(2025, 1, 5), author=author)
    make_article(published_at=at(2025, 3, 5), author=author)
    for day in range(1, 4):
        make_article(published_at=at(2025, 2, day), author=author)
    with django_assert_num_queries(2):
        client.get(ARCHIVE)
    with django_assert_num_queries(6):
        assert client.get(month_url(2025, 2)).status_code == 200
    for month in range(4, 13):
        for day in range(1, 4):
            make_article(published_at=at(2024, month, day), author=author)
            make_article(published_at=at(2025, 2, day + 10), author=author)
    with django_assert_num_queries(1):
        client.get(ARCHIVE)
    with django_assert_num_queries(6):
        assert client.get(month_url(2025, 2)).status_code == 200


def test_archive_months_know_when_each_month_last_changed(settings):
    """What a sitemap of months needs for `lastmod`: the latest edit or publication in the month."""
    settings.TIME_ZONE = "UTC"
    author = make_user()
    with time_machine.travel(at(2025, 3, 1)):
        edited = make_article(published_at=at(2025, 2, 10), author=author)
        make_article(published_at=at(2025, 2, 20), author=author)
    with time_machine.travel(at(2025, 4, 2)):
        edited.save()
    rows = list(Article.objects.archive_months())
    assert [(row["month"].month, row["count"]) for row in rows] == [(2, 2)]
    assert rows[0]["last_modified"] == at(2025, 4, 2)
