"""Markdown that would crash or stall the renderer is refused with a clear message.

Bodies are bounded in size and in nesting depth before anything is rendered, and the parser itself
works in linear time, so hostile Markdown is a form error in the admin, a `SeedError` in
`load_seeds` and a `MarkupError` for any other caller — never a 500 or a stuck worker.
"""

import importlib
import sys

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import markup
from articles.models import Article

from .factories import make_article, make_user

DEEP_LIST = "- " * 1000 + "x"  # 2 KB: a RecursionError in python-markdown
NESTED_BRACKETS = "[" * 8000 + "]" * 8000  # 16 KB: 13 s in python-markdown (quadratic)
HOSTILE = {
    "deep list": DEEP_LIST,
    "deep quote": ">" * 1000 + " x",
    "deep quote lines": "\n".join(">" * depth + " x" for depth in range(1, 200)),
    "deep emphasis": "*a " * 500 + "x" + " a*" * 500,
    "ordered list": "1. " * 1000 + "x",
    "nested brackets": NESTED_BRACKETS,
    "unclosed brackets": "a [ " * 4000,
    "unclosed images": "![" * 4000,
    "unclosed link targets": "[x](a" * 3000,
    "unclosed reference links": "[x][" * 3000,
}
# Linear-time parsing: each construct repeated N times costs python-markdown time in N² (seconds to
# minutes at a few thousand repeats); here four times the repeats cost about four times the work.
SLOW_IN_PYTHON_MARKDOWN = {
    "tag openings": lambda n: "<a " * n,
    "repeated footnote": lambda n: "[^1]" * n + "\n\n[^1]: note",
    "bracket pairs": lambda n: "[x] " * n,
    "links": lambda n: "[x](y) " * n,
    "emphasis openings": lambda n: "*a " * n,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_too_deep_markdown_raises_markup_error_naming_the_limit(text):
    with pytest.raises(markup.MarkupError, match="nested too deeply"):
        markup.render_markdown(text)


def test_a_body_over_the_size_limit_raises_markup_error():
    with pytest.raises(markup.MarkupError, match="100,000 characters"):
        markup.render_markdown("word " * 20_001)


@pytest.mark.parametrize("build", SLOW_IN_PYTHON_MARKDOWN.values(), ids=SLOW_IN_PYTHON_MARKDOWN)
def test_pathological_inline_markup_renders_in_linear_time(build):
    # Measured in calls of the parser's functions (deterministic), not in seconds.
    small, large = _inner_calls(build(250)), _inner_calls(build(1000))
    assert large < 6 * small


def _inner_calls(text):
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        markup.render_markdown(text)
    finally:
        sys.setprofile(None)
    return calls


def test_nesting_up_to_the_limit_renders():
    nested = "\n".join("  " * level + "- item" for level in range(8))
    html = markup.render_markdown(nested)
    assert html.count("<ul>") == 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [DEEP_LIST, NESTED_BRACKETS, "word " * 20_001], ids=["deep", "brackets", "long"]
)
def test_the_admin_shows_hostile_markdown_as_a_form_error(client, body):
    client.force_login(make_user("editor", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Hostile",
            "slug": "hostile",
            "author": make_user("writer").pk,
            "body": body,
            "status": "draft",
            "comments_open": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "body" in errors
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_load_seeds_refuses_hostile_markdown_with_a_seed_error(tmp_path):
    (tmp_path / "deep.md").write_text(
        f"---\ntitle: Deep\nauthor: Ada Writer\npublished_at: 2024-01-01\n---\n{DEEP_LIST}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="deep.md: .*nested too deeply"):
        call_command("load_seeds", str(tmp_path))
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_rerendering_migration_keeps_the_old_html_of_a_body_over_the_limits():
    rerender_migration = importlib.import_module("articles.migrations.0004_rerender_body_headings")
    article = make_article(body="Fine for now.")
    Article.objects.filter(pk=article.pk).update(body=DEEP_LIST, body_html="<p>Old</p>")

    rerender_migration.rerender(apps, schema_editor=None)

    article.refresh_from_db()
    assert article.body_html == "<p>Old</p>"
