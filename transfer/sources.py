"""Read a blog export into plain records: WordPress WXR, RSS 2.0 or Atom (our zip: `zip_source`).

XML is parsed with defusedxml's streaming `iterparse`: each `<item>`/`<entry>` is turned into a
`SourcePost` and then cleared from the tree, so memory stays flat however large the file is. DTD
entities and external references are refused (billion laughs, XXE). A file is read twice: a first
pass checks that the whole document is well formed and counts the posts (the progress bar's total)
before anything is written, so a truncated export is refused instead of half-imported.
"""

import datetime
import email.utils
import html
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from .records import (
    ATOM_FORMAT,
    RSS,
    WXR,
    Source,
    SourceAuthor,
    SourceComment,
    SourceError,
    SourcePost,
)
from .zip_source import open_zip

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}"
DC = "{http://purl.org/dc/elements/1.1/}"
ATOM = "{http://www.w3.org/2005/Atom}"

# WordPress shortens feed descriptions it made itself with this ellipsis: not a real excerpt.
AUTO_EXCERPT_ENDINGS = ("[…]", "[&#8230;]", "[...]")


def open_source(path: Path) -> Source:
    """Check a source file completely and return it ready to stream; SourceError if unusable."""
    try:
        with path.open("rb") as stream:
            if stream.read(4) == b"PK\x03\x04":
                return open_zip(path)
            stream.seek(0)
            source_format, authors, count, generator = _scan_xml(stream)
    except OSError as error:
        raise SourceError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None
    return Source(
        format=source_format,
        authors=authors,
        post_count=count,
        path=path,
        reader=_read_xml,
        from_wordpress="wordpress.org" in generator,
    )


def _events(stream, events=("start", "end")):
    try:
        yield from iterparse(stream, events=events, forbid_dtd=False)
    except DefusedXmlException as error:
        raise SourceError(
            _(
                "Refused: the file declares XML entities or external references (%(kind)s), which "
                "can exhaust memory or read files on the server. Export it again without them."
            )
            % {"kind": type(error).__name__}
        ) from None
    except ParseError as error:
        raise SourceError(
            _("The file is not well-formed XML (%(error)s); it may be truncated or damaged.")
            % {"error": error}
        ) from None


def _detect(tag: str) -> str:
    if tag == f"{ATOM}feed":
        return ATOM_FORMAT
    if tag == "rss":
        return RSS
    raise SourceError(
        _(
            "This is XML but not a WordPress export, an RSS 2.0 feed or an Atom feed "
            "(root <%(tag)s>)."
        )
        % {"tag": tag}
    )


POST_TAGS = ("item", f"{ATOM}entry")


def _walk(stream) -> Iterator[tuple[str, object]]:
    """Parse events; once the caller has handled a post's end, the post leaves the tree.

    Clearing the post's parent (the RSS channel or the Atom feed) drops every post read so far,
    which is what keeps memory flat: iterparse would otherwise build the whole document.
    """
    stack = []
    for event, element in _events(stream):
        if event == "start":
            stack.append(element)
            yield event, element
            continue
        stack.pop()
        yield event, element
        if element.tag in POST_TAGS and stack:
            stack[-1].clear()


def _scan_xml(stream) -> tuple[str, dict[str, SourceAuthor], int, str]:
    source_format, authors, count, generator = None, {}, 0, ""
    for event, element in _walk(stream):
        if source_format is None:
            source_format = _detect(element.tag)
        if event == "start":
            continue
        if element.tag == f"{WP}author":
            author = _wxr_author(element)
            authors[author.login] = author
        elif element.tag in POST_TAGS:
            count += 1
        elif element.tag == f"{WP}wxr_version":
            source_format = WXR
        elif element.tag in ("generator", f"{ATOM}generator") and not count:
            generator = (element.text or "") + element.get("uri", "")
    if source_format is None:
        raise SourceError(_("The file is empty."))
    return source_format, authors, count, generator


def _read_xml(source: Source) -> Iterator[SourcePost]:
    with source.path.open("rb") as stream:
        yield from _xml_posts(stream, source.format)


def _xml_posts(stream, source_format: str) -> Iterator[SourcePost]:
    for event, element in _walk(stream):
        if event != "end":
            continue
        if element.tag == "item":
            yield _wxr_post(element) if source_format == WXR else _rss_post(element)
        elif element.tag == f"{ATOM}entry":
            yield _atom_post(element)


def _text(element, path: str, default: str = "") -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else default


def _wxr_author(element) -> SourceAuthor:
    return SourceAuthor(
        login=_text(element, f"{WP}author_login"),
        display_name=_text(element, f"{WP}author_display_name"),
        email=_text(element, f"{WP}author_email"),
        first_name=_text(element, f"{WP}author_first_name"),
        last_name=_text(element, f"{WP}author_last_name"),
        bio=_text(element, f"{WP}author_description"),
    )


def parse_wordpress_date(gmt: str, local: str = "") -> datetime.datetime | None:
    """WordPress's "2023-08-02 09:15:00" (GMT, or "0000-00-00 ..." when unset) as an aware time."""
    for value in (gmt, local):
        if value and not value.startswith("0000"):
            try:
                parsed = datetime.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return parsed.replace(tzinfo=datetime.UTC)
    return None


