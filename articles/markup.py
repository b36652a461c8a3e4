"""Markdown to safe HTML, and the plain-text facts derived from it.

Rendering happens once, when an article is saved (see `Article.save`), never per request. The
Markdown output is passed through nh3 (the Ammonia sanitizer) so that raw HTML in a body — a
`<script>`, an `onerror=` attribute, a `javascript:` link — never reaches a reader's browser.

The article page's title is its only `<h1>`, so body headings start one level down: Markdown's
`#` becomes `<h2>`, `##` becomes `<h3>` and so on (deeper levels stay `<h6>`), and a raw `<h1>`
typed as HTML is reduced to its text. Articles saved before this rule were re-rendered by the
migration `articles/0004_rerender_body_headings`.

Hostile Markdown is refused, never rendered at any cost. The parser is markdown-it-py (CommonMark
plus tables, strikethrough, footnotes and definition lists), which works in linear time on the
inputs that make python-markdown quadratic or recursive (unclosed brackets, `[x](`, `<a `, repeated
footnote references, thousands of nested list markers); on top of that a body is limited to
`MAX_CHARS` characters and `MAX_DEPTH` levels of nesting (lists, quotes, emphasis inside one
another, and brackets left open in a paragraph). Anything over a limit raises `MarkupError`, whose
message is written for the author: the admin shows it as a form error, `load_seeds` as a
`SeedError`, and any other caller (a live preview) can catch it.
"""

import html
import math
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

WORDS_PER_MINUTE = 230
_WORD = re.compile(r"\w+(?:['’-]\w+)*")

# About 16,000 words: longer than any feature we publish; worst-case input renders in seconds.
MAX_CHARS = 100_000
# HTML elements inside one another: a list item costs two (list, item), a quote or emphasis one.
MAX_DEPTH = 32


BODY_HEADING_BASE_LEVEL = 2
BODY_TAGS = nh3.ALLOWED_TAGS - {"h1"}


class MarkupError(ValueError):
    """Markdown that will not be rendered; the message tells the author what to change."""


# markdown-it stops nesting at maxNesting; one level more than we allow is enough to detect it.
_PARSER = (
    MarkdownIt("commonmark", {"maxNesting": MAX_DEPTH + 1})
    .enable(["table", "strikethrough"])
    .use(footnote_plugin)
    .use(deflist_plugin)
)


def check_markdown(text: str) -> None:
    """Raise `MarkupError` if `text` is over the size or nesting limits (cheap: parses once)."""
    _parse(text)


def render_markdown(text: str) -> str:
    """Sanitized HTML for `text`; `MarkupError` if it is over a limit."""
    tokens, env = _parse(text)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = int(token.tag[1]) + BODY_HEADING_BASE_LEVEL - 1
            token.tag = f"h{min(level, 6)}"
    rendered = _PARSER.renderer.render(tokens, _PARSER.options, env)
    # nh3 allows no `id`, so a body heading can never clash with the page's anchors (#comments).
    return nh3.clean(rendered, tags=BODY_TAGS, link_rel="noopener noreferrer").strip()


def _parse(text: str) -> tuple[list[Token], dict]:
    if len(text) > MAX_CHARS:
        raise MarkupError(
            f"The text is {len(text):,} characters long; the limit is {MAX_CHARS:,} characters."
        )
    if _open_brackets(text) > MAX_DEPTH:
        raise MarkupError(
            f"The text is nested too deeply: a paragraph may have at most {MAX_DEPTH} brackets "
            f"or parentheses open at once. Close or remove some and save again."
        )
    env: dict = {}
    tokens = _PARSER.parse(text, env)
    depth = _depth(tokens)
    if depth > MAX_DEPTH:
        raise MarkupError(
            f"The text is nested too deeply: lists, quotes or emphasis inside one another may go "
            f"{MAX_DEPTH} levels deep. Flatten the deepest part and save again."
        )
    return tokens, env


_ESCAPED_BRACKET = re.compile(r"\\[][()]")


def _open_brackets(text: str) -> int:
    """The most `[` and `(` open at once within one paragraph (escaped ones do not count).

    Inline parsing looks for a closing bracket for every open one: thousands left open are what
    makes Markdown parsers slow, and no prose needs more than a handful.
    """
    deepest = 0
    for paragraph in re.split(r"\n[ \t]*\n", _ESCAPED_BRACKET.sub("", text)):
        level = 0
        for char in paragraph:
            if char in "[(":
                level += 1
                deepest = max(deepest, level)
            elif char in "])" and level:
                level -= 1
    return deepest


def _depth(tokens: list[Token]) -> int:
    """The deepest nesting of elements, blocks and inline formatting together."""
    deepest = level = 0
    for token in tokens:
        level += token.nesting
        inline = level
        for child in token.children or ():
            inline += child.nesting
            deepest = max(deepest, inline)
        deepest = max(deepest, level)
    return deepest


def plain_text(rendered: str) -> str:
    """The text of rendered HTML, one block element per line."""
    return html.unescape(nh3.clean(rendered, tags=set())).strip()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def summarize(text: str, max_words: int = 45) -> str:
    """The first line of `text`, cut at a word boundary to at most `max_words` words."""
    first_paragraph = next((line.strip() for line in text.splitlines() if line.strip()), "")
    words = first_paragraph.split()
    if len(words) <= max_words:
        return " ".join(words)
    return " ".join(words[:max_words]).rstrip(",;:") + "…"
