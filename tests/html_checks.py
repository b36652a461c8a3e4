"""What a strict Content-Security-Policy would block, found in a page: inline code of any kind.

Used by the header tests (our templates carry none) and the property-based tests (hostile input
never turns into any).
"""

from html.parser import HTMLParser

# Data blocks, not scripts: browsers never run them, so a CSP without 'unsafe-inline' allows them
# (json_script output, JSON-LD for search engines).
DATA_BLOCKS = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") not in DATA_BLOCKS:
            self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and (
                (value or "").strip().lower().startswith("javascript:")
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def inline_code(html: str) -> list[str]:
    """Every inline script, style element, style or event attribute and javascript: URL."""
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found
