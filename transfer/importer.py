"""Bring a blog in: authors, posts, tags, comments, images and old links, from any `sources` format.

The rules:

- **Idempotent.** Every post and comment is keyed on its source GUID (`ImportedArticle`,
  `ImportedComment`); a second run finds them all and changes nothing. A post whose slug and title
  match an article already here (the seed article, say) is that article: it is linked, not copied.
- **One transaction per post.** A bad item rolls back alone and is listed with its reason; nothing
  is ever half-imported. `dry_run` runs the same code in one transaction rolled back at the end,
  and downloads nothing.
- **Statuses.** Nothing that was not public becomes public (`STATUS_MAP`): published stays
  published, scheduled stays scheduled (published at its future date, which readers cannot see
  yet), pending posts wait for review, and drafts, private and password-protected posts become
  drafts. Trashed
  posts, revisions and pages are skipped with a reason.
- **Comments** keep their thread (Newsroom replies are one level deep, so a deeper reply hangs
  under its top-level ancestor) and their moderation state, recorded with the reason "imported".
  The commenter's IP address is never read.
- **Authors** are existing users when they match, else new staff users (`authors`).
- **Content** is converted to Markdown (`convert`) and saved through `Article.save()`, which
  sanitises it like any author's text. Images are downloaded into media when reachable (`media`).
"""

import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from tqdm import tqdm

from articles.models import Article, Tag
from comments.models import Comment
from comments.services import lock_articles, refresh_comment_counts

from . import authors, convert, media
from .links import old_paths
from .models import ImportedArticle, ImportedComment, Redirect
from .records import Source, SourcePost, UnreadableItem
from .sources import open_source

