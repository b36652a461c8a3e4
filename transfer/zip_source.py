"""Our own Markdown zip (written by `transfer.exporter`): articles/*.md in the seeds/ format,
authors.json, comments.json, articles.json and media/."""

import datetime
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import frontmatter
import yaml
from django.utils.translation import gettext as _

from .records import (
    ZIP,
    Source,
    SourceAuthor,
    SourceComment,
    SourceError,
    SourcePost,
    UnreadableItem,
)

# Our statuses in WordPress's words, which the importer maps back.
ZIP_STATUS = {"published": "publish", "review": "pending", "draft": "draft"}


def open_zip(path: Path) -> Source:
    try:
        archive = zipfile.ZipFile(path)
        names = set(archive.namelist())
        members = {
            name: json.loads(archive.read(f"{name}.json")) if f"{name}.json" in names else empty
            for name, empty in (("authors", []), ("comments", []), ("articles", {}))
        }
        authors = {
            a["username"]: SourceAuthor(
                login=a["username"],
                display_name=a.get("display_name", ""),
                email=a.get("email", ""),
                first_name=a.get("first_name", ""),
                last_name=a.get("last_name", ""),
                bio=a.get("bio", ""),
                website=a.get("website", ""),
            )
            for a in members["authors"]
        }
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, KeyError) as error:
        raise SourceError(_("The zip file is damaged (%(error)s).") % {"error": error}) from None
    articles = sorted(n for n in names if n.startswith("articles/") and n.endswith(".md"))
    if not articles:
        raise SourceError(_("The zip file holds no articles/*.md files: not a Newsroom export."))
    return Source(
        format=ZIP,
        authors=authors,
        post_count=len(articles),
        path=path,
        reader=_zip_posts,
        zip_data={
            "archive": archive,
            "articles": articles,
            "comments": members["comments"],
            "extras": members["articles"],
        },
    )


def _zip_posts(source: Source) -> Iterator[SourcePost | UnreadableItem]:
    for name in source.zip_data["articles"]:
        try:
            yield _zip_post(source, name)
        except (UnicodeDecodeError, yaml.YAMLError, ValueError, TypeError, KeyError) as error:
            yield UnreadableItem(label=name, reason=str(error))


def _zip_post(source: Source, name: str) -> SourcePost:
    archive, comments = source.zip_data["archive"], source.zip_data["comments"]
    by_display_name = {a.display_name: a.login for a in source.authors.values()}
    media_names = [n for n in archive.namelist() if n.startswith("media/") and not n.endswith("/")]
    post = frontmatter.loads(archive.read(name).decode("utf-8"))
    meta = post.metadata
    slug = str(meta.get("slug") or PurePosixPath(name).stem)
    published_at = meta.get("published_at")
    if isinstance(published_at, str):
        published_at = datetime.datetime.fromisoformat(published_at)
    if isinstance(published_at, datetime.datetime) and published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=datetime.UTC)
    author_name = str(meta.get("author", ""))
    extra = source.zip_data["extras"].get(slug, {})
    cover = str(extra.get("cover_image") or "")
    return SourcePost(
        guid=str(meta.get("source") or slug),
        title=str(meta.get("title", "")),
        slug=slug,
        link=f"/articles/{slug}/",
        status=ZIP_STATUS.get(str(meta.get("status", "published")), "draft"),
        post_type="post",
        published_at=published_at,
        author_login=by_display_name.get(author_name, ""),
        author_name=author_name,
        content=post.content,
        content_format="markdown",
        excerpt=str(meta.get("excerpt") or ""),
        tags=[(str(t), str(t)) for t in meta.get("tags") or []],
        comments=[
            SourceComment(
                source_id=str(c["id"]),
                parent_id=str(c.get("parent") or 0),
                name=c.get("name", ""),
                email=c.get("email", ""),
                url="",
                created_at=datetime.datetime.fromisoformat(c["created_at"]),
                body=c.get("body", ""),
                status=c.get("status", "pending"),
            )
            for c in comments
            if c.get("article") == slug
        ],
        views=int(meta.get("views") or 0),
        comments_open=bool(extra.get("comments_open", True)),
        cover_image=cover,
        cover_alt=str(extra.get("cover_alt") or ""),
        media={n: archive.read(n) for n in media_names if _referenced(n, post.content, cover)},
    )


def _referenced(media_name: str, markdown: str, cover: str) -> bool:
    name = media_name.removeprefix("media/")
    return name == cover or name in markdown
