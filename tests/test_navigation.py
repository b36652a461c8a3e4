"""The site header: the admin's navigation tags in order, search box, feed link, compact menu."""

import re

import pytest
from django.urls import reverse

from articles.models import Tag

from .factories import make_article, make_profile, make_tag

pytestmark = pytest.mark.django_db

HOME = reverse("articles:list")


def header_of(response):
    page = response.content.decode()
    return page[page.index('<header class="site-header"') : page.index("</header>")]


def test_header_lists_only_navigation_tags_in_their_order(client):
    make_tag("Zebra", show_in_navigation=True, navigation_order=1)
    make_tag("Alpha", show_in_navigation=True, navigation_order=2)
    make_tag("Beta", show_in_navigation=True, navigation_order=1)
    make_tag("Hidden")
    header = header_of(client.get(HOME))
    names = re.findall(r'<li><a href="/tags/[^"]+/">([^<]+)</a></li>', header)
    assert names == ["Beta", "Zebra", "Alpha"]
    assert f'href="{reverse("articles:tag", kwargs={"slug": "beta"})}"' in header
    assert "Hidden" not in header


def test_header_links_the_feed_and_archive_and_offers_the_compact_menu(client):
    header = header_of(client.get(HOME))
    assert f'href="{reverse("articles:feed")}"' in header
    assert f'href="{reverse("articles:archive")}"' in header
    # The menu button controls the navigation block; the script that unhides it is a static file.
    assert 'aria-controls="site-nav"' in header
    assert 'id="site-nav"' in header
    page = client.get(HOME).content.decode()
    assert '<script src="/static/js/navigation.js" defer></script>' in page


@pytest.mark.parametrize("page", ["home", "article", "author", "tag", "missing"])
def test_every_page_has_the_header(client, page):
    tag = make_tag("World", show_in_navigation=True)
    profile = make_profile()
    article = make_article(author=profile.user)
    article.tags.add(tag)
    url = {
        "home": HOME,
        "article": article.get_absolute_url(),
        "author": profile.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "missing": "/no/such/page/",
    }[page]
    response = client.get(url)
    assert re.search(r'href="/tags/world/"( aria-current="page")?>World</a>', header_of(response))


def test_current_topic_is_marked_in_the_header(client):
    tag = make_tag("World", show_in_navigation=True)
    header = header_of(client.get(tag.get_absolute_url()))
    assert '<a href="/tags/world/" aria-current="page">World</a>' in header


def test_header_costs_one_query_cold_and_none_warm_whatever_the_number_of_tags(
    client, django_assert_num_queries
):
    make_article()
    for n in range(12):
        make_tag(f"Topic {n}", show_in_navigation=True, navigation_order=n)
    with django_assert_num_queries(5) as cold:
        client.get(HOME)
    assert sum(bool(re.search(r"WHERE.*show_in_navigation", q["sql"])) for q in cold) == 1
    with django_assert_num_queries(2):
        # Not yet in the page cache: rendered, header warm, the count and "most read" remembered.
        client.get(HOME + "?page=1")


def test_editing_a_tag_in_the_admin_updates_the_header_at_once(admin_client, client):
    tag = make_tag("Science")
    assert "Science" not in header_of(client.get(HOME))  # now cached without it
    response = admin_client.post(
        reverse("admin:articles_tag_change", args=[tag.pk]),
        {
            "name": "Science",
            "slug": "science",
            "description": "",
            "show_in_navigation": "on",
            "navigation_order": "3",
        },
    )
    assert response.status_code == 302
    assert "Science" in header_of(client.get(HOME))
    Tag.objects.get(pk=tag.pk).delete()
    assert "Science" not in header_of(client.get(HOME))


def test_admin_changelist_edits_navigation_flags_in_place(admin_client):
    response = admin_client.get(reverse("admin:articles_tag_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].list_editable == ["show_in_navigation", "navigation_order"]


def test_header_search_box_sends_a_get_query_to_the_search_page(client):
    header = header_of(client.get(HOME))
    search = reverse("articles:search")
    assert f'role="search" aria-label="Search the site" method="get" action="{search}">' in header
    assert 'type="search" name="q"' in header
