"""`generate_content` fills a realistic corpus for benchmarks, deterministically per seed."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Q, Sum

from articles.models import Article, AuthorProfile
from comments.models import Comment

pytestmark = pytest.mark.django_db


def generate(**options):
    call_command("generate_content", verbosity=0, **options)


def test_a_small_corpus_is_consistent():
    generate(articles=60, comments=700, authors=4, seed=3)
    assert Article.objects.count() == 60
    assert AuthorProfile.objects.count() == 4
    assert Comment.objects.count() == 700
    assert Article.objects.published().count() < 60, "drafts and scheduled articles are included"
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert all(reply.parent.parent_id is None for reply in Comment.objects.exclude(parent=None))
    for article in Article.objects.annotate(
        public=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED))
    ):
        assert article.comment_count == article.public
        assert article.body_html.startswith("<") and article.word_count > 0
    busiest = Article.objects.order_by("-comment_count").first()
    assert busiest.comment_count >= 400


def test_view_totals_equal_their_day_rows():
    generate(articles=40, comments=0, authors=2, seed=5)
    for article in Article.objects.annotate(day_total=Sum("daily_views__views")):
        assert article.view_count == (article.day_total or 0)


def test_the_same_seed_gives_the_same_content():
    generate(articles=10, comments=20, authors=2, seed=9)
    first = sorted(Article.objects.values_list("title", "word_count"))
    Article.objects.all().delete()
    get_user_model().objects.all().delete()
    generate(articles=10, comments=20, authors=2, seed=9)
    assert sorted(Article.objects.values_list("title", "word_count")) == first


def test_bad_sizes_are_refused_with_a_message():
    with pytest.raises(CommandError, match="at least 1"):
        generate(articles=0)


def test_a_seed_already_used_is_refused_with_a_message():
    generate(articles=2, comments=0, authors=1, seed=4)
    with pytest.raises(CommandError, match="exists already"):
        generate(articles=2, comments=0, authors=1, seed=4)