def _terms(element) -> tuple[list, list]:
    categories, tags = [], []
    for category in element.findall("category"):
        name = (category.text or "").strip()
        slug = category.get("nicename") or name
        if not name:
            continue
        if category.get("domain") == "post_tag":
            tags.append((slug, name))
        elif category.get("domain") in ("category", None):
            categories.append((slug, name))
    return categories, tags


def _wxr_post(item) -> SourcePost:
    status = _text(item, f"{WP}status")
    categories, tags = _terms(item)
    comments = [
        SourceComment(
            source_id=_text(c, f"{WP}comment_id"),
            parent_id=_text(c, f"{WP}comment_parent", "0"),
            name=_text(c, f"{WP}comment_author"),
            email=_text(c, f"{WP}comment_author_email"),
            url=_text(c, f"{WP}comment_author_url"),
            created_at=parse_wordpress_date(
                _text(c, f"{WP}comment_date_gmt"), _text(c, f"{WP}comment_date")
            ),
            body=(c.findtext(f"{WP}comment_content") or "").strip(),
            status=_text(c, f"{WP}comment_approved"),
            kind=_text(c, f"{WP}comment_type") or "comment",
        )
        for c in item.findall(f"{WP}comment")
    ]
    login = _text(item, f"{DC}creator")
    return SourcePost(
        guid=_text(item, "guid") or _text(item, "link"),
        title=html.unescape(_text(item, "title")),
        slug=_text(item, f"{WP}post_name"),
        link=_text(item, "link"),
        status=status,
        post_type=_text(item, f"{WP}post_type", "post"),
        published_at=parse_wordpress_date(
            _text(item, f"{WP}post_date_gmt"),
            _text(item, f"{WP}post_date") if status in ("publish", "future") else "",
        ),
        author_login=login,
        author_name="",
        content=item.findtext(f"{CONTENT}encoded") or "",
        content_format="html",
        excerpt=_text(item, f"{EXCERPT}encoded"),
        post_id=_text(item, f"{WP}post_id"),
        password=_text(item, f"{WP}post_password"),
        comments_open=_text(item, f"{WP}comment_status", "open") != "closed",
        categories=categories,
        tags=tags,
        comments=comments,
    )


def _feed_excerpt(summary: str, has_content: bool) -> str:
    if not has_content or summary.endswith(AUTO_EXCERPT_ENDINGS):
        return ""
    return summary


def _slug_from_link(link: str) -> str:
    path = urlsplit(link).path.rstrip("/")
    return PurePosixPath(path).name if path else ""


def _rss_post(item) -> SourcePost:
    content = item.findtext(f"{CONTENT}encoded") or ""
    description = _text(item, "description")
    pub_date = _text(item, "pubDate")
    try:
        published_at = email.utils.parsedate_to_datetime(pub_date) if pub_date else None
    except (TypeError, ValueError):
        published_at = None
    link = _text(item, "link")
    creator = _text(item, f"{DC}creator") or _text(item, "author")
    return SourcePost(
        guid=_text(item, "guid") or link,
        title=html.unescape(_text(item, "title")),
        slug=_slug_from_link(link),
        link=link,
        status="publish",
        post_type="post",
        published_at=published_at,
        author_login="",
        author_name=creator,
        content=content or description,
        content_format="html",
        excerpt=_feed_excerpt(description, bool(content)),
        categories=[(name, name) for name in _all_text(item, "category")],
    )


def _all_text(element, path: str) -> list[str]:
    return [found.text.strip() for found in element.findall(path) if (found.text or "").strip()]


def _atom_text(element, path: str) -> str:
    """An Atom text construct as HTML (type "html" or "xhtml") or escaped plain text."""
    found = element.find(path)
    if found is None:
        return ""
    kind = found.get("type", "text")
    if kind == "xhtml":
        return "".join(tostring(child, encoding="unicode") for child in found)
    text = (found.text or "").strip()
    return text if kind == "html" else html.escape(text)


def _atom_post(entry) -> SourcePost:
    link = ""
    for candidate in entry.findall(f"{ATOM}link"):
        if candidate.get("rel", "alternate") == "alternate":
            link = candidate.get("href", "")
            break
    published = _text(entry, f"{ATOM}published") or _text(entry, f"{ATOM}updated")
    try:
        published_at = datetime.datetime.fromisoformat(published) if published else None
    except ValueError:
        published_at = None
    content = _atom_text(entry, f"{ATOM}content")
    summary = _atom_text(entry, f"{ATOM}summary")
    return SourcePost(
        guid=_text(entry, f"{ATOM}id") or link,
        title=html.unescape(_atom_text(entry, f"{ATOM}title")),
        slug=_slug_from_link(link),
        link=link,
        status="publish",
        post_type="post",
        published_at=published_at,
        author_login="",
        author_name=_text(entry, f"{ATOM}author/{ATOM}name"),
        content=content or summary,
        content_format="html",
        excerpt=_feed_excerpt(summary, bool(content)),
        categories=[
            (c.get("term"), c.get("term"))
            for c in entry.findall(f"{ATOM}category")
            if c.get("term")
        ],
    )
