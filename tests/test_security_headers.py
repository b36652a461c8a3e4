"""Content-Security-Policy and Permissions-Policy (issue 7, finding 11).

The policy forbids inline scripts and styles, so the pages must not have any: every page a reader,
a commenter or an editor sees is parsed here for inline `<script>`, `<style>`, `style=` and `on…=`
attributes. (That the admin's own JavaScript runs under the policy was checked by loading the
admin in headless Chromium and reading its console; see docs/architecture.md.)
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import DailyArticleViews
from comments.models import Comment
from tests.comments_helpers import make_comment
from tests.factories import make_article, make_user
from tests.html_checks import inline_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    article = make_article()
    make_comment(article, body="Visible")
    make_comment(article, status=Comment.Status.PENDING, body="Held")
    DailyArticleViews.objects.create(article=article, day=timezone.localdate(), views=3)
    return article


def reader_urls(article):
    return [
        reverse("articles:list"),
        article.get_absolute_url(),
        "/no-such-page/",
    ]


def admin_urls(article):
    comment = Comment.objects.first()
    return [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_add"),
        reverse("admin:comments_comment_changelist"),
        reverse("admin:comments_comment_change", args=[comment.pk]),
        reverse("admin:comments_blocklistentry_add"),
        reverse("admin:auth_user_changelist"),
    ]


def test_every_response_carries_a_strict_policy(client, site):
    response = client.get(site.get_absolute_url())
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split("; ")
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_powerful_browser_features_are_turned_off(client):
    features = dict(part.split("=") for part in client.get("/")["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial"):
        assert features[feature] == "()"


def test_reader_pages_have_nothing_inline(client, site):
    for url in reader_urls(site):
        assert inline_code(client.get(url).content.decode()) == [], url


def test_admin_pages_have_nothing_inline(client, site):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    for url in admin_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response
        assert inline_code(response.content.decode()) == [], url


def test_admin_login_page_has_nothing_inline(client):
    assert inline_code(client.get(reverse("admin:login")).content.decode()) == []


def test_the_views_chart_is_styled_from_the_admin_stylesheet(client, site):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:articles_article_change", args=[site.pk])).content.decode()
    assert 'class="views-chart"' in html and "css/admin.css" in html
