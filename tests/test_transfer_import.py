"""import_blog on the real WordPress samples: every item checked against the file."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from articles.models import Article, AuthorProfile, Tag
from comments.models import Comment
from transfer.models import ImportedArticle, ImportedComment, Redirect

from .factories import make_user
from .transfer_helpers import (
    ATOM_SAMPLE,
    FROZEN_NOW,
    RSS_SAMPLE,
    WXR_SAMPLE,
    run_import,
    write,
    wxr,
    wxr_item,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


def tags_of(article):
    return sorted(article.tags.values_list("name", flat=True))


def everything():
    """A fingerprint of every table an import writes, to prove a run changed nothing."""
    return (
        list(Article.objects.order_by("pk").values()),
        list(Comment.objects.order_by("pk").values()),
        list(get_user_model().objects.order_by("pk").values()),
        list(AuthorProfile.objects.order_by("pk").values()),
        list(Tag.objects.order_by("pk").values()),
        list(Redirect.objects.order_by("pk").values_list("old_path", "article_id")),
        list(ImportedArticle.objects.order_by("pk").values_list("guid", "article_id")),
        list(ImportedComment.objects.order_by("pk").values_list("guid", "comment_id")),
    )


def test_wxr_sample_posts_statuses_dates_authors_and_tags_item_by_item():
    output = run_import(WXR_SAMPLE)
    by_slug = {a.slug: a for a in Article.objects.select_related("author")}
    assert sorted(by_slug) == [
        "china-and-russia-commemorate-korean-war-armistice-in-north-korea",
        "draft-pacific-fisheries-pact",
        "scheduled-election-preview",
        "seoul-and-tokyo-resume-shuttle-diplomacy",
        "trade-talks-stall-over-chip-exports",
    ]
    china = by_slug["china-and-russia-commemorate-korean-war-armistice-in-north-korea"]
    assert china.status == Article.Status.PUBLISHED
    assert china.published_at == datetime.datetime(2026, 11, 28, 12, 39, 41, tzinfo=UTC)
    assert china.author.username == "abualiyu"
    assert tags_of(china) == []  # WordPress's default "Uncategorized" carries no meaning
    assert china.body.startswith("In a significant development")
    assert "wp:paragraph" not in china.body and "<p>" not in china.body

    seoul = by_slug["seoul-and-tokyo-resume-shuttle-diplomacy"]
    assert (seoul.status, seoul.author.username) == (Article.Status.PUBLISHED, "mina.park")
    assert seoul.published_at == datetime.datetime(2023, 8, 2, 9, 15, tzinfo=UTC)
    assert seoul.excerpt == "Excerpt of Seoul and Tokyo Resume Shuttle Diplomacy"
    assert tags_of(seoul) == ["Diplomacy", "Japan", "Korea"]
    assert "## What changes" in seoul.body and "- Annual summits" in seoul.body
    assert "**regular visits**" in seoul.body and "> “A new chapter,”" in seoul.body

    trade = by_slug["trade-talks-stall-over-chip-exports"]
    assert tags_of(trade) == ["Diplomacy", "Trade"]
    assert "[the report](https://example.org/report)" in trade.body

    draft = by_slug["draft-pacific-fisheries-pact"]
    assert (draft.status, draft.published_at) == (Article.Status.DRAFT, None)
    assert draft.title == "Draft: Pacific Fisheries Pact"

    scheduled = by_slug["scheduled-election-preview"]
    assert scheduled.status == Article.Status.PUBLISHED
    assert scheduled.published_at == datetime.datetime(2031, 1, 5, 7, tzinfo=UTC)
    assert scheduled not in Article.objects.published()

    assert set(Article.objects.published()) == {china, seoul, trade}
    assert not Article.objects.filter(title="About").exists()
    assert "skipped About: a WordPress page, not a post" in output
    assert "status draft → draft: 1" in output
    assert "status future → scheduled (published at its future date): 1" in output
    assert "status publish → published: 3" in output
    assert "5 article(s), 6 comment(s), 2 author(s), 5 tag(s) and 8 redirect(s) created" in output


def test_wxr_authors_become_staff_without_password_with_profiles():
    run_import(WXR_SAMPLE)
    users = {u.username: u for u in get_user_model().objects.all()}
    assert sorted(users) == ["abualiyu", "mina.park"]  # their WordPress logins
    abu = users["abualiyu"]
    assert abu.is_staff and not abu.is_superuser and not abu.has_usable_password()
    assert (abu.first_name, abu.last_name, abu.email) == (
        "Abu",
        "Aliyu",
        "abu.aliyu@example.invalid",
    )
    assert abu.profile.display_name == "Abu Aliyu" and abu.profile.slug == "abu-aliyu"
    assert users["mina.park"].profile.display_name == "Mina Park"


def test_wxr_comments_keep_thread_and_moderation_state_and_no_ip():
    run_import(WXR_SAMPLE)
    for slug, day in [
        ("seoul-and-tokyo-resume-shuttle-diplomacy", 2),
        ("trade-talks-stall-over-chip-exports", 10),
    ]:
        article = Article.objects.get(slug=slug)
        ada, reply, pete = Comment.objects.filter(article=article).order_by("created_at")
        assert (ada.name, ada.status, ada.parent) == ("Ada Reader", "approved", None)
        assert ada.body == "Great piece.\n\nTwo paragraphs & an ampersand."
        assert ada.created_at == datetime.datetime(2023, 8, day, 18, tzinfo=UTC)
        assert (reply.name, reply.status, reply.parent) == ("Abu Aliyu", "approved", ada)
        assert (pete.name, pete.status, pete.parent) == ("Pending Pete", "pending", None)
        assert {c.reason for c in (ada, reply, pete)} == {Comment.Reason.IMPORTED}
        assert article.comment_count == 2  # the pending comment is not public
    stored = str(list(Comment.objects.values()))
    assert "203.0.113.9" not in stored and "198.51.100.7" not in stored


@pytest.mark.parametrize("sample", [RSS_SAMPLE, ATOM_SAMPLE], ids=["rss", "atom"])
def test_feed_samples_bring_published_posts_with_authors_and_categories(sample):
    output = run_import(sample)
    articles = {a.slug: a for a in Article.objects.select_related("author")}
    assert sorted(articles) == [
        "china-and-russia-commemorate-korean-war-armistice-in-north-korea",
        "seoul-and-tokyo-resume-shuttle-diplomacy",
        "trade-talks-stall-over-chip-exports",
    ]
    assert all(a.status == Article.Status.PUBLISHED for a in articles.values())
    seoul = articles["seoul-and-tokyo-resume-shuttle-diplomacy"]
    assert seoul.published_at == datetime.datetime(2023, 8, 2, 9, 15, tzinfo=UTC)
    assert seoul.author.username == "mina-park" and seoul.author.profile.display_name == "Mina Park"
    assert tags_of(seoul) == ["Diplomacy", "Japan", "Korea"]
    assert seoul.excerpt == "Excerpt of Seoul and Tokyo Resume Shuttle Diplomacy"
    assert "## What changes" in seoul.body
    china = articles["china-and-russia-commemorate-korean-war-armistice-in-north-korea"]
    assert china.excerpt == ""  # WordPress's own "[…]" cut is not an excerpt
    assert china.author.username == "abu-aliyu"
    assert "North Korea&#8217;s" not in china.body and "North Korea’s decision" in china.body
    assert "3 article(s), 0 comment(s), 2 author(s), 4 tag(s) and 4 redirect(s)" in output


@pytest.mark.parametrize("first, second", [(RSS_SAMPLE, WXR_SAMPLE), (WXR_SAMPLE, RSS_SAMPLE)])
def test_feed_and_full_export_of_one_site_merge_by_guid_and_author_name(first, second):
    """Feeds and WXR of one site share GUIDs and author names: no copies either way round."""
    run_import(first)
    output = run_import(second)
    assert Article.objects.count() == 5
    assert Comment.objects.count() == 6
    assert get_user_model().objects.count() == 2
    assert "already here, articles: 3" in output


def test_second_run_changes_nothing():
    run_import(WXR_SAMPLE)
    before = everything()
    output = run_import(WXR_SAMPLE)
    assert everything() == before
    assert "0 article(s), 0 comment(s), 0 author(s), 0 tag(s) and 0 redirect(s) created" in output
    assert "already here, articles: 5" in output and "already here, comments: 6" in output


@pytest.mark.parametrize("sample", [WXR_SAMPLE, RSS_SAMPLE, ATOM_SAMPLE])
def test_dry_run_reports_but_writes_nothing(sample):
    before = everything()
    output = run_import(sample, "--dry-run")
    assert everything() == before
    assert "Dry run, nothing written: would have" in output
    assert "article(s)" in output and "0 article(s)" not in output


def test_existing_seed_article_is_linked_not_copied():
    from django.core.management import call_command

    call_command("load_seeds", verbosity=0)
    seed = Article.objects.get()
    output = run_import(WXR_SAMPLE)
    seed.refresh_from_db()
    assert Article.objects.filter(title=seed.title).count() == 1
    assert seed.imported_from.guid == "http://127.0.0.1:8202/?p=4"
    assert seed.author.username == "abu-aliyu"  # the seed's author, found by name
    assert "already here as /china-and-russia" in output
    assert Redirect.objects.filter(old_path="/?p=4", article=seed).exists()


def test_a_bad_post_is_reported_and_skipped_while_the_others_import(tmp_path):
    source = write(
        tmp_path,
        "mixed.xml",
        wxr(
            wxr_item(post_id=1, slug="good-one", title="Good one"),
            wxr_item(post_id=2, slug="no-date", title="No date", date="0000-00-00 00:00:00"),
            wxr_item(post_id=3, slug="trashed", title="Trashed", status="trash"),
        ),
    )
    output = run_import(source)
    assert list(Article.objects.values_list("slug", flat=True)) == ["good-one"]
    assert "skipped No date: ValueError: a published post without a date" in output
    assert "skipped Trashed: status 'trash'" in output
    assert not Redirect.objects.filter(old_path__contains="no-date").exists()


def test_private_pending_and_password_protected_posts_never_become_public(tmp_path):
    password = "<wp:post_password><![CDATA[secret]]></wp:post_password>"
    source = write(
        tmp_path,
        "private.xml",
        wxr(
            wxr_item(post_id=1, slug="private-one", status="private"),
            wxr_item(post_id=2, slug="pending-one", status="pending"),
            wxr_item(post_id=3, slug="protected-one", extra=password),
        ),
    )
    output = run_import(source)
    statuses = dict(Article.objects.values_list("slug", "status"))
    assert statuses == {
        "private-one": Article.Status.DRAFT,
        "pending-one": Article.Status.REVIEW,
        "protected-one": Article.Status.DRAFT,
    }
    assert not Article.objects.published().exists()
    assert "status private → draft (was private): 1" in output
    assert "status pending → waiting for review: 1" in output
    assert "status publish → draft (was password-protected): 1" in output


def test_author_map_assigns_posts_to_existing_users(tmp_path):
    editor = make_user("chief-editor")
    mapping = write(tmp_path, "authors.json", '{"abualiyu": "chief-editor"}')
    run_import(WXR_SAMPLE, "--author-map", str(mapping))
    assert set(Article.objects.filter(author=editor).values_list("slug", flat=True)) == {
        "china-and-russia-commemorate-korean-war-armistice-in-north-korea",
        "trade-talks-stall-over-chip-exports",
        "scheduled-election-preview",
    }
    assert not get_user_model().objects.filter(username="abualiyu").exists()


def test_author_map_naming_a_missing_user_is_a_clear_error(tmp_path):
    mapping = write(tmp_path, "authors.json", '{"abualiyu": "nobody"}')
    with pytest.raises(CommandError, match="no such user"):
        run_import(WXR_SAMPLE, "--author-map", str(mapping))
    assert not Article.objects.exists()


def test_missing_source_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_import(tmp_path / "nope.xml")


def test_progress_bar_counts_the_posts_of_the_file():
    from io import StringIO

    from transfer.importer import import_blog

    bar = StringIO()
    import_blog(WXR_SAMPLE, dry_run=True, progress=bar)
    assert "6/6" in bar.getvalue() and "post" in bar.getvalue()


def test_non_ascii_slugs_and_tags_get_ascii_addresses_and_pingbacks_are_left_out(tmp_path):
    terms = (
        '<category domain="post_tag" nicename="%ec%84%9c%ec%9a%b8"><![CDATA[서울]]></category>'
        "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author><![CDATA[Blog]]>"
        "</wp:comment_author><wp:comment_content><![CDATA[Linked you]]></wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved>"
        "<wp:comment_type><![CDATA[pingback]]></wp:comment_type></wp:comment>"
    )
    item = wxr_item(post_id=77, slug="%ec%84%9c%ec%9a%b8", title="서울", extra=terms)
    output = run_import(write(tmp_path, "korean.xml", wxr(item)))
    article = Article.objects.get()
    assert article.slug == "post-77"
    [tag] = article.tags.all()
    assert tag.name == "서울" and tag.slug.startswith("tag-") and tag.slug.isascii()
    assert not Comment.objects.exists()
    assert "skipped 서울: 1 pingback(s): pingbacks and trackbacks are not comments" in output


def test_report_lists_the_redirects_it_created():
    output = run_import(WXR_SAMPLE)
    assert "redirect /?p=5 → /articles/seoul-and-tokyo-resume-shuttle-diplomacy/" in output
    assert "redirect /?p=7 → /articles/draft-pacific-fisheries-pact/" in output
