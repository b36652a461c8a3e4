"""Markdown to safe HTML, and the plain-text facts derived from it.

Rendering happens once, when an article is saved (see `Article.save`), never per request. The
Markdown output is passed through nh3 (the Ammonia sanitizer) so that raw HTML in a body — a
`<script>`, an `onerror=` attribute, a `javascript:` link — never reaches a reader's browser.

The article page's title is its only `<h1>`, so body headings start one level down: Markdown's
`#` becomes `<h2>`, `##` becomes `<h3>` and so on (the `toc` extension's `baselevel`; deeper levels
stay `<h6>`), and a raw `<h1>` typed as HTML is reduced to its text. Articles saved before this rule
were re-rendered by the migration `articles/0004_rerender_body_headings`.
"""

import html
import math
import re

import markdown
import nh3

WORDS_PER_MINUTE = 230
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


BODY_HEADING_BASE_LEVEL = 2
BODY_TAGS = nh3.ALLOWED_TAGS - {"h1"}


def render_markdown(text: str) -> str:
    html = markdown.markdown(
        text,
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={"toc": {"baselevel": BODY_HEADING_BASE_LEVEL}},
        output_format="html",
    )
    # The toc extension also adds heading ids; nh3 drops them (no `id` allowed), so a body
    # heading can never clash with the page's own anchors such as #comments.
    return nh3.clean(html, tags=BODY_TAGS, link_rel="noopener noreferrer")


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
