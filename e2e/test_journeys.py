"""The reader's and the moderator's journeys, with the mouse and with the keyboard alone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from e2e.conftest import SEED_SLUG, SEED_TITLE, has_route, log_in, tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HELD = "Your comment is awaiting moderation"
COMMENT = "A clear account of the anniversary; the context on 1953 helped."


def read_the_seed_article(page, base, journey, *, keyboard):
    page.goto(base)
    expect(page.get_by_role("heading", name=SEED_TITLE)).to_be_visible()
    journey.step("home")
    link = page.get_by_role("link", name=SEED_TITLE).first
    if keyboard:
        tab_to(page, link)
        page.keyboard.press("Enter")
    else:
        link.click()
    page.wait_for_url(f"**/articles/{SEED_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    journey.step("article")


def search_for_the_seed_article(page, base, journey, *, keyboard):
    """Runs once the search page (issue 9, `articles:search`) exists."""
    if not has_route("articles:search"):
        return
    page.goto(f"{base}{reverse('articles:search')}")
    box = page.get_by_role("searchbox", name=re.compile("search", re.I)).first
    if keyboard:
        tab_to(page, box)
    else:
        box.click()
    page.keyboard.type("armistice")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(reverse("articles:search"))))
    journey.step("search-results")
    result = page.get_by_role("link", name=SEED_TITLE).first
    if keyboard:
        tab_to(page, result)
        page.keyboard.press("Enter")
    else:
        result.click()
    page.wait_for_url(f"**/articles/{SEED_SLUG}/")


def post_a_comment(page, journey, *, keyboard, name="Mariam Haddad"):
    form = page.locator("#comment-form")
    if keyboard:
        tab_to(page, form.get_by_role("textbox", name="Name"))
        page.keyboard.type(name)
        tab_to(page, form.get_by_role("textbox", name="Email"))
        page.keyboard.type("mariam@example.com")
        tab_to(page, form.get_by_role("textbox", name="Comment"))
        page.keyboard.type(COMMENT)
        journey.step("comment-filled")
        tab_to(page, form.get_by_role("button", name="Post comment"))
        page.keyboard.press("Enter")
    else:
        form.get_by_role("textbox", name="Name").fill(name)
        form.get_by_role("textbox", name="Email").fill("mariam@example.com")
        form.get_by_role("textbox", name="Comment").fill(COMMENT)
        journey.step("comment-filled")
        form.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text(HELD)).to_be_visible()
    journey.step("told-it-waits-for-moderation")


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard-only"])
def test_reader_reads_searches_and_comments(site, browser, page, journey, keyboard):
    read_the_seed_article(page, site, journey, keyboard=keyboard)
    search_for_the_seed_article(page, site, journey, keyboard=keyboard)
    post_a_comment(page, journey, keyboard=keyboard)
    assert Comment.objects.get().status == Comment.Status.PENDING

    # Its writer sees it in place, marked as held; other readers do not see it before approval.
    other_reader = browser.new_context().new_page()
    other_reader.goto(page.url)
    expect(other_reader.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    expect(other_reader.get_by_text(COMMENT)).to_have_count(0)
    journey.step("another-reader-does-not-see-it-yet", other_reader)


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard-only"])
def test_moderator_approves_and_the_reader_sees_it(
    site, browser, page, journey, moderator, keyboard
):
    read_the_seed_article(page, site, journey, keyboard=keyboard)
    counts = page.locator(".counts__comments").first
    expect(counts).to_have_text("0 comments")
    post_a_comment(page, journey, keyboard=keyboard)

    staff = browser.new_context().new_page()
    log_in(staff, site, moderator, keyboard=keyboard)
    journey.step("admin-dashboard", staff)
    notice = staff.get_by_role("link", name="1 comment waiting for moderation")
    if keyboard:
        tab_to(staff, notice)
        staff.keyboard.press("Enter")
    else:
        notice.click()
    row = staff.locator("#result_list tbody tr", has_text="Mariam Haddad")
    expect(row).to_have_count(1)
    journey.step("moderation-queue", staff)
    approve = row.get_by_role("button", name="Approve", exact=True)
    if keyboard:
        tab_to(staff, approve)
        staff.keyboard.press("Enter")
    else:
        approve.click()
    expect(staff.get_by_text("Comment by Mariam Haddad approved.")).to_be_visible()
    journey.step("approved", staff)

    page.reload()
    expect(page.get_by_text(COMMENT)).to_be_visible()
    expect(counts).to_have_text("1 comment")
    journey.step("reader-sees-the-comment")
