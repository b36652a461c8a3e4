"""The article page keeps one <h1>: body headings start one level down, old HTML is re-rendered."""

import importlib
import re

import pytest
from django.apps import apps

from articles.markup import render_markdown
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

rerender_migration = importlib.import_module("articles.migrations.0004_rerender_body_headings")


def test_markdown_headings_shift_one_level_down():
    html = render_markdown("# Top\n\n## Section\n\n### Sub\n\n###### Deepest\n\nText")
    assert re.findall(r"<(h\d)>", html) == ["h2", "h3", "h4", "h6"]


def test_raw_h1_in_a_body_is_reduced_to_text():
    html = render_markdown("<h1>Shouting</h1>\n\nText")
    assert "<h1" not in html
    assert "Shouting" in html


def test_body_headings_carry_no_ids_that_could_clash_with_the_page():
    assert render_markdown("# Comments") == "<h2>Comments</h2>"


def test_article_page_has_exactly_one_h1(client):
    article = make_article(body="# A heading in the body\n\nText\n\n## Another")
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert "<h2>A heading in the body</h2>" in html
    assert "<h3>Another</h3>" in html


def test_migration_rerenders_html_stored_by_the_old_rules():
    article = make_article(body="# Old heading\n\nText")
    Article.objects.filter(pk=article.pk).update(body_html="<h1>Old heading</h1><p>Text</p>")

    rerender_migration.rerender(apps, schema_editor=None)

    article.refresh_from_db()
    assert article.body_html.startswith("<h2>Old heading</h2>")
