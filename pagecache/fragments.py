"""Live fragments: parts of a cached page that are filled in again each time it is served.

A fragment is written into the page as `<!--live:NAME:KEY=VALUE-->HTML<!--/live-->`; at serve time
only fragments whose value changed are rendered again. The CSRF token of a form is a live part too:
each hit carries the visitor's own. Reader-supplied text cannot forge a fragment: article bodies
pass through nh3, which drops comments, and everything else is escaped.

Where the live parts are is found once, when a page is stored (`locate`), so a hit only slices the
stored body (`fill`) instead of searching it, and the stretches between live parts can be compressed
once too (`pagecache.compression`).
"""

import re
from collections import defaultdict
from typing import NamedTuple

from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import registry

MARKER = re.compile(rb"<!--live:([a-z0-9-]+):([^=>]*)=([^>]*?)-->(.*?)<!--/live-->", re.DOTALL)
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]*)"')
# The slot name of a CSRF token; fragment names are lowercase words, so it cannot clash.
CSRF = ""


class Slot(NamedTuple):
    """A live part of a stored body: `body[start:end]` is replaced at serve time."""

    start: int
    end: int
    name: str
    key: str
    value: bytes


def _marked(name: str, key, value, html: str) -> str:
    return f"<!--live:{name}:{key}={_value_text(value)}-->{html}<!--/live-->"


def _value_text(value) -> str:
    return str(value) if isinstance(value, int) else escape(str(value))


def wrap(name: str, key, value) -> SafeString:
    return mark_safe(_marked(name, key, value, registry.fragments[name].render(value)))


def locate(body: bytes) -> tuple[Slot, ...]:
    """Every live part of `body`, in order."""
    slots = [
        Slot(match.start(), match.end(), match[1].decode(), match[2].decode(), match[3])
        for match in MARKER.finditer(body)
    ]
    slots += [
        Slot(match.start(1), match.end(1), CSRF, "", b"") for match in CSRF_INPUT.finditer(body)
    ]
    return tuple(sorted(slots))


def stretches(body: bytes, slots: tuple[Slot, ...]) -> list[bytes]:
    """The parts of `body` around its live parts: one more than there are slots."""
    edges = [0, *(edge for slot in slots for edge in (slot.start, slot.end)), len(body)]
    return [body[edges[i] : edges[i + 1]] for i in range(0, len(edges), 2)]


def fill(request, body: bytes, slots: tuple[Slot, ...]) -> list[bytes]:
    """`body` with every live part current, as pieces to join: the stored stretches at even
    positions, live parts at odd ones. One load per fragment kind; the visitor's CSRF token."""
    if not slots:
        return [body]
    wanted = defaultdict(set)
    for slot in slots:
        if slot.name != CSRF:
            wanted[slot.name].add(slot.key)
    values = {
        name: registry.fragments[name].load(request, sorted(keys))
        for name, keys in wanted.items()
        if name in registry.fragments
    }

    def current(slot: Slot) -> bytes:
        if slot.name == CSRF:
            return get_token(request).encode()
        loaded = values.get(slot.name, {})
        if slot.key in loaded and _value_text(loaded[slot.key]).encode() != slot.value:
            value = loaded[slot.key]
            html = registry.fragments[slot.name].render(value)
            return _marked(slot.name, slot.key, value, html).encode()
        return body[slot.start : slot.end]

    *leading, last = stretches(body, slots)
    pieces = [piece for pair in zip(leading, map(current, slots), strict=True) for piece in pair]
    return [*pieces, last]
