"""Live fragments: parts of a cached page that are filled in again each time it is served.

A fragment is written into the page as `<!--live:NAME:KEY=VALUE-->HTML<!--/live-->`; at serve time
only fragments whose value changed are rendered again. Reader-supplied text
cannot forge one: article bodies pass through nh3, which drops comments, and everything else is
escaped.
"""

import re
from collections import defaultdict

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import registry

MARKER = re.compile(rb"<!--live:([a-z0-9-]+):([^=>]*)=([^>]*?)-->(.*?)<!--/live-->", re.DOTALL)


def _marked(name: str, key, value, html: str) -> str:
    return f"<!--live:{name}:{key}={_value_text(value)}-->{html}<!--/live-->"


def _value_text(value) -> str:
    return str(value) if isinstance(value, int) else escape(str(value))


def wrap(name: str, key, value) -> SafeString:
    return mark_safe(_marked(name, key, value, registry.fragments[name].render(value)))


def fill_live_fragments(request, body: bytes) -> bytes:
    """Re-render every live fragment in `body` with current values: one load per fragment kind."""
    wanted = defaultdict(set)
    for match in MARKER.finditer(body):
        wanted[match[1].decode()].add(match[2].decode())
    if not wanted:
        return body
    values = {
        name: registry.fragments[name].load(request, sorted(keys))
        for name, keys in wanted.items()
        if name in registry.fragments
    }

    def refill(match):
        name, key = match[1].decode(), match[2].decode()
        if key not in values.get(name, {}):
            return match[0]
        value = values[name][key]
        if _value_text(value).encode() == match[3]:
            return match[0]
        html = registry.fragments[name].render(value)
        return _marked(name, key, value, html).encode()

    return MARKER.sub(refill, body)
