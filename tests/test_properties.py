"""Property tests: random and hostile input against the renderers and the host reading.

Quick by default; `HYPOTHESIS_PROFILE=thorough make test` runs 2,000 examples per property.
"""

from html.parser import HTMLParser

from hypothesis import example, given
from hypothesis import strategies as st

from articles import markup
from comments import text

# Pieces that mean something to Markdown, HTML or URLs, to be combined at random.
MARKDOWN_PIECES = [
    *"[]()<>!*_`#-+.:\\ \n\t&;\"'=/|~^",
    "\n\n",
    "- ",
    "1. ",
    "> ",
    "    ",
    "```",
    "[x](",
    "](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<div style='x'>",
    "[^1]",
    "[^1]: note",
    "&#106;avascript:",
    "word",
]
markdown_text = st.one_of(
    st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=400).map("".join),
    st.text(max_size=2000),
)
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Tags(HTMLParser):
    """The tags and attributes a browser would build from an HTML fragment."""

    def __init__(self, fragment):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_harmless(fragment, allowed_tags=None):
    for tag, attrs in _Tags(fragment).tags:
        assert tag not in {"script", "iframe", "svg", "object", "embed", "style"}, fragment
        if allowed_tags is not None:
            assert tag in allowed_tags, fragment
        for name, value in attrs.items():
            assert not name.startswith("on"), fragment
            assert name != "style", fragment
            if name in {"href", "src"}:
                cleaned = "".join((value or "").split()).lower()
                assert not cleaned.startswith(SCRIPT_SCHEMES), fragment


@given(markdown_text)
@example("- " * 1000 + "x")
@example("[" * 8000 + "]" * 8000)
@example(">" * 1000 + " x")
def test_markdown_renders_safe_html_or_refuses_with_markup_error(body):
    try:
        html = markup.render_markdown(body)
    except markup.MarkupError:
        return
    assert_harmless(html)


@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=300).map("".join))
def test_comment_text_renders_only_links_and_line_breaks(body):
    assert_harmless(text.render(body), allowed_tags={"a", "br"})


host_text = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(
            [
                *"spamexample",
                ".",
                "\u3002",
                "\uff0e",
                "\uff61",
                "\u00ad",
                "\u200b",
                "\u200d",
                "\ufeff",
                "%",
                "%2E",
                "%C2%AD",
                "xn--",
                "-",
                "www.",
                "\uff53",
                "\u00df",
                "\u00fc",
                "\u0130",
                "_",
                ":",
                "@",
                "/",
            ]
        ),
        max_size=40,
    ).map("".join),
)


@given(host_text)
@example("www.www.spam.example")
@example("a%2541.example")
def test_normalize_host_is_idempotent(raw):
    once = text.normalize_host(raw)
    assert text.normalize_host(once) == once


@given(host_text)
def test_a_link_to_a_host_reads_as_that_host(raw):
    normalized = text.normalize_host(raw)
    if normalized and not set(normalized) & set("/?#\\@:"):
        assert text.host(f"http://{normalized}/path") == normalized


def _disguise(domain: str, choices: list[int]) -> str:
    """`domain` rewritten with tricks browsers undo: full-width letters, other full stops, invisible
    characters, upper case and percent-encoding, one trick per character as `choices` says."""
    tricks = [
        lambda char: char,
        lambda char: char.upper(),
        lambda char: chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char,
        lambda char: char + "\u00ad",
        lambda char: "\u200b" + char,
        lambda char: {".": "\u3002"}.get(char, char),
        lambda char: {".": "\uff61"}.get(char, char),
        lambda char: f"%{ord(char):02X}",
    ]
    return (
        "".join(
            tricks[choice % len(tricks)](char)
            for char, choice in zip(domain, choices, strict=False)
        )
        + domain[len(choices) :]
    )


domains = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12),
    min_size=2,
    max_size=4,
).map(".".join)


@given(domains, st.lists(st.integers(min_value=0, max_value=7), max_size=60))
def test_disguised_domains_read_as_the_domain(domain, choices):
    assert text.host(f"http://{_disguise(domain, choices)}/offer") == text.normalize_host(domain)
