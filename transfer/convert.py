"""Source HTML to Markdown, the format every Newsroom article is written in.

WordPress content is prepared first: Gutenberg's block comments are dropped (the HTML inside them
is the content), classic-editor text without paragraph tags gets its paragraphs back (what
WordPress's `wpautop` does on display), and the `[caption]` and `[embed]` shortcodes become HTML.
markdownify then writes Markdown, dropping `<script>` and `<style>` with their contents. The result
is not trusted: `Article.save()` renders it through the same nh3 sanitiser as any author's text.
"""

import html
import re

import nh3
from markdownify import markdownify

_GUTENBERG_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
_CAPTION_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL)
_CAPTION_ATTRIBUTE = re.compile(r'caption="([^"]*)"')
_EMBED = re.compile(r"\[(?:embed|video|audio)[^\]]*\](.*?)\[/(?:embed|video|audio)\]", re.DOTALL)
_OTHER_SHORTCODE = re.compile(r"\[/?([a-z][\w-]*)(?:\s[^\]]*)?\]", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"<(p|div|h[1-6]|ul|ol|blockquote|pre|table|figure)\b", re.IGNORECASE)
_IMAGE_SOURCE = re.compile(r"<img\b[^>]*?\bsrc=[\"']([^\"']+)[\"']", re.IGNORECASE)


def wordpress_html_to_markdown(content: str) -> tuple[str, list[str]]:
    """Markdown for WordPress (or feed) HTML, and the names of shortcodes left as they were."""
    content = content.replace("\x00", "")
    content = _GUTENBERG_COMMENT.sub("", content)
    classic_text = not _BLOCK_TAG.search(content)
    content = _CAPTION.sub(_caption_to_figure, content)
    content = _EMBED.sub(lambda m: f'<p><a href="{m[1].strip()}">{m[1].strip()}</a></p>', content)
    unknown = sorted({m[1].lower() for m in _OTHER_SHORTCODE.finditer(content)})
    if classic_text:
        content = autop(content)
    markdown = markdownify(
        content, heading_style="ATX", bullets="-", newline_style="BACKSLASH", escape_misc=False
    )
    return tidy(markdown), unknown


def image_sources(content: str) -> list[str]:
    """The addresses of the images a post's HTML shows, in order, each once."""
    return list(dict.fromkeys(_IMAGE_SOURCE.findall(content)))


def autop(text: str) -> str:
    """Paragraph tags for text separated by blank lines, as WordPress's classic editor means it."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)


def tidy(markdown: str) -> str:
    """No runs of blank lines, no trailing spaces: the Markdown an author would have typed."""
    lines = [line.rstrip() for line in markdown.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(value: str) -> str:
    """Plain text of a small HTML fragment (an excerpt, a comment), paragraphs kept apart."""
    value = re.sub(r"</p>\s*<p[^>]*>|<br\s*/?>", "\n\n", value, flags=re.IGNORECASE)
    return html.unescape(nh3.clean(value, tags=set())).replace("\x00", "").strip()


def _caption_to_figure(match) -> str:
    attributes, inner = match[1], match[2]
    parts = _CAPTION_MEDIA.match(inner)
    media, caption = (parts[1], parts[2].strip()) if parts else ("", inner.strip())
    if not caption and (found := _CAPTION_ATTRIBUTE.search(attributes)):
        caption = found[1]
    return f"<figure>{media}<figcaption>{caption}</figcaption></figure>"
