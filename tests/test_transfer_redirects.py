"""Old links answer 301 to the imported article; pages that are not 404s never look them up."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from transfer.models import Redirect

from .factories import make_article
from .transfer_helpers import FROZEN_NOW, WXR_SAMPLE, run_import

pytestmark = pytest.mark.django_db
SEOUL = "seoul-and-tokyo-resume-shuttle-diplomacy"


@pytest.fixture(autouse=True)
def _imported_sample():
    with time_machine.travel(FROZEN_NOW, tick=False):
        run_import(WXR_SAMPLE, "-v0")
        yield


@pytest.mark.parametrize(
    ("old", "slug"),
    [
        (f"/{SEOUL}/", SEOUL),
        (f"/{SEOUL}", SEOUL),  # without the trailing slash WordPress adds
        ("/?p=5", SEOUL),
        ("/?p=6", "trade-talks-stall-over-chip-exports"),
        ("/?p=4", "china-and-russia-commemorate-korean-war-armistice-in-north-korea"),
        ("/china-and-russia-commemorate-korean-war-armistice-in-north-korea/", None),
    ],
)
def test_old_links_redirect_permanently_to_the_new_article(client, old, slug):
    slug = slug or "china-and-russia-commemorate-korean-war-armistice-in-north-korea"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == reverse("articles:detail", kwargs={"slug": slug})
    assert client.get(response["Location"]).status_code == 200


def test_redirect_follows_a_later_slug_change(client):
    Article.objects.filter(slug=SEOUL).update(slug="seoul-tokyo")
    assert client.get("/?p=5")["Location"] == "/articles/seoul-tokyo/"


@pytest.mark.parametrize("old", ["/?p=7", "/?p=8"], ids=["draft", "scheduled"])
def test_old_links_of_unpublished_posts_do_not_reveal_them(client, old):
    assert Redirect.objects.filter(old_path=old).exists()
    response = client.get(old)
    assert response.status_code == 200  # the home page, as for any unknown ?p=
    assert "Location" not in response


def test_unknown_old_path_stays_a_404(client):
    assert client.get("/2019/01/01/never-existed/").status_code == 404


def test_pages_that_are_not_404s_never_query_redirects(client):
    article = make_article(slug="plain-article")
    for url in [reverse("articles:list"), article.get_absolute_url(), "/?page=1"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q for q in queries if "transfer_redirect" in q["sql"]], url


def test_a_404_costs_exactly_one_redirect_lookup(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/no/such/page/").status_code == 404
    assert len([q for q in queries if "transfer_redirect" in q["sql"]]) == 1


def test_date_based_and_non_ascii_permalinks_redirect(client, tmp_path):
    from .transfer_helpers import write, wxr, wxr_item

    item = wxr_item(post_id=40, slug="seoul-memo", title="Seoul memo").replace(
        "https://old.example/seoul-memo/",
        "https://old.example/2023/08/02/%ec%84%9c%ec%9a%b8-memo/",
    )
    with time_machine.travel(FROZEN_NOW, tick=False):
        run_import(write(tmp_path, "dated.xml", wxr(item)), "-v0")
        response = client.get("/2023/08/02/서울-memo/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/seoul-memo/"


WIX_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>My Wix blog</title><link>https://me.wixsite.com</link>
<item>
  <title><![CDATA[A hosted post]]></title>
  <link>https://me.wixsite.com/post/a-hosted-post</link>
  <guid isPermaLink="false">63f1c0ffee</guid>
  <pubDate>Tue, 25 Jul 2023 09:00:00 GMT</pubDate>
  <description><![CDATA[<p>Only a summary here.</p>]]></description>
</item>
</channel></rss>"""


def test_hosted_blog_feed_without_authors_imports_and_its_post_links_redirect(client, tmp_path):
    from .transfer_helpers import write

    run_import(write(tmp_path, "blog-feed.xml", WIX_FEED), "-v0")
    article = Article.objects.get(slug="a-hosted-post")
    assert article.body == "Only a summary here."
    assert article.author.profile.display_name == "Imported author"
    assert not article.author.has_usable_password()
    response = client.get("/post/a-hosted-post")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
