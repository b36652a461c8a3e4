"""An author writes and publishes an article in the admin, and readers find it.

Runs today, with the mouse and with the keyboard alone: log in, write (title, body, tag, author),
publish, and a reader finds it on the home page and opens it. The steps that need pages other
issues are building run as soon as those exist: the cover image upload (issue 8's form field), the
tag page (`articles:tag`) and search (`articles:search`, issue 9). The preview step is not written
yet: it needs issue 8's preview.
"""

import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article, Tag
from e2e.conftest import has_route, log_in, tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Harbour Cranes Return to the Old Port"
BODY = "After ten years of repairs the cranes are back.\n\nThe first ship docks on Monday."


def choose_in_autocomplete(page, field, text, *, keyboard):
    """Django admin's autocomplete (select2): open it, type, pick the highlighted match."""
    widget = page.locator(f"#{field} + .select2")
    if keyboard:
        # A single choice is a focusable box that Enter opens; a multiple one is a search field.
        single = widget.locator(".select2-selection--single")
        if single.count():
            tab_to(page, single)
            page.keyboard.press("Enter")
        else:
            tab_to(page, widget.locator(".select2-search__field"))
    else:
        widget.locator(".select2-selection").click()
    page.keyboard.type(text)
    page.locator(".select2-results__option--highlighted", has_text=text).wait_for()
    page.keyboard.press("Enter")


def type_into(page, selector, text, *, keyboard):
    field = page.locator(selector)
    if keyboard:
        tab_to(page, field)
        page.keyboard.type(text)
    else:
        field.fill(text)


def activate(page, locator, *, keyboard):
    if keyboard:
        tab_to(page, locator)
        page.keyboard.press("Enter")
    else:
        locator.click()


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard-only"])
def test_author_writes_publishes_and_readers_find_it(
    site, page, journey, author, tmp_path, keyboard
):
    Tag.objects.create(name="Harbours", slug="harbours")
    log_in(page, site, author, keyboard=keyboard)
    journey.step("admin-dashboard")

    page.goto(f"{site}{reverse('admin:articles_article_add')}")
    type_into(page, "#id_title", TITLE, keyboard=keyboard)
    choose_in_autocomplete(page, "id_author", author.username, keyboard=keyboard)
    type_into(page, "#id_body", BODY, keyboard=keyboard)
    choose_in_autocomplete(page, "id_tags", "Harbours", keyboard=keyboard)
    if page.locator("#id_cover_image").count():  # issue 8 adds the cover to the form
        cover = tmp_path / "cranes.png"
        Image.new("RGB", (1200, 630), "#2a5d84").save(cover)
        page.set_input_files("#id_cover_image", cover)  # the system file dialog, either way
        type_into(page, "#id_cover_alt", "Two blue cranes over the quay", keyboard=keyboard)
    if keyboard:
        tab_to(page, page.locator("#id_status"))
        page.keyboard.type("Published")
    else:
        page.select_option("#id_status", "published")
    activate(page, page.get_by_role("link", name="Today", exact=True), keyboard=keyboard)
    activate(page, page.get_by_role("link", name="Now", exact=True), keyboard=keyboard)
    journey.step("article-written")
    activate(page, page.locator("input[name=_save]"), keyboard=keyboard)
    expect(page.locator(".messagelist .success")).to_be_visible()
    journey.step("article-saved")

    article = Article.objects.get(title=TITLE)
    assert article in Article.objects.published()

    reader = page.context.browser.new_context().new_page()
    reader.goto(site)
    link = reader.get_by_role("link", name=TITLE).first
    expect(link).to_be_visible()
    journey.step("home-lists-it", reader)
    activate(reader, link, keyboard=keyboard)
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    journey.step("reader-opens-it", reader)

    if has_route("articles:tag"):
        reader.goto(f"{site}{reverse('articles:tag', kwargs={'slug': 'harbours'})}")
        expect(reader.get_by_role("link", name=TITLE).first).to_be_visible()
        journey.step("tag-page-lists-it", reader)
    if has_route("articles:search"):
        reader.goto(f"{site}{reverse('articles:search')}?q=cranes")
        expect(reader.get_by_role("link", name=TITLE).first).to_be_visible()
        assert re.search(r"cranes", reader.url)
        journey.step("search-finds-it", reader)
