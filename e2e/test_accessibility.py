"""axe-core finds no serious or critical violation on the reader pages and the admin pages this
project customised, and reader pages fit a 360 px wide screen without horizontal scrolling."""

import pytest
from django.urls import reverse

from comments.models import Comment
from e2e.conftest import (
    DJANGO_WIDGET_FINDINGS,
    SEED_SLUG,
    axe_violations,
    has_route,
    horizontal_overflow,
    log_in,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def comment_error_page(page, base):
    """The article page after sending an empty comment: the form comes back with its errors."""
    page.goto(f"{base}{reverse('articles:detail', args=[SEED_SLUG])}")
    page.locator("#comment-form").get_by_role("button", name="Post comment").click()
    page.locator("#comment-form .errorlist").first.wait_for()


def reader_pages(base):
    pages = {
        "home": lambda page: page.goto(base),
        "article": lambda page: page.goto(f"{base}{reverse('articles:detail', args=[SEED_SLUG])}"),
        "author": lambda page: page.goto(f"{base}{reverse('articles:author', args=['abu-aliyu'])}"),
        "comment-error": lambda page: comment_error_page(page, base),
        "not-found": lambda page: page.goto(f"{base}/no-such-page/"),
    }
    if has_route("articles:search"):  # issue 9 builds the search page
        pages["search"] = lambda page: page.goto(f"{base}{reverse('articles:search')}?q=armistice")
    return pages


def test_reader_pages_have_no_serious_accessibility_violations(site, page, journey):
    found = {}
    for name, open_page in reader_pages(site).items():
        open_page(page)
        journey.step(name)
        found[name] = axe_violations(page)
    assert found == {name: [] for name in found}


def test_customised_admin_pages_have_no_serious_accessibility_violations(
    site, page, journey, admin_user
):
    from articles.models import Article

    article = Article.objects.get(slug=SEED_SLUG)
    Comment.objects.create(
        article=article, name="Held", email="held@example.com", body="Waiting here."
    )
    admin_user.set_password("correct-horse-battery-staple")
    admin_user.save()
    log_in(page, site, admin_user)
    pages = {
        "dashboard": reverse("admin:index"),
        "moderation-queue": f"{reverse('admin:comments_comment_changelist')}?status__exact=pending",
        "article-form": reverse("admin:articles_article_change", args=[article.pk]),
    }
    found = {}
    for name, path in pages.items():
        page.goto(f"{site}{path}")
        journey.step(name)
        found[name] = axe_violations(page, known=DJANGO_WIDGET_FINDINGS)
    assert found == {name: [] for name in found}


def test_reader_pages_fit_a_360_px_screen(site, page, journey):
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = {}
    for name, open_page in reader_pages(site).items():
        open_page(page)
        journey.step(f"{name}-360px")
        overflow[name] = horizontal_overflow(page)
    assert overflow == {name: 0 for name in overflow}
