"""What every source format is read into: plain records the importer turns into models."""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

WXR, RSS, ATOM_FORMAT, ZIP = "wxr", "rss", "atom", "zip"


class SourceError(ValueError):
    """A source that cannot be read; the message says why, in words an editor understands."""


@dataclass
class SourceAuthor:
    login: str
    display_name: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    bio: str = ""
    website: str = ""


@dataclass
class SourceComment:
    source_id: str
    parent_id: str
    name: str
    email: str
    url: str
    created_at: datetime.datetime | None
    body: str
    # WordPress's comment_approved ("1", "0", "spam", "trash"), or our own status names from a zip.
    status: str
    kind: str = "comment"


@dataclass
class SourcePost:
    guid: str
    title: str
    slug: str
    link: str
    status: str  # WordPress's vocabulary: publish, future, draft, pending, private, ...
    post_type: str
    published_at: datetime.datetime | None
    author_login: str
    author_name: str
    content: str
    content_format: str  # "html" or "markdown"
    excerpt: str = ""
    post_id: str = ""
    password: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    comments: list[SourceComment] = field(default_factory=list)
    views: int = 0
    comments_open: bool = True
    cover_image: str = ""
    cover_alt: str = ""
    media: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Source:
    """An opened source: its format, its authors, how many posts, and a fresh stream of them."""

    format: str
    authors: dict[str, SourceAuthor]
    post_count: int
    path: Path
    # Reads the posts from the start each time it is called (given this Source).
    reader: Callable[["Source"], Iterator["SourcePost | UnreadableItem"]]
    zip_data: dict = field(default_factory=dict)
    # Made by WordPress itself: only then is `/?p=<post_id>` an address readers have used.
    from_wordpress: bool = False

    def posts(self) -> Iterator["SourcePost | UnreadableItem"]:
        return self.reader(self)


@dataclass
class UnreadableItem:
    """One item of a source that cannot be read; the import reports it and goes on."""

    label: str
    reason: str
