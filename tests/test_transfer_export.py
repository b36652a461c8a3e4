"""export_blog: the Markdown zip and WXR, read back by import_blog (and load_seeds) unchanged."""

import datetime
import io
import zipfile
from io import StringIO
from xml.etree import ElementTree

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from articles import markup
from articles.models import Article, AuthorProfile, Tag
from comments.models import Comment
from transfer.models import ImportedArticle, ImportedComment, Redirect

from .factories import make_article, make_profile, make_user
from .transfer_helpers import FROZEN_NOW, WXR_SAMPLE, run_import

pytestmark = pytest.mark.django_db
WP = "{http://wordpress.org/export/1.2/}"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


@pytest.fixture
def blog():
    """The WordPress sample plus native content: a bio, an image, a cover, spam and removed."""
    run_import(WXR_SAMPLE, "-v0")
    writer = make_user("ada", first_name="Ada", last_name="Lovelace", email="ada@news.example")
    make_profile(writer, display_name="Ada Lovelace", bio="Writes about engines.")
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    photo = default_storage.save("uploads/engine.png", ContentFile(buffer.getvalue()))
    article = make_article(
        slug="analytical-engine",
        title="The Analytical Engine",
        author=writer,
        body=f"Notes.\n\n![Engine](/media/{photo})\n\n*Emphasis* and a [link](https://x.example).",
        excerpt="On engines.",
        published_at=datetime.datetime(2024, 3, 1, 8, tzinfo=datetime.UTC),
        comments_open=False,
    )
    article.cover_image.save("cover.png", ContentFile(buffer.getvalue()))
    article.cover_alt = "A red square"
    article.save()
    article.tags.add(Tag.objects.create(name="Engines", slug="engines"))
    Article.objects.filter(pk=article.pk).update(view_count=42)
    first = Comment.objects.create(
        article=article,
        name="Sam",
        email="sam@x.example",
        body="Spam!",
        status="spam",
        reason="trusted",
    )
    Comment.objects.create(
        article=article,
        parent=first,
        name="Kim",
        email="k@x.example",
        body="Gone",
        status="removed",
        reason="withdrawn",
    )
    make_article(slug="unfinished", author=writer, status=Article.Status.DRAFT, published_at=None)
    make_article(slug="in-review", author=writer, status=Article.Status.REVIEW, published_at=None)
    return article


def snapshot(*, body_as_text=False, with_bios=True):
    articles = {
        a.slug: (
            a.title,
            markup.plain_text(a.body_html) if body_as_text else a.body,
            a.excerpt,
            a.status,
            a.published_at,
            a.author.username,
            sorted(a.tags.values_list("name", "slug")),
            a.comment_count,
            a.comments_open,
        )
        for a in Article.objects.select_related("author")
    }
    authors = sorted(
        (p.user.username, p.display_name, p.user.first_name, p.user.last_name)
        + ((p.bio,) if with_bios else ())
        for p in AuthorProfile.objects.select_related("user")
    )
    comments = sorted(
        (
            c.article.slug,
            c.name,
            c.email,
            c.body,
            c.status,
            c.created_at,
            c.parent and c.parent.name,
        )
        for c in Comment.objects.select_related("article", "parent")
    )
    return articles, authors, comments


def empty_the_database():
    for model in (Redirect, ImportedComment, ImportedArticle, Comment, Article, Tag):
        model.objects.all().delete()
    AuthorProfile.objects.all().delete()
    get_user_model().objects.all().delete()


def export(tmp_path, export_format="markdown"):
    out = tmp_path / f"export.{'zip' if export_format == 'markdown' else 'xml'}"
    call_command("export_blog", str(out), "--format", export_format, stdout=StringIO())
    return out


def test_markdown_zip_round_trip_gives_the_same_blog(tmp_path, blog):
    before = snapshot()
    out = export(tmp_path)
    default_storage.delete("uploads/engine.png")
    default_storage.delete(blog.cover_image.name)
    empty_the_database()
    run_import(out, "-v0")
    assert snapshot() == before
    restored = Article.objects.get(slug="analytical-engine")
    assert restored.view_count == 42 and restored.cover_alt == "A red square"
    assert default_storage.exists("uploads/engine.png")
    assert default_storage.exists(restored.cover_image.name)
    assert not get_user_model().objects.get(username="ada").has_usable_password()


def test_wxr_round_trip_gives_the_same_articles_authors_tags_comments_and_statuses(tmp_path, blog):
    before = snapshot(body_as_text=True, with_bios=False)  # WXR has no field for a bio
    out = export(tmp_path, "wxr")
    empty_the_database()
    run_import(out, "-v0")
    assert snapshot(body_as_text=True, with_bios=False) == before


def test_importing_our_own_export_again_changes_nothing(tmp_path, blog):
    before = snapshot()
    for export_format in ("markdown", "wxr"):
        output = run_import(export(tmp_path, export_format))
        assert "0 article(s), 0 comment(s), 0 author(s), 0 tag(s)" in output
    assert snapshot() == before


def test_load_seeds_reads_the_zips_articles(tmp_path, blog):
    out = export(tmp_path)
    expected = {a.slug: (a.title, a.body, a.status, a.published_at) for a in Article.objects.all()}
    empty_the_database()
    call_command("load_seeds", str(out), stdout=StringIO())
    assert {
        a.slug: (a.title, a.body, a.status, a.published_at) for a in Article.objects.all()
    } == expected


def _shape(root):
    """Element names used under channel, item, comment and author: the WXR structure."""
    channel = root.find("channel")
    items = channel.findall("item")
    return {
        "channel": {child.tag for child in channel},
        "item": {child.tag for item in items for child in item},
        "comment": {c.tag for item in items for com in item.findall(f"{WP}comment") for c in com},
        "author": {c.tag for a in channel.findall(f"{WP}author") for c in a},
    }


def test_wxr_export_has_the_structure_of_wordpress_own_export(tmp_path, blog):
    exported = _shape(ElementTree.parse(export(tmp_path, "wxr")).getroot())
    sample = _shape(ElementTree.parse(WXR_SAMPLE).getroot())
    for part in ("channel", "item", "comment", "author"):
        assert exported[part] <= sample[part], part
    required_item = {"title", "link", "guid", f"{WP}post_id", f"{WP}post_date_gmt", f"{WP}status"}
    assert required_item | {f"{WP}post_name", f"{WP}post_type"} <= exported["item"]
    assert f"{WP}wxr_version" in exported["channel"]
    assert exported["comment"] == sample["comment"]
    assert exported["author"] == sample["author"]


def test_export_zip_layout(tmp_path, blog):
    with zipfile.ZipFile(export(tmp_path)) as archive:
        names = set(archive.namelist())
        text = archive.read("articles/2024-03-01-analytical-engine.md").decode()
    assert {"authors.json", "tags.json", "comments.json", "articles.json"} <= names
    assert "articles/draft-unfinished.md" in names
    assert "media/uploads/engine.png" in names
    assert text.startswith("---\ntitle: The Analytical Engine\n")
    assert "author: Ada Lovelace" in text and "views: 42" in text


def test_export_to_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="existing folder"):
        call_command("export_blog", str(tmp_path / "nope" / "out.zip"))
