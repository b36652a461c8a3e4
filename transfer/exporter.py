"""Everything out, in two formats, so leaving Newsroom is one command too.

- `markdown`: a zip in the seeds/ format — `articles/*.md` (Markdown with the YAML header that
  `load_seeds` reads), `authors.json`, `tags.json`, `comments.json`, `articles.json` (what the seed
  header has no key for: cover image, comments open) and `media/` (every file the articles use).
  `import_blog` reads the whole zip back; `load_seeds` reads the zip's articles.
- `wxr`: WordPress eXtended RSS 1.2, the shape of WordPress's own export (see tests/samples), with
  the rendered, sanitised HTML as content, so WordPress's importer takes it.

Both stream: articles are read with `.iterator()` and written one at a time. Commenters' email
addresses are included (the export is the site owner's backup); IP addresses were never stored.
"""

import datetime
import json
import re
import zipfile
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils import timezone

from articles.models import Article, Tag, person_name
from articles.site import absolute_url
from comments.models import Comment

MARKDOWN, WXR = "markdown", "wxr"
FORMATS = (MARKDOWN, WXR)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
WXR_COMMENT_STATUS = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.REMOVED: "trash",
}


def export_blog(out: Path, *, export_format: str) -> int:
    """Write every article to `out`; returns how many were written."""
    writer = {MARKDOWN: _write_markdown_zip, WXR: _write_wxr}[export_format]
    return writer(out)


def _articles():
    return (
        Article.objects.select_related("author__profile", "imported_from")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("published_at", "pk")
    )


def guid_of(article: Article) -> str:
    """The article's identity across moves: the source GUID it came with, or its own address.

    Reads `imported_from`, which `_articles()` selects with the article.
    """
    try:
        return article.imported_from.guid
    except ObjectDoesNotExist:
        return absolute_url(article.get_absolute_url())


def author_name(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile and profile.display_name) or person_name(user)


# Markdown zip ---------------------------------------------------------------------------------


def _media_reference() -> re.Pattern:
    """Uploads a body points at, by their storage name (built per export: MEDIA_URL may change)."""
    return re.compile(
        r"(?<![\w/])/?" + re.escape(settings.MEDIA_URL.strip("/")) + r"/([^\s)\"'>]+)"
    )


def _write_markdown_zip(out: Path) -> int:
    count, author_ids, media_names, extras = 0, set(), set(), {}
    media_reference = _media_reference()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for article in _articles().iterator(chunk_size=200):
            archive.writestr(f"articles/{_file_name(article)}", _seed_text(article))
            author_ids.add(article.author_id)
            media_names.update(media_reference.findall(article.body))
            if article.cover_image:
                media_names.add(article.cover_image.name)
            extras[article.slug] = {
                "cover_image": article.cover_image.name,
                "cover_alt": article.cover_alt,
                "comments_open": article.comments_open,
            }
            count += 1
        archive.writestr("authors.json", _json([_author_record(u) for u in _users(author_ids)]))
        archive.writestr(
            "tags.json", _json(list(Tag.objects.order_by("name").values("name", "slug")))
        )
        archive.writestr("comments.json", _json(list(_comment_records())))
        archive.writestr("articles.json", _json(extras))
        for name in sorted(media_names):
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as media_file:
                    archive.writestr(f"media/{name}", media_file.read())
    return count


def _file_name(article: Article) -> str:
    prefix = article.published_at.strftime("%Y-%m-%d") if article.published_at else "draft"
    return f"{prefix}-{article.slug}.md"


def _seed_text(article: Article) -> str:
    header = {
        "title": article.title,
        "slug": article.slug,
        "author": author_name(article.author),
        "status": article.status,
    }
    if article.published_at:
        header["published_at"] = article.published_at.astimezone(datetime.UTC).isoformat()
    if article.excerpt:
        header["excerpt"] = article.excerpt
    header["tags"] = [tag.name for tag in article.tags.all()]
    header["views"] = article.view_count
    header["source"] = guid_of(article)
    front = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{article.body.strip()}\n"


def _users(ids):
    return get_user_model().objects.filter(pk__in=ids).select_related("profile").order_by("pk")


def _author_record(user) -> dict:
    profile = getattr(user, "profile", None)
    return {
        "username": user.get_username(),
        "display_name": author_name(user),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "bio": profile.bio if profile else "",
        "website": profile.website if profile else "",
    }


def _comment_records():
    comments = Comment.objects.select_related("article").order_by("pk").iterator(chunk_size=500)
    for comment in comments:
        yield {
            "id": comment.pk,
            "article": comment.article.slug,
            "parent": comment.parent_id,
            "name": comment.name,
            "email": comment.email,
            "body": comment.body,
            "status": comment.status,
            "created_at": comment.created_at.isoformat(),
        }


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


# WXR -----------------------------------------------------------------------------------------


def _cdata(value: str) -> str:
    value = _INVALID_XML.sub("", value or "")
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _wp_date(moment, *, gmt: bool) -> str:
    if moment is None:
        return "0000-00-00 00:00:00"
    moment = moment.astimezone(datetime.UTC) if gmt else timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _wxr_status(article: Article) -> str:
    if article.status == Article.Status.REVIEW:
        return "pending"
    if article.status != Article.Status.PUBLISHED:
        return "draft"
    return "publish" if article.is_published else "future"


