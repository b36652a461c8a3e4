"""Seed content: Markdown files with a YAML front-matter header, loaded by `manage.py load_seeds`.

A seed file looks like::

    ---
    title: The article's title            (required)
    author: Full Name                     (required; created as a user without a password if new)
    published_at: 2023-07-25T09:00:00Z    (required when published; a bare date means 00:00 UTC)
    slug: optional-custom-slug            (default: slugified title)
    status: published | draft             (default: published)
    excerpt: Optional list summary.
    views: 7                              (starting view total, applied only when first created)
    tags: [Tag, Another tag]
    source: where the text came from      (informational)
    ---

    Markdown body.

The files are the source of truth for the articles they describe: loading updates an existing
article (matched by slug) to match its file. View counts are different: they belong to readers, so
`views` only seeds a new article and never resets a live count.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from . import markup
from .models import Article, AuthorProfile, Tag

REQUIRED_KEYS = {"title", "author"}
MAX_VIEWS = 2**63 - 1  # the largest value the view counter column holds
OPTIONAL_KEYS = {"slug", "status", "published_at", "excerpt", "views", "tags", "source"}


class SeedError(ValueError):
    """A seed file that cannot be loaded; the message names the file and the problem."""

    def __init__(self, path: Path, problem: str):
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class Seed:
    path: Path
    title: str
    slug: str
    author_name: str
    body: str
    status: str
    published_at: datetime.datetime | None
    excerpt: str = ""
    views: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    authors_created: list[str] = field(default_factory=list)


def find_seed_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise SeedError(folder, "is not a folder of seed files")
    return sorted(path for path in folder.glob("*.md") if path.is_file())


def parse_seed(path: Path) -> Seed:
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SeedError(path, "is not UTF-8 text") from None
    except yaml.YAMLError as error:
        raise SeedError(path, f"the front matter is not valid YAML ({error})") from None
    meta = post.metadata
    if not meta:
        raise SeedError(path, "has no front matter (a '---' header with title and author)")
    missing = sorted(REQUIRED_KEYS - meta.keys())
    if missing:
        raise SeedError(path, f"missing required field(s): {', '.join(missing)}")
    unknown = sorted(meta.keys() - REQUIRED_KEYS - OPTIONAL_KEYS)
    if unknown:
        raise SeedError(path, f"unknown field(s): {', '.join(unknown)}")
    body = post.content.strip()
    if not body:
        raise SeedError(path, "has an empty body")
    if "\x00" in body:
        raise SeedError(path, "the body contains a NUL character")
    try:
        markup.check_markdown(body)
    except markup.MarkupError as error:
        raise SeedError(path, f"the body cannot be rendered: {error}") from None

    title = _text(path, meta, "title")
    status = _text(path, meta, "status", default=Article.Status.PUBLISHED)
    if status not in Article.Status.values:
        raise SeedError(path, f"status must be one of {', '.join(Article.Status.values)}")
    published_at = _datetime(path, meta.get("published_at"))
    if status == Article.Status.PUBLISHED and published_at is None:
        raise SeedError(path, "a published article needs published_at")
    slug = _slug(path, "slug", _text(path, meta, "slug", default=title), Article)
    views = meta.get("views", 0)
    if isinstance(views, bool) or not isinstance(views, int) or not 0 <= views <= MAX_VIEWS:
        raise SeedError(path, f"views must be a whole number from 0 to {MAX_VIEWS}, not {views!r}")
    tags = meta.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise SeedError(path, "tags must be a list of names, e.g. [Politics, Asia]")
    for tag in tags:
        _fits(path, "tag", tag.strip(), Tag, "name")
        _slug(path, f"tag {tag!r}", tag, Tag)
    tag_slugs = [slugify(tag) for tag in tags]
    if len(set(tag_slugs)) != len(tag_slugs):
        raise SeedError(path, "two tags have the same address once slugified, e.g. 'C' and 'C++'")
    author_name = _text(path, meta, "author")
    for part, column in zip(split_name(author_name), ("first_name", "last_name"), strict=True):
        _fits(path, "author", part, get_user_model(), column)
    _slug(path, "author", author_name, get_user_model(), field="username")
    _fits(path, "title", title, Article, "title")
    return Seed(
        path=path,
        title=title,
        slug=slug,
        author_name=author_name,
        body=body,
        status=status,
        published_at=published_at,
        excerpt=_text(path, meta, "excerpt", default=""),
        views=views,
        tags=tuple(t.strip() for t in tags),
    )


def _text(path: Path, meta: dict, key: str, default: str | None = None) -> str:
    value = meta.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise SeedError(path, f"{key} must be text")
    if "\x00" in value:
        raise SeedError(path, f"{key} contains a NUL character")
    return value.strip()


def _fits(path: Path, label: str, value: str, model, field: str) -> None:
    limit = model._meta.get_field(field).max_length
    if len(value) > limit:
        raise SeedError(path, f"{label} is {len(value)} characters long; the limit is {limit}")


def _slug(path: Path, label: str, value: str, model, field: str = "slug") -> str:
    slug = slugify(value)
    if not slug:
        raise SeedError(path, f"{label} has no letters or digits to make an address from")
    limit = model._meta.get_field(field).max_length
    if len(slug) > limit:
        raise SeedError(
            path, f"{label} makes an address of {len(slug)} characters; the limit is {limit}"
        )
    return slug


def _datetime(path: Path, value) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise SeedError(
                path, f"published_at {value!r} is not a date and time like 2023-07-25T09:00:00Z"
            ) from None
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
    raise SeedError(path, f"published_at {value!r} is not a date and time")


def load_seeds(folder: Path) -> LoadReport:
    """Create or update one article per seed file; all files are checked before anything is written.

    Runs in one transaction: a bad file leaves the database as it was.
    """
    seeds = [parse_seed(path) for path in find_seed_files(folder)]
    slugs = [seed.slug for seed in seeds]
    for seed in seeds:
        if slugs.count(seed.slug) > 1:
            raise SeedError(seed.path, f"another seed file uses the slug {seed.slug!r}")
    report = LoadReport()
    with transaction.atomic():
        for seed in seeds:
            _apply(seed, report)
    return report


def split_name(name: str) -> tuple[str, str]:
    """A full name as Django's (first_name, last_name): the first word, then the rest."""
    first, _, last = name.partition(" ")
    return first, last


def _author(name: str, report: LoadReport):
    user_model = get_user_model()
    first, last = split_name(name)
    user, created = user_model.objects.get_or_create(
        username=slugify(name), defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        report.authors_created.append(name)
    AuthorProfile.objects.get_or_create(
        user=user, defaults={"display_name": name, "slug": user.username}
    )
    return user


def _apply(seed: Seed, report: LoadReport) -> None:
    fields = {
        "title": seed.title,
        "author": _author(seed.author_name, report),
        "body": seed.body,
        "excerpt": seed.excerpt,
        "status": seed.status,
        "published_at": seed.published_at,
    }
    tags = [
        Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in seed.tags
    ]
    article = Article.objects.filter(slug=seed.slug).first()
    if article is None:
        article = Article.objects.create(slug=seed.slug, view_count=seed.views, **fields)
        article.tags.set(tags)
        report.created.append(seed.title)
        return
    changed = [name for name, value in fields.items() if getattr(article, name) != value]
    tags_changed = {t.pk for t in article.tags.all()} != {t.pk for t in tags}
    if not changed and not tags_changed:
        report.unchanged.append(seed.title)
        return
    for name in changed:
        setattr(article, name, fields[name])
    article.save()
    article.tags.set(tags)
    report.updated.append(seed.title)
