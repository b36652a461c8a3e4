"""Real-browser journeys (`make e2e`): Playwright drives Debian's chromium against pytest-django's
live server (a fresh database per test: `transaction=True`, and `serialized_rollback` brings back
the rows migrations made, such as the Moderators group). Each step is screenshotted under
build/e2e/ (`--screenshots-dir`), axe-core (from npm, see package.json) checks the pages, and the
journeys are also walked with the keyboard alone."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Playwright's sync API keeps an event loop in the test thread; the test's own ORM calls are still
# plain synchronous code, so Django's async-safety guard would be a false alarm here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct-horse-battery-staple"
SEED_TITLE = "China and Russia Commemorate Korean War Armistice in North Korea"
SEED_SLUG = "china-and-russia-commemorate-korean-war-armistice-in-north-korea"


def pytest_addoption(parser):
    parser.addoption("--screenshots-dir", default="build/e2e", help="where step screenshots go")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright's own browser download does not work here: use the Debian package."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The live server shares this process's cache: rate limits and counted visitors must not
    carry over from one journey to the next."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def site(live_server, settings):
    """The seeded site on a live server, with the comment form's minimum fill-in time lifted (a
    browser robot types faster than the anti-spam rule allows a human to)."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    call_command("load_seeds", verbosity=0)
    return live_server.url


def has_route(name):
    """Whether a URL exists yet (the search and tag pages are built by other issues)."""
    try:
        reverse(name, kwargs={"slug": "x"} if name.endswith("tag") else None)
    except NoReverseMatch:
        return False
    return True


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "moderator", "moderator@example.com", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def author(django_user_model):
    """A member of the Authors group (articles/roles.py): writes and publishes their own work."""
    user = django_user_model.objects.create_user(
        "author",
        "author@example.com",
        PASSWORD,
        is_staff=True,
        first_name="Ada",
        last_name="Okafor",
    )
    user.groups.add(Group.objects.get(name="Authors"))
    return user


class Journey:
    """Screenshots numbered in order under <screenshots-dir>/<test name>/, plus the page checks."""

    def __init__(self, page, folder):
        self.page = page
        self.folder = folder
        self.steps = 0
        folder.mkdir(parents=True, exist_ok=True)

    def step(self, name, page=None):
        """Record the step. A screenshot is evidence, not a check: if headless Chromium stalls on
        a full-page capture (seen once in CI, after fonts had loaded), keep the visible part."""
        self.steps += 1
        page = page or self.page
        path = self.folder / f"{self.steps:02d}-{name}.png"
        try:
            page.screenshot(path=path, full_page=True, timeout=15_000)
        except PlaywrightTimeoutError:
            page.screenshot(path=path)


@pytest.fixture
def journey(page, request):
    folder = Path(request.config.getoption("--screenshots-dir")) / re.sub(
        r"\W+", "-", request.node.name
    ).strip("-")
    return Journey(page, folder)


SERIOUS = ("serious", "critical")

# Findings inside Django's own admin widgets on the article form, left to upstream: select2 (the
# tags autocomplete) has an unlabelled search box and puts its chips in a <ul> with other children;
# the split date/time inputs of the publish date are labelled only by their fieldset's legend.
# Listed by rule and element (allowed, not required): anything else fails.
DJANGO_WIDGET_FINDINGS = {
    ("list", ".select2-selection__rendered"),
    ("label", ".select2-search__field"),
    ("label", "#id_published_at_0"),
    ("label", "#id_published_at_1"),
}


def axe_violations(page, *, known=frozenset()):
    """Serious and critical axe-core findings on the current page, as (rule, element) pairs, less
    the `known` ones."""
    # Evaluated through the browser's debugging protocol, which the site's CSP (no inline scripts)
    # rightly does not allow a <script> tag to do.
    page.evaluate(AXE.read_text())
    results = page.evaluate("async () => await axe.run(document)")
    return sorted(
        (violation["id"], node["target"][0])
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
        for node in violation["nodes"]
        if (violation["id"], node["target"][0]) not in known
    )


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the viewport (0 = no horizontal scroll)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def tab_to(page, locator, *, limit=300):
    """Press Tab until `locator` has the focus, as a keyboard user would; fail if it never does."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", target):
            return
    raise AssertionError(f"{locator} is not reachable with the Tab key")


def log_in(page, base, user, *, keyboard=False):
    page.goto(f"{base}/admin/login/")
    if keyboard:
        tab_to(page, page.locator("#id_username"))
        page.keyboard.type(user.username)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
    else:
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
