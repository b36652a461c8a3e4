"""Whole-table numbers are remembered until content changes, and never outlive a change."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import aggregates, counters
from articles.models import Tag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_list_counts_pages_once_per_content_change(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    settings.PAGE_CACHE_ENABLED = False
    make_article(), make_article()
    client.get(reverse("articles:list"))
    assert client.get(reverse("articles:list") + "?page=2").status_code == 404
    make_article()  # a third article makes a second page at once
    assert client.get(reverse("articles:list") + "?page=2").status_code == 200


def test_the_archive_shows_a_new_month_at_once(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    make_article(published_at=timezone.now() - timedelta(days=400))
    before = aggregates.archive_months()
    make_article(published_at=timezone.now() - timedelta(days=1))
    assert len(aggregates.archive_months()) == len(before) + 1


def test_most_read_follows_views_within_page_cache_seconds(settings):
    settings.PAGE_CACHE_SECONDS = 60
    quiet, popular = make_article(), make_article()
    since = timezone.localdate() - timedelta(days=6)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        counters.add_views({(quiet.pk, timezone.localdate()): 1})
        assert aggregates.most_read_since(since, 5)[0].pk == quiet.pk
        counters.add_views({(popular.pk, timezone.localdate()): 5})
        assert aggregates.most_read_since(since, 5)[0].pk == quiet.pk, "remembered"
        traveller.shift(timedelta(seconds=61))
        assert aggregates.most_read_since(since, 5)[0].pk == popular.pk


def test_each_list_remembers_its_own_count(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    settings.PAGE_CACHE_ENABLED = False
    tagged = make_article()
    tag = Tag.objects.create(name="Harbour", slug="harbour")
    tagged.tags.add(tag)
    make_article()
    assert client.get(reverse("articles:list") + "?page=2").status_code == 200
    assert client.get(reverse("articles:tag", args=["harbour"]) + "?page=2").status_code == 404
