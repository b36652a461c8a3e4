"""The moderation policy, rule by rule, as a pure function — and the context it is given."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from comments import moderation
from comments.models import BlocklistEntry, Comment
from comments.moderation import PolicyContext, Submission, accepting_comments, decide
from tests.comments_helpers import make_comment
from tests.factories import make_article

Status = Comment.Status
Reason = Comment.Reason

CONTEXT = PolicyContext(
    mode="trusted",
    max_links=2,
    min_submit_seconds=3,
    blocked_terms=("cheap pills", "casino"),
    blocked_domains=("spam.example",),
    email_trusted=False,
)
SUBMISSION = Submission(
    name="Grace", email="grace@example.com", body="Good point.", seconds_to_submit=60
)


def test_first_time_commenter_waits():
    decision = decide(SUBMISSION, CONTEXT)
    assert (decision.status, decision.reason) == (Status.PENDING, Reason.FIRST_TIME)


def test_commenter_with_an_approved_comment_is_approved():
    decision = decide(SUBMISSION, replace(CONTEXT, email_trusted=True))
    assert (decision.status, decision.reason) == (Status.APPROVED, Reason.TRUSTED)


def test_honeypot_hit_is_dropped():
    decision = decide(replace(SUBMISSION, honeypot="http://bot.example"), CONTEXT)
    assert decision.dropped
    assert decision.status is None


def test_too_fast_is_held_with_the_time_in_the_reason():
    decision = decide(replace(SUBMISSION, seconds_to_submit=1.2), replace(CONTEXT, mode="none"))
    assert (decision.status, decision.reason) == (Status.PENDING, Reason.TOO_FAST)
    assert "1.2 s" in decision.detail


def test_edits_have_no_timing_rule():
    decision = decide(replace(SUBMISSION, seconds_to_submit=None), replace(CONTEXT, mode="none"))
    assert decision.status == Status.APPROVED


def test_too_many_links_is_held_even_for_trusted_commenters():
    body = "See http://a.example, http://b.example and www.c.org"
    decision = decide(replace(SUBMISSION, body=body), replace(CONTEXT, email_trusted=True))
    assert (decision.status, decision.reason) == (Status.PENDING, Reason.TOO_MANY_LINKS)
    assert decision.detail == "3 links (limit 2)"


def test_links_up_to_the_limit_are_fine():
    body = "See http://a.example and http://b.example"
    decision = decide(replace(SUBMISSION, body=body), replace(CONTEXT, email_trusted=True))
    assert decision.status == Status.APPROVED


@pytest.mark.parametrize(
    "field,value",
    [
        ("body", "Buy CHEAP pills today"),
        ("body", "best Casino!"),
        ("name", "casino king"),
        ("email", "casino@example.com"),
    ],
)
def test_blocklisted_term_anywhere_is_spam(field, value):
    decision = decide(replace(SUBMISSION, **{field: value}), replace(CONTEXT, email_trusted=True))
    assert (decision.status, decision.reason) == (Status.SPAM, Reason.BLOCKLISTED)
    assert "Blocklisted term" in decision.detail


def test_terms_match_whole_words_only():
    decision = decide(replace(SUBMISSION, body="The casinos of Monaco"), CONTEXT)
    assert decision.status == Status.PENDING


@pytest.mark.parametrize(
    "field,value",
    [
        ("body", "visit http://spam.example/offer"),
        ("body", "visit https://www.shop.spam.example"),
        ("body", "write to deals@spam.example"),
        ("body", "just type spam.example in your browser"),
        ("email", "me@spam.example"),
        ("name", "spam.example"),
    ],
)
def test_blocklisted_domain_in_links_email_or_text_is_spam(field, value):
    decision = decide(replace(SUBMISSION, **{field: value}), replace(CONTEXT, email_trusted=True))
    assert (decision.status, decision.reason) == (Status.SPAM, Reason.BLOCKLISTED)
    assert decision.detail == 'Blocklisted domain "spam.example"'


def test_similar_domains_are_not_blocked():
    decision = decide(replace(SUBMISSION, body="http://notspam.example"), CONTEXT)
    assert decision.status == Status.PENDING


def test_spam_wins_over_every_other_rule():
    submission = replace(
        SUBMISSION, body="casino http://a.b http://c.d http://e.f", seconds_to_submit=0
    )
    assert decide(submission, replace(CONTEXT, mode="none")).status == Status.SPAM


def test_mode_all_holds_trusted_commenters():
    decision = decide(SUBMISSION, replace(CONTEXT, mode="all", email_trusted=True))
    assert (decision.status, decision.reason) == (Status.PENDING, Reason.MODERATE_ALL)


def test_mode_none_approves_first_timers_but_keeps_spam_rules():
    assert decide(SUBMISSION, replace(CONTEXT, mode="none")).reason == Reason.MODERATION_OFF
    spam = replace(SUBMISSION, body="casino")
    assert decide(spam, replace(CONTEXT, mode="none")).status == Status.SPAM


@pytest.mark.django_db
def test_context_reads_blocklist_and_trust_from_the_database(settings):
    article = make_article()
    BlocklistEntry.objects.create(kind="term", value="  Casino ")
    BlocklistEntry.objects.create(kind="domain", value="https://www.Spam.example/path")
    make_comment(article, email="ada@example.com", status=Status.APPROVED)
    make_comment(article, email="pending@example.com", status=Status.PENDING)

    context = moderation.context_for("ADA@example.com ")
    assert context.blocked_terms == ("casino",)
    assert context.blocked_domains == ("spam.example",)
    assert context.email_trusted
    assert not moderation.context_for("pending@example.com").email_trusted

    settings.COMMENTS_MODERATION = "bogus"
    with pytest.raises(ValueError):
        moderation.context_for("ada@example.com")


@pytest.mark.django_db
def test_blocklist_values_are_normalized_before_the_uniqueness_check():
    BlocklistEntry.objects.create(kind="term", value="casino")
    duplicate = BlocklistEntry(kind="term", value=" CASINO ")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(ValidationError):
        BlocklistEntry(kind="domain", value="not a domain").full_clean()


@pytest.mark.django_db
def test_accepting_comments_open_closed_and_closing_after_days(settings):
    now = timezone.now()
    article = make_article(published_at=now - timedelta(days=10))
    assert accepting_comments(article)

    settings.COMMENTS_CLOSE_AFTER_DAYS = 10
    assert not accepting_comments(article, now=now)
    assert accepting_comments(article, now=now - timedelta(minutes=1))

    settings.COMMENTS_CLOSE_AFTER_DAYS = None
    article.comments_open = False
    assert not accepting_comments(article)

    draft = make_article(slug="draft", status="draft")
    assert not accepting_comments(draft)
