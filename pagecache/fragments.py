"""Live fragments: parts of a cached page that are filled in again each time it is served.

A fragment is written into the page as `<!--live:NAME:KEY-->HTML<!--/live-->`. Reader-supplied text
cannot forge one: article bodies pass through nh3, which drops comments, and everything else is
escaped.
"""

import re
from collections import defaultdict

from django.utils.safestring import SafeString, mark_safe

from . import registry

MARKER = re.compile(rb"<!--live:([a-z0-9-]+):([^>]*?)-->(.*?)<!--/live-->", re.DOTALL)


def wrap(name: str, key, value) -> SafeString:
    html = registry.fragments[name].render(value)
    return mark_safe(f"<!--live:{name}:{key}-->{html}<!--/live-->")


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
        html = registry.fragments[name].render(values[name][key])
        return b"<!--live:%s:%s-->%s<!--/live-->" % (match[1], match[2], html.encode())

    return MARKER.sub(refill, body)
