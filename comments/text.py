"""Comment text: stored as typed, shown as escaped HTML with line breaks and clickable links.

`render` is the one place that turns a reader's text into HTML. Django's `urlize` escapes the text
and links what looks like an address; `linebreaksbr` keeps line breaks; nh3 then allows nothing but
`<a href>` and `<br>`, with `rel="nofollow ugc noopener"` on every link, so whatever a reader types
can never become markup. The moderation policy counts and inspects links through `links` so that it
sees exactly the links a reader would see.

Hosts are compared the way a browser resolves them: `normalize_host` is the one place that turns a
written host into the domain a browser would visit, so `spam。example` (ideographic full stop),
`ｓpam.example` (full-width letters) or a soft hyphen inside the host all read `spam.example`.
`host` applies it to a link or an email address, `hosts_in` to hosts written anywhere in a text,
and blocklist entries are stored through it too.
"""

import html
import re
import string
import unicodedata
from urllib.parse import unquote

import idna
import nh3
from django.template.defaultfilters import linebreaksbr
from django.utils.html import urlize

LINK_REL = "nofollow ugc noopener"
MAX_NORMALIZE_ROUNDS = 8
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


def normalize_host(raw: str) -> str:
    """The domain a browser would visit for the host `raw`, lowercase, without "www." labels.

    Percent-decoding, then removing invisible format characters (soft hyphen, zero-width space and
    joiners, byte-order mark, direction marks), then IDNA/UTS 46 mapping (full-width forms and
    ideographic full stops to ASCII, case folding, NFC) and conversion to Unicode labels, so
    `xn--bcher-kva.example` and `BÜCHER.example` are both `bücher.example`. A host that IDNA
    refuses (an underscore, an emoji) keeps its mapped spelling: it still compares equal to
    itself. Each step can uncover work for another ("%2E" becomes a dot to strip), so the steps
    repeat until nothing changes (the result is a fixed point, normalizing it again is a no-op),
    at most `MAX_NORMALIZE_ROUNDS` times: browsers decode a host only once.
    """
    value = raw
    for _ in range(MAX_NORMALIZE_ROUNDS):
        normalized = _normalize_once(value)
        if normalized == value:
            break
        value = normalized
    return value


def _normalize_once(value: str) -> str:
    value = unquote(value)
    value = "".join(char for char in value if unicodedata.category(char) != "Cf")
    try:
        value = idna.uts46_remap(value, std3_rules=False, transitional=False)
    except idna.IDNAError:
        value = value.lower()
    value = value.strip(".").removeprefix("www.")
    try:
        return idna.decode(idna.encode(value))
    except idna.IDNAError:
        return value


def host(address: str) -> str:
    """The normalized host of a link, as a browser parses it, or of an email address."""
    if address.startswith("mailto:") or ("@" in address and "://" not in address):
        return normalize_host(address.rsplit("@", 1)[-1])
    authority = address.split("://", 1)[-1]
    # Browsers end the host at "/", "?", "#" and, in http(s) addresses, "\\".
    authority = re.split(r"[/?#\\]", authority, maxsplit=1)[0]
    hostname = authority.rsplit("@", 1)[-1]
    if not hostname.startswith("["):  # not an IPv6 literal: drop a port
        hostname = re.sub(r":\d*$", "", hostname)
    return normalize_host(hostname)


# Anything between spaces might be a host once decoded; punctuation around it is not part of it.
_SURROUNDING = string.punctuation.replace("%", "") + "“”‘’«»…"


def hosts_in(text: str) -> set[str]:
    """The normalized hosts of every word of `text` that reads as a domain (has a dot)."""
    found = set()
    for word in set(text.split()):
        if word.isascii() and "." not in word and "%" not in word:
            continue  # cannot become a dotted host: the only ASCII dot is ".", or "%2E"
        candidate = host(word.strip(_SURROUNDING))
        if "." in candidate:
            found.add(candidate)
    return found
