"""Article: what is public, how bodies are rendered and sanitized, derived facts, safe saves."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db


def test_published_means_published_status_and_publish_time_arrived():
    now = timezone.now()
    visible = make_article(published_at=now - datetime.timedelta(minutes=1))
    make_article(status=Article.Status.DRAFT, published_at=now - datetime.timedelta(days=1))
    make_article(published_at=now + datetime.timedelta(minutes=5))
    make_article(status=Article.Status.PUBLISHED, published_at=None)
    assert list(Article.objects.published()) == [visible]


def test_scheduled_article_appears_at_its_publish_time(time_machine):
    time_machine.move_to("2025-03-01 12:00:00Z", tick=False)
    scheduled = make_article(published_at=timezone.now() + datetime.timedelta(hours=2))
    assert not Article.objects.published().exists()
    time_machine.move_to("2025-03-01 14:00:00Z", tick=False)
    assert list(Article.objects.published()) == [scheduled]


def test_markdown_is_rendered_once_on_save():
    article = make_article(
        body="Some *emphasis* and a [link](https://example.com).\n\n- one\n- two"
    )
    assert "<em>emphasis</em>" in article.body_html
    assert '<a href="https://example.com" rel="noopener noreferrer">link</a>' in article.body_html
    assert "<li>one</li>" in article.body_html


def test_plain_paragraphs_become_paragraphs():
    article = make_article(body="First line.\n\nSecond line.\n\nThird line.")
    assert article.body_html == "<p>First line.</p>\n<p>Second line.</p>\n<p>Third line.</p>"


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "<iframe src='https://evil.example'></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_dangerous_markup_is_sanitized(payload):
    article = make_article(body=f"Hello\n\n{payload}")
    html = article.body_html.lower()
    # Refused markup may stay visible as text; it must never become a tag or an attribute.
    for dangerous in ("<script", " onerror=", 'href="javascript:', "<iframe", " style="):
        assert dangerous not in html


def test_reading_time_is_derived_from_the_body():
    assert make_article(body="word " * 10).reading_minutes == 1
    assert make_article(body="word " * 231).reading_minutes == 2
    assert make_article(body="word " * 2300).reading_minutes == 10


def test_summary_defaults_to_first_paragraph_and_respects_excerpt():
    article = make_article(body="Opening & paragraph.\n\nSecond.")
    assert article.summary == "Opening & paragraph."
    long_opening = " ".join(["word"] * 80)
    assert make_article(body=long_opening).summary.endswith("word…")
    assert make_article(body="Body.", excerpt="  Hand-written.  ").summary == "Hand-written."


def test_author_name_is_the_users_full_name_with_username_fallback():
    assert make_article(author=make_user(first_name="Abu", last_name="Aliyu")).author_name == (
        "Abu Aliyu"
    )
    nameless = make_user(username="editor", first_name="", last_name="")
    assert make_article(author=nameless).author_name == "editor"


def test_saving_a_stale_instance_never_overwrites_counters():
    """An editor's form holds the counts it read; saving it must not roll back newer counts."""
    article = make_article()
    stale = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(view_count=41, comment_count=3)
    stale.title = "Edited title"
    stale.save()
    article.refresh_from_db()
    assert (article.title, article.view_count, article.comment_count) == ("Edited title", 41, 3)


def test_str_and_absolute_url():
    article = make_article(title="Hello", slug="hello")
    assert str(article) == "Hello"
    assert article.get_absolute_url() == "/articles/hello/"
