"""What readers and editors see of the view counts: "Most read this week" and the admin chart."""

import re
from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from articles import charts, counters
from articles.models import Article
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def add_views(article, days_ago, views):
    counters.add_views({(article.pk, timezone.localdate() - timedelta(days=days_ago)): views})


def render_most_read():
    return Template("{% load view_stats %}{% most_read_this_week %}").render(Context())


def test_most_read_ranks_the_last_seven_days_of_published_articles(django_assert_num_queries):
    steady, spike, old_hit = (make_article(slug=slug) for slug in ("steady", "spike", "old-hit"))
    draft = make_article(slug="draft", status=Article.Status.DRAFT)
    for days_ago in range(7):
        add_views(steady, days_ago, 3)  # 21 this week
    add_views(spike, 0, 30)
    add_views(old_hit, 7, 1000)  # eight days ago: last week
    add_views(draft, 0, 500)

    with django_assert_num_queries(1):
        html = render_most_read()

    assert html.index("Spike") < html.index("Steady")
    assert "30 views" in html and "21 views" in html
    assert "Old Hit" not in html and "Draft" not in html


def test_most_read_shows_at_most_five_and_formats_counts():
    for number in range(7):
        add_views(make_article(slug=f"story-{number}"), 0, 1000 + number)
    html = render_most_read()
    assert html.count("<li>") == 5
    assert "1,006 views" in html and "Story 1" not in html


def test_most_read_has_an_empty_state():
    make_article()
    assert "No reads counted yet this week." in render_most_read()


def test_home_and_article_pages_show_most_read(client):
    article = make_article(title="Popular piece")
    add_views(article, 0, 4)
    for url in ("/", article.get_absolute_url()):
        html = client.get(url, HTTP_USER_AGENT="curl/8").text
        assert "Most read this week" in html and "4 views" in html


def test_chart_series_is_zero_filled_from_one_query(django_assert_num_queries):
    article = make_article()
    today = date(2026, 3, 31)
    counters.add_views({(article.pk, today): 5, (article.pk, date(2026, 3, 2)): 2})
    counters.add_views({(article.pk, date(2026, 3, 1)): 99})  # 31 days ago: outside

    with django_assert_num_queries(1):
        series = charts.daily_views(article, days=30, today=today)

    assert len(series) == 30
    assert series[0] == (date(2026, 3, 2), 2)
    assert series[-1] == (today, 5)
    assert sum(views for _, views in series) == 7


def test_chart_svg_has_a_bar_per_day_axis_labels_and_accessible_text():
    series = [(date(2026, 3, 2) + timedelta(days=n), n) for n in range(30)]
    svg = charts.daily_views_svg(series, title="Daily views of <Tom & Jerry>")

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert svg.count('<rect class="bar"') == 30
    assert "<title>2026-03-31: 29 views</title>" in svg
    assert "<title>2026-03-03: 1 view</title>" in svg
    assert "Daily views of &lt;Tom &amp; Jerry&gt;" in svg, "the title is escaped"
    assert "435 views from Mar 2 to Mar 31; busiest day 29." in svg
    assert ">Mar 31</text>" in svg and ">50</text>" in svg  # date label, y axis top


def test_chart_of_an_article_without_views_draws_a_flat_axis():
    series = [(date(2026, 3, 2) + timedelta(days=n), 0) for n in range(30)]
    svg = charts.daily_views_svg(series, title="Nothing yet")
    assert svg.count('height="0.0"') == 30 and ">4</text>" in svg


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    return client


def test_admin_article_page_shows_the_daily_views_chart(admin_client):
    article = make_article(title="Charted")
    add_views(article, 0, 12)
    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert "Daily views, last 30 days" in html
    assert "<svg" in html and "Daily views of Charted" in html and ": 12 views</title>" in html


def test_admin_add_page_has_no_chart(admin_client):
    html = admin_client.get(reverse("admin:articles_article_add")).text
    assert "views-chart" not in html and "Daily views" not in html


def test_admin_article_list_shows_views_without_a_query_per_row(
    admin_client, django_assert_max_num_queries
):
    url = reverse("admin:articles_article_changelist")
    make_article(slug="first", view_count=12345)
    with django_assert_max_num_queries(100) as few:
        admin_client.get(url)
    for number in range(10):
        make_article(slug=f"more-{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = admin_client.get(url).text
    assert "12345" in html or "12,345" in html


def test_last_date_label_fits_inside_the_chart():
    """The last label is centred on the last bar; the right margin must hold its half."""
    series = [(date(2026, 11, 2) + timedelta(days=n), n) for n in range(30)]
    svg = str(charts.daily_views_svg(series, title="Wide labels"))
    labels = re.findall(
        r'<text class="axis" fill="[^"]+" x="([\d.]+)" y="192"[^>]*>([^<]+)</text>', svg
    )
    x, text = labels[-1]
    assert text == "Dec 1"
    widest_label = "Sep 30"  # about 6.5 px per character at 11 px
    assert float(x) + len(widest_label) * 6.5 / 2 <= charts.WIDTH


def test_chart_uses_presentation_attributes_not_a_style_element():
    svg = str(charts.daily_views_svg([(date(2026, 3, 2), 3)], title="CSP friendly"))
    assert "<style" not in svg and "style=" not in svg
    assert 'fill="#9b2c1f"' in svg


@pytest.mark.parametrize(
    ("current", "previous", "sentence"),
    [
        (12, 10, "12 views in the last 30 days, up 20% from the previous 30 days (10)."),
        (5, 10, "5 views in the last 30 days, down 50% from the previous 30 days (10)."),
        (1, 1, "1 view in the last 30 days, the same as the previous 30 days."),
        (3, 0, "3 views in the last 30 days, no views in the previous 30 days."),
        (1234, 1000, "1,234 views in the last 30 days, up 23% from the previous 30 days (1,000)."),
    ],
)
def test_period_comparison_sentence(current, previous, sentence):
    def series(total):
        return [(date(2026, 3, 1), total)] + [(date(2026, 3, 2), 0)] * 29

    assert charts.period_comparison(series(current), series(previous)) == sentence


def test_admin_article_page_shows_the_30_day_total_and_change(admin_client):
    article = make_article(title="Compared")
    add_views(article, 0, 6)  # today
    add_views(article, 40, 4)  # in the previous thirty days
    add_views(article, 70, 99)  # older: in neither period
    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert "6 views in the last 30 days, up 50% from the previous 30 days (4)." in html