def _write_wxr(out: Path) -> int:
    count = 0
    site = absolute_url("/").rstrip("/")
    with out.open("w", encoding="utf-8") as xml:
        xml.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            f'<!-- generator="Newsroom" created="{timezone.now():%Y-%m-%d %H:%M}" -->\n'
            '<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
            f"\t<title>{escape(settings.SITE_NAME)}</title>\n\t<link>{escape(site)}</link>\n"
            f"\t<description>{escape(settings.SITE_TAGLINE)}</description>\n"
            f"\t<pubDate>{format_datetime(timezone.now())}</pubDate>\n"
            "\t<language>en-US</language>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{escape(site)}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{escape(site)}</wp:base_blog_url>\n"
        )
        author_ids = Article.objects.values_list("author_id", flat=True).distinct()
        for user in _users(set(author_ids)):
            xml.write(
                f"\t<wp:author><wp:author_id>{user.pk}</wp:author_id>"
                f"<wp:author_login>{_cdata(user.get_username())}</wp:author_login>"
                f"<wp:author_email>{_cdata(user.email)}</wp:author_email>"
                f"<wp:author_display_name>{_cdata(author_name(user))}</wp:author_display_name>"
                f"<wp:author_first_name>{_cdata(user.first_name)}</wp:author_first_name>"
                f"<wp:author_last_name>{_cdata(user.last_name)}</wp:author_last_name>"
                "</wp:author>\n"
            )
        for tag in Tag.objects.order_by("name"):
            xml.write(
                f"\t<wp:tag><wp:term_id>{tag.pk}</wp:term_id>"
                f"<wp:tag_slug>{_cdata(tag.slug)}</wp:tag_slug>"
                f"<wp:tag_name>{_cdata(tag.name)}</wp:tag_name></wp:tag>\n"
            )
        xml.write("\t<generator>Newsroom</generator>\n")
        for article in _articles().prefetch_related("comments").iterator(chunk_size=200):
            xml.write(_wxr_item(article))
            count += 1
        xml.write("</channel>\n</rss>\n")
    return count


def _wxr_item(article: Article) -> str:
    link = absolute_url(article.get_absolute_url())
    published = article.published_at or article.created_at
    parts = [
        "\t<item>\n",
        f"\t\t<title>{_cdata(article.title)}</title>\n",
        f"\t\t<link>{escape(link)}</link>\n",
        f"\t\t<pubDate>{format_datetime(published) if article.published_at else ''}</pubDate>\n",
        f"\t\t<dc:creator>{_cdata(article.author.get_username())}</dc:creator>\n",
        f'\t\t<guid isPermaLink="false">{escape(guid_of(article))}</guid>\n',
        "\t\t<description></description>\n",
        f"\t\t<content:encoded>{_cdata(article.body_html)}</content:encoded>\n",
        f"\t\t<excerpt:encoded>{_cdata(article.excerpt)}</excerpt:encoded>\n",
        f"\t\t<wp:post_id>{article.pk}</wp:post_id>\n",
        f"\t\t<wp:post_date>{_cdata(_wp_date(published, gmt=False))}</wp:post_date>\n",
        f"\t\t<wp:post_date_gmt>{_cdata(_wp_date(article.published_at, gmt=True))}"
        "</wp:post_date_gmt>\n",
        f"\t\t<wp:post_modified>{_cdata(_wp_date(article.updated_at, gmt=False))}"
        "</wp:post_modified>\n",
        f"\t\t<wp:post_modified_gmt>{_cdata(_wp_date(article.updated_at, gmt=True))}"
        "</wp:post_modified_gmt>\n",
        f"\t\t<wp:comment_status>{_cdata('open' if article.comments_open else 'closed')}"
        "</wp:comment_status>\n",
        f"\t\t<wp:ping_status>{_cdata('closed')}</wp:ping_status>\n",
        f"\t\t<wp:post_name>{_cdata(article.slug)}</wp:post_name>\n",
        f"\t\t<wp:status>{_cdata(_wxr_status(article))}</wp:status>\n",
        "\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n",
        f"\t\t<wp:post_type>{_cdata('post')}</wp:post_type>\n",
        f"\t\t<wp:post_password>{_cdata('')}</wp:post_password>\n",
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n",
    ]
    parts += [
        f'\t\t<category domain="post_tag" nicename={quoteattr(tag.slug)}>{_cdata(tag.name)}'
        "</category>\n"
        for tag in article.tags.all()
    ]
    parts += [_wxr_comment(comment) for comment in article.comments.all()]
    parts.append("\t</item>\n")
    return "".join(parts)


def _wxr_comment(comment: Comment) -> str:
    return (
        "\t\t<wp:comment>\n"
        f"\t\t\t<wp:comment_id>{comment.pk}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author>{_cdata(comment.name)}</wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email>{_cdata(comment.email)}</wp:comment_author_email>\n"
        "\t\t\t<wp:comment_author_url></wp:comment_author_url>\n"
        f"\t\t\t<wp:comment_author_IP>{_cdata('')}</wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date>{_cdata(_wp_date(comment.created_at, gmt=False))}"
        "</wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt>{_cdata(_wp_date(comment.created_at, gmt=True))}"
        "</wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content>{_cdata(comment.body)}</wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved>{_cdata(WXR_COMMENT_STATUS[comment.status])}"
        "</wp:comment_approved>\n"
        f"\t\t\t<wp:comment_type>{_cdata('comment')}</wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{comment.parent_id or 0}</wp:comment_parent>\n"
        "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
        "\t\t</wp:comment>\n"
    )
