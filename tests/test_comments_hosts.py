"""Link hosts are read as browsers read them, so look-alike spellings cannot dodge the blocklist.

`comments.text.normalize_host` percent-decodes, removes invisible characters (soft hyphen,
zero-width space, byte-order mark...), applies the IDNA/UTS 46 mapping (full-width letters and
ideographic full stops become ASCII, case is folded) and drops trailing dots and "www." labels.
Every link rule — blocklisted domains in links, in email addresses and in the text, and the
blocklist entries themselves — goes through it.
"""

from dataclasses import replace

import pytest

from comments.models import BlocklistEntry, Comment
from comments.moderation import PolicyContext, Submission, decide
from comments.text import host, hosts_in, normalize_host

CONTEXT = PolicyContext(
    mode="none",
    max_links=2,
    min_submit_seconds=3,
    blocked_terms=(),
    blocked_domains=("spam.example",),
    email_trusted=True,
)
SUBMISSION = Submission(name="Grace", email="grace@example.com", body="Hi.", seconds_to_submit=60)

LOOK_ALIKES = {
    "ideographic full stop": "http://spam\u3002example/offer",
    "full-width letter": "http://\uff53pam.example",
    "full-width everything": "http://\uff53\uff50\uff41\uff4d\uff0e\uff45\uff58\uff41\uff4d"
    "\uff50\uff4c\uff45/",
    "soft hyphen": "http://sp\u00adam.example/x",
    "zero-width space": "http://spam.exa\u200bmple",
    "byte-order mark": "http://\ufeffspam.example",
    "upper case and trailing dot": "http://WWW.SPAM.EXAMPLE./",
    "halfwidth full stop": "http://shop.spam\uff61example",
}


@pytest.mark.parametrize("address", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_look_alike_hosts_normalize_to_the_real_domain(address):
    assert host(address).removeprefix("shop.") == "spam.example"


@pytest.mark.parametrize("address", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_look_alike_links_are_caught_by_the_blocklist(address):
    decision = decide(replace(SUBMISSION, body=f"Great deals: {address} today"), CONTEXT)
    assert (decision.status, decision.reason) == (Comment.Status.SPAM, Comment.Reason.BLOCKLISTED)


@pytest.mark.parametrize(
    "field,value",
    [
        ("email", "me@\uff53pam.example"),
        ("body", "mail deals@sp\u00adam.example"),
        ("body", "type spam\u3002example into your browser"),
        ("body", "type spam%2Eexample into your browser"),
    ],
)
def test_look_alike_domains_in_emails_and_text_are_caught(field, value):
    decision = decide(replace(SUBMISSION, **{field: value}), CONTEXT)
    assert decision.status == Comment.Status.SPAM


@pytest.mark.parametrize(
    "raw,normalized",
    [
        ("spam%2Eexample", "spam.example"),
        ("sp%C2%ADam.example", "spam.example"),
        ("b\u00fccher.example", "b\u00fccher.example"),
        ("xn--bcher-kva.example", "b\u00fccher.example"),
        ("B\u00dcCHER.example", "b\u00fccher.example"),
        ("www.www.spam.example", "spam.example"),
        ("under_score.example", "under_score.example"),
    ],
)
def test_normalize_host(raw, normalized):
    assert normalize_host(raw) == normalized


def test_the_host_is_where_a_browser_would_go():
    assert host("http://user:pw@spam.example:8080/path?q#f") == "spam.example"
    assert host("http://good.example%5C@spam.example/") == "spam.example"
    assert host("mailto:someone@SPAM.example") == "spam.example"


def test_similar_domains_are_still_not_blocked():
    for body in ["http://notspam.example", "http://spam.examples.org", "spam-example.com"]:
        assert decide(replace(SUBMISSION, body=body), CONTEXT).status == Comment.Status.APPROVED


def test_hosts_written_in_text_are_found():
    assert hosts_in("see spam\u3002example, or www.other.example!") >= {
        "spam.example",
        "other.example",
    }


@pytest.mark.django_db
def test_blocklist_entries_are_stored_normalized():
    entry = BlocklistEntry.objects.create(kind="domain", value="https://\uff53pam\u3002example/")
    assert entry.value == "spam.example"
