"""Hypothesis strategies for hostile input, shared by the property-based tests (test_fuzz_*.py)."""

from hypothesis import strategies as st

# Known-bad values, tried alongside random text: markup and script injection, template syntax, SQL,
# NUL and control characters, bidirectional overrides, header splitting, paths, huge numbers.
PAYLOADS = [
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "<style>body{display:none}</style>",
    '<p style="color:red">x</p>',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "' OR 1=1 --",
    "'; DROP TABLE comments_comment; --",
    "\x00",
    "nul\x00inside",
    "\u202egnp.exe",
    "\r\nSet-Cookie: stolen=1",
    "../../../../etc/passwd",
    "%00",
    "%2e%2e%2f",
    "http://spam.example/offer",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    " ",
    "",
]

# Lone surrogates cannot be encoded by any client (the test client would fail, not the site).
CHARACTERS = st.characters(exclude_categories=("Cs",))


def hostile_text(max_size: int = 200):
    """Random text, a known payload, or a payload wrapped in random text."""
    random_text = st.text(CHARACTERS, max_size=max_size)
    payload = st.sampled_from(PAYLOADS)
    wrapped = st.builds(
        lambda before, middle, after: before + middle + after,
        st.text(CHARACTERS, max_size=20),
        payload,
        st.text(CHARACTERS, max_size=20),
    )
    return st.one_of(random_text, payload, wrapped)


def form_fields(names, *, max_size: int = 200):
    """A dict with any subset of `names` set to hostile text, plus a few unexpected fields."""
    known = st.fixed_dictionaries({}, optional={name: hostile_text(max_size) for name in names})
    unexpected = st.dictionaries(
        st.text(CHARACTERS, min_size=1, max_size=10), hostile_text(40), max_size=2
    )
    return st.builds(lambda extra, fields: {**extra, **fields}, unexpected, known)