Status = Article.Status
# WordPress status -> (Newsroom status, what the report calls it). Anything else is skipped.
STATUS_MAP = {
    "publish": (Status.PUBLISHED, "published"),
    "future": (Status.PUBLISHED, "scheduled (published at its future date)"),
    "draft": (Status.DRAFT, "draft"),
    "pending": (Status.REVIEW, "waiting for review"),
    "private": (Status.DRAFT, "draft (was private)"),
}
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
    **{value: value for value in Comment.Status.values},
}
# WordPress files every uncategorised post under this default category: it carries no meaning.
DEFAULT_CATEGORY = "uncategorized"


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll everything back."""


@dataclass
class ImportReport:
    source_format: str = ""
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)
    unreachable_images: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def merge(self, other: "ImportReport") -> None:
        self.created.update(other.created)
        self.existing.update(other.existing)
        self.statuses.update(other.statuses)
        self.skipped += other.skipped
        self.redirects += other.redirects
        self.unreachable_images += other.unreachable_images
        self.warnings += other.warnings


def import_blog(path: Path, *, dry_run=False, author_map=None, progress=None) -> ImportReport:
    """Import the export or feed at `path`; SourceError if the file as a whole is unusable.

    `progress` is a text stream (a terminal) to draw a progress bar on, or None for no bar.
    """
    source = open_source(path)
    importer = Importer(source, author_map=author_map or {}, dry_run=dry_run)
    if not dry_run:
        return importer.run(progress=progress)
    try:
        with transaction.atomic():
            importer.run(progress=progress)
            raise DryRunRollback
    except DryRunRollback:
        return importer.report


class Importer:
    def __init__(self, source: Source, *, author_map: dict, dry_run: bool):
        self.source = source
        self.author_map = author_map
        self.dry_run = dry_run
        self.report = ImportReport(source_format=source.format, dry_run=dry_run)
        self._users: dict[str, object] = {}
        self._tags: dict[str, Tag] = {}

    def run(self, *, progress=None) -> ImportReport:
        bar = tqdm(
            total=self.source.post_count, unit="post", file=progress, disable=progress is None
        )
        with bar:
            for item in self.source.posts():
                self._import_item(item)
                bar.update()
        return self.report

    def _import_item(self, item) -> None:
        if isinstance(item, UnreadableItem):
            self.report.skipped.append((item.label, item.reason))
            return
        label = item.title or item.guid
        reason = self._skip_reason(item)
        if reason:
            self.report.skipped.append((label, reason))
            return
        post_report, stored_files = ImportReport(), []
        try:
            with transaction.atomic():
                self._import_post(item, post_report, stored_files)
        except (DatabaseError, ValidationError, ValueError) as error:
            for name in stored_files:
                default_storage.delete(name)
            # Objects cached during the rolled-back post may not exist any more.
            self._users.clear()
            self._tags.clear()
            self.report.skipped.append((label, f"{type(error).__name__}: {error}"))
            return
        self.report.merge(post_report)

    @staticmethod
    def _skip_reason(post: SourcePost) -> str:
        if post.post_type != "post":
            return f"a WordPress {post.post_type}, not a post: Newsroom imports posts only"
        if post.status not in STATUS_MAP:
            return f"status {post.status!r} (trashed, automatic draft or revision)"
        if not post.guid:
            return "no GUID or link to recognise it by"
        return ""

    def _import_post(self, post: SourcePost, report: ImportReport, stored_files: list) -> None:
        mapped = ImportedArticle.objects.filter(guid=post.guid).select_related("article").first()
        if mapped:
            article = mapped.article
            report.existing["articles"] += 1
        else:
            article = self._matching_article(post, report) or self._create_article(
                post, report, stored_files
            )
            ImportedArticle.objects.create(
                guid=post.guid, article=article, source_format=self.source.format
            )
        self._import_comments(post, article, report)
        self._add_redirects(post, article, report)

    def _matching_article(self, post: SourcePost, report: ImportReport) -> Article | None:
        slug = slugify(post.slug)[:200]
        article = Article.objects.filter(slug=slug, title=post.title.strip()[:200]).first()
        if article and not ImportedArticle.objects.filter(article=article).exists():
            report.existing["articles"] += 1
            report.warnings.append(f"{post.title}: already here as /{slug}/, linked, not copied")
            return article
        return None

    def _create_article(self, post, report: ImportReport, stored_files: list) -> Article:
        status, status_label = STATUS_MAP[post.status]
        if post.password and status == Status.PUBLISHED:
            status, status_label = Status.DRAFT, "draft (was password-protected)"
        report.statuses[f"{post.status} → {status_label}"] += 1
        if status == Status.PUBLISHED and post.published_at is None:
            raise ValueError("a published post without a date")
        stored_names: dict[str, str] = {}
        body, excerpt = self._body(post, report, stored_files, stored_names), post.excerpt
        if post.content_format == "html":
            excerpt = convert.html_to_text(excerpt)
        title = post.title.strip().replace("\x00", "")
        if len(title) > 200:
            report.warnings.append(f"{title[:60]}…: title cut to 200 characters")
        article = Article.objects.create(
            title=title[:200] or post.guid[:200],
            slug=self._free_slug(post),
            author=self._author(post, report),
            body=body,
            excerpt=excerpt,
            status=status,
            published_at=post.published_at,
            view_count=post.views,
            comments_open=post.comments_open,
            cover_image=stored_names.get(post.cover_image, ""),
            cover_alt=post.cover_alt[:250],
        )
        if post.published_at:
            # created_at is automatic; an imported post was created when it was first written.
            Article.objects.filter(pk=article.pk).update(created_at=post.published_at)
        article.tags.set(self._tags_of(post, report))
        report.created["articles"] += 1
        return article

    def _body(self, post, report: ImportReport, stored_files: list, stored_names: dict) -> str:
        if post.content_format == "markdown":
            body = post.content.replace("\x00", "")
            for name, data in post.media.items():
                original = name.removeprefix("media/")
                stored = self._store_media(original, data, report, stored_files)
                stored_names[original] = stored
                if stored and stored != original:
                    body = body.replace(original, stored)
            return body.strip()
        body, unknown_shortcodes = convert.wordpress_html_to_markdown(post.content)
        if unknown_shortcodes:
            report.warnings.append(
                f"{post.title}: shortcodes kept as text: {', '.join(unknown_shortcodes)}"
            )
        for url in convert.image_sources(post.content):
            if self.dry_run:
                report.created["images to download"] += 1
                continue
            try:
                stored = media.download_image(url)
            except media.FetchError as error:
                report.unreachable_images.append((url, str(error)))
                continue
            stored_files.append(stored)
            body = body.replace(url, default_storage.url(stored))
            report.created["images"] += 1
        return body

    def _store_media(self, name: str, data: bytes, report: ImportReport, stored_files) -> str:
        """Copy a file from a Newsroom zip into media; the name it is stored under."""
        if default_storage.exists(name):
            return name
        try:
            cleaned = media.clean_image(data, name=PurePosixPath(name).name)
        except media.FetchError as error:
            report.unreachable_images.append((name, str(error)))
            return ""
        if self.dry_run:
            report.created["images to copy"] += 1
            return name
        report.created["images"] += 1
        stored_files.append(default_storage.save(name, cleaned))
        return stored_files[-1]

    @staticmethod
    def _free_slug(post: SourcePost) -> str:
        # WordPress percent-encodes non-ASCII slugs; our addresses are ASCII (the slug converter).
        base = slugify(unquote(post.slug)) or slugify(post.title) or f"post-{post.post_id or 1}"
        base = base[:200]
        slug, number = base, 1
        while Article.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base[: 200 - len(str(number)) - 1]}-{number}"
        return slug

    def _author(self, post: SourcePost, report: ImportReport):
        key = post.author_login or post.author_name
        if key in self.author_map or (not key and "*" in self.author_map):
            return self.author_map.get(key) or self.author_map["*"]
        if key not in self._users:
            known = self.source.authors.get(post.author_login)
            user, created = authors.find_or_create(
                login=post.author_login, name=post.author_name, known=known
            )
            report.created["authors"] += created
            self._users[key] = user
        return self._users[key]

    def _tags_of(self, post: SourcePost, report: ImportReport) -> list[Tag]:
        tags = {}
        for slug, name in post.categories + post.tags:
            tag_slug = slugify(unquote(slug))[:60] or slugify(name)[:60]
            if tag_slug == DEFAULT_CATEGORY:
                continue
            # A name with no Latin letters or digits (e.g. 서울) still needs an ASCII address.
            tag_slug = tag_slug or f"tag-{zlib.crc32(name.encode()):08x}"
            tags[tag_slug] = self._tag(tag_slug, name.strip()[:60], report)
        return list(tags.values())

    def _tag(self, slug: str, name: str, report: ImportReport) -> Tag:
        if slug not in self._tags:
            tag = (
                Tag.objects.filter(slug=slug).first()
                or Tag.objects.filter(name__iexact=name).first()
            )
            if tag is None:
                tag = Tag.objects.create(slug=slug, name=name)
                report.created["tags"] += 1
            self._tags[slug] = tag
        return self._tags[slug]

    def _import_comments(self, post: SourcePost, article: Article, report: ImportReport) -> None:
        comments = [c for c in post.comments if c.kind in ("comment", "")]
        left_out = len(post.comments) - len(comments)
        if left_out:
            report.skipped.append(
                (
                    f"{post.title}: {left_out} pingback(s)",
                    "pingbacks and trackbacks are not comments",
                )
            )
        if not comments:
            return
        guids = {c.source_id: f"{post.guid}#comment-{c.source_id}"[:520] for c in comments}
        known = dict(
            ImportedComment.objects.filter(guid__in=guids.values()).values_list(
                "guid", "comment_id"
            )
        )
        by_source_id = {sid: known[g] for sid, g in guids.items() if g in known}
        if by_source_id:
            report.existing["comments"] += len(by_source_id)
        parents = {c.source_id: c.parent_id for c in comments}
        new = [c for c in comments if c.source_id not in by_source_id]
        created_any = False
        for item in new:
            fields = {
                "article": article,
                "name": (item.name or "Anonymous")[: Comment.MAX_NAME_LENGTH],
                "body": convert.html_to_text(item.body)
                if post.content_format == "html"
                else item.body,
                "created_at": item.created_at or article.published_at or article.created_at,
            }
            # Our own exports carry comment ids of this site, not source GUIDs: the same
            # author, time and text on the same article is the same comment.
            same = Comment.objects.filter(**fields).values_list("pk", flat=True).first()
            if same:
                by_source_id[item.source_id] = same
                report.existing["comments"] += 1
                continue
            created = Comment.objects.create(
                **fields,
                email=item.email[:254],
                status=COMMENT_STATUS.get(item.status, Comment.Status.PENDING),
                reason=Comment.Reason.IMPORTED,
                reason_detail=f"{self.source.format.upper()} status {item.status!r}"[:200],
            )
            ImportedComment.objects.create(guid=guids[item.source_id], comment=created)
            by_source_id[item.source_id] = created.pk
            report.created["comments"] += 1
            created_any = True
        for item in new:
            root = _thread_root(item.source_id, parents)
            if root != item.source_id and root in by_source_id:
                Comment.objects.filter(pk=by_source_id[item.source_id]).update(
                    parent_id=by_source_id[root]
                )
        if created_any:
            lock_articles([article.pk])
            refresh_comment_counts(article_ids=[article.pk])

    def _add_redirects(self, post: SourcePost, article: Article, report: ImportReport) -> None:
        new_path = article.get_absolute_url()
        for old_path in old_paths(post, from_wordpress=self.source.from_wordpress):
            if old_path == new_path:
                continue
            redirect, created = Redirect.objects.get_or_create(
                old_path=old_path, defaults={"article": article}
            )
            if created:
                report.created["redirects"] += 1
                report.redirects.append((old_path, new_path))
            elif redirect.article_id == article.pk:
                report.existing["redirects"] += 1
            else:
                report.warnings.append(f"{old_path} already redirects to another article; kept")


def _thread_root(source_id: str, parents: dict[str, str]) -> str:
    """The top-level comment a reply belongs to (cycles and missing parents end the walk)."""
    seen = {source_id}
    while parents.get(source_id, "0") not in ("0", "") and parents[source_id] in parents:
        source_id = parents[source_id]
        if source_id in seen:
            break
        seen.add(source_id)
    return source_id
