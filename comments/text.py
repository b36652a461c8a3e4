"""Comment text: stored as typed, shown as escaped HTML with line breaks and clickable links.

`render` is the one place that turns a reader's text into HTML. Django's `urlize` escapes the text
and links what looks like an address; `linebreaksbr` keeps line breaks; nh3 then allows nothing but
`<a href>` and `<br>`, with `rel="nofollow ugc noopener"` on every link, so whatever a reader types
can never become markup. The moderation policy counts and inspects links through `links` so that it
sees exactly the links a reader would see.
"""

import html
import re
from urllib.parse import urlsplit

import nh3
from django.template.defaultfilters import linebreaksbr
from django.utils.html import urlize

LINK_REL = "nofollow ugc noopener"
_HREF = re.compile(r'<a href="([^"]*)"')


def render(body: str) -> str:
    linked = urlize(body, autoescape=True)
    with_breaks = linebreaksbr(linked, autoescape=False)
    return nh3.clean(
        with_breaks,
        tags={"a", "br"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )


def links(body: str) -> list[str]:
    """The addresses `render` turns into links, in order."""
    return [html.unescape(href) for href in _HREF.findall(render(body))]


def host(address: str) -> str:
    """The lowercase host of a link (or of an email address), without a leading "www."."""
    if address.startswith("mailto:") or ("@" in address and "://" not in address):
        return address.rsplit("@", 1)[-1].lower().removeprefix("www.")
    try:
        hostname = urlsplit(address).hostname or ""
    except ValueError:
        return ""
    return hostname.removeprefix("www.")
