"""An author writes an article with a cover image in the admin, previews it, publishes it, and
readers find it: on the home page, on its tag page and in search (these two steps run once
`articles:tag` and `articles:search` exist: issue 9). With the mouse and with the keyboard alone
(the cover file is picked through the system dialog either way).
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
COVER_ALT = "Two blue cranes over the quay"
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
    type_into(page, "#id_body", BODY, keyboard=keyboard)
    choose_in_autocomplete(page, "id_tags", "Harbours", keyboard=keyboard)
    cover = tmp_path / "cranes.png"
    Image.new("RGB", (1200, 630), "#2a5d84").save(cover)
    page.set_input_files("#id_cover_image", cover)
    type_into(page, "#id_cover_alt", COVER_ALT, keyboard=keyboard)
    journey.step("article-written")
    activate(page, page.locator("input[name=_preview]"), keyboard=keyboard)

    page.wait_for_url("**/preview/**")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("img", name=COVER_ALT)).to_be_visible()
    journey.step("preview")
    draft = Article.objects.get(title=TITLE)
    assert draft not in Article.objects.published()

    page.goto(f"{site}{reverse('admin:articles_article_change', args=[draft.pk])}")
    if keyboard:
        tab_to(page, page.locator("#id_status"))
        page.keyboard.type("Published")
    else:
        page.select_option("#id_status", "published")
    activate(page, page.get_by_role("link", name="Today", exact=True), keyboard=keyboard)
    activate(page, page.get_by_role("link", name="Now", exact=True), keyboard=keyboard)
    journey.step("publishing")
    activate(page, page.locator("input[name=_save]"), keyboard=keyboard)
    expect(page.locator(".messagelist .success")).to_be_visible()
    journey.step("article-published")

    article = Article.objects.get(title=TITLE)
    assert article in Article.objects.published()

    reader = page.context.browser.new_context().new_page()
    reader.goto(site)
    link = reader.get_by_role("link", name=TITLE).first
    expect(link).to_be_visible()
    journey.step("home-lists-it", reader)
    activate(reader, link, keyboard=keyboard)
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.get_by_role("img", name=COVER_ALT)).to_be_visible()
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
