"""The thread on the article page: what readers see, escaping, pagination and its query count."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.services import refresh_comment_counts
from comments.thread import comment_url
from tests.comments_helpers import make_comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db
Status = Comment.Status


def make_thread(article, *, top_level, replies_each):
    """`top_level` approved comments a minute apart, each with `replies_each` approved replies."""
    start = timezone.now() - timedelta(days=1)
    tops = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Reader {i}",
            email=f"r{i}@example.com",
            body=f"Comment number {i}",
            body_html=f"Comment number {i}",
            status=Status.APPROVED,
            reason=Comment.Reason.TRUSTED,
            created_at=start + timedelta(minutes=i),
        )
        for i in range(top_level)
    )
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=top,
            name="Replier",
            email="replier@example.com",
            body=f"Reply {j} to {top.pk}",
            body_html=f"Reply {j} to {top.pk}",
            status=Status.APPROVED,
            reason=Comment.Reason.TRUSTED,
            created_at=top.created_at + timedelta(seconds=j + 1),
        )
        for top in tops
        for j in range(replies_each)
    )
    refresh_comment_counts(article_ids=[article.pk])
    return tops


def test_only_approved_comments_are_shown_oldest_first_with_replies(client):
    article = make_article()
    first = make_comment(article, body="First!", created_at=timezone.now() - timedelta(hours=2))
    second = make_comment(article, body="Second", created_at=timezone.now() - timedelta(hours=1))
    make_comment(article, parent=first, body="A reply")
    for status in (Status.PENDING, Status.SPAM, Status.REMOVED):
        make_comment(article, status=status, body=f"Invisible {status}")
    removed = make_comment(article, status=Status.REMOVED, body="removed parent")
    make_comment(article, parent=removed, body="orphaned reply")
    refresh_comment_counts(article_ids=[article.pk])

    page = client.get(article.get_absolute_url()).content.decode()

    assert page.index("First!") < page.index("A reply") < page.index("Second")
    assert "Invisible" not in page
    assert "orphaned reply" not in page
    assert f'id="comment-{first.pk}"' in page and f'id="comment-{second.pk}"' in page
    assert "3 comments" in page


def test_comment_shows_name_date_initials_avatar_and_never_the_email(client):
    article = make_article()
    comment = make_comment(article, name="ada lovelace", email="secret@example.com")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'aria-hidden="true">AL</span>' in page
    assert f"avatar--{comment.avatar_color}" in page
    assert f'datetime="{comment.created_at.isoformat()}"' in page
    assert "secret@example.com" not in page


def test_avatar_color_depends_on_the_name_only():
    article = make_article()
    one = make_comment(article, name="Ada", email="a@example.com")
    two = make_comment(article, name="Ada", email="b@example.com")
    assert one.avatar_color == two.avatar_color
    assert {make_comment(article, name=f"N{i}").avatar_color for i in range(40)} == set(range(8))


class ElementCollector(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.scripts = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag == "script":
            self.scripts.extend(attrs[:1])


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "<a href='javascript:alert(1)'>x</a> javascript:alert(1)",
        'http://ok.example/"onmouseover="alert(1)',
        "<svg onload=alert(1)>",
    ],
)
def test_xss_payloads_in_name_and_body_are_escaped(client, payload):
    article = make_article()
    make_comment(article, name=payload[:80], body=payload)
    page = client.get(article.get_absolute_url()).content.decode()
    elements = ElementCollector()
    elements.feed(page)
    assert not {"img", "svg"} & set(elements.tags)
    # The only scripts are the site's own: static files and the JSON-LD data block.
    assert elements.scripts == [
        ("src", "/static/js/navigation.js"),
        ("type", "application/ld+json"),
        ("src", "/static/js/share.js"),
    ]
    assert not [name for name, _ in elements.attributes if name.startswith("on")]
    assert not [v for _, v in elements.attributes if v and v.strip().startswith("javascript")]


def test_text_keeps_line_breaks_and_links_get_nofollow_ugc(client):
    article = make_article()
    make_comment(article, body="line one\nline two https://example.org/x?a=1&b=2")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "line one<br>line two" in page
    assert '<a href="https://example.org/x?a=1&amp;b=2" rel="nofollow ugc noopener">' in page


def test_threads_are_paginated_and_bad_page_numbers_never_fail(client, settings):
    settings.COMMENTS_PER_PAGE = 5
    article = make_article()
    tops = make_thread(article, top_level=12, replies_each=1)
    url = article.get_absolute_url()

    first = client.get(url).content.decode()
    assert "Comment number 0<" in first and "Comment number 5<" not in first
    assert "Comments page 1 of 3" in first
    assert "?comments=2#comments" in first

    last = client.get(f"{url}?comments=3").content.decode()
    assert "Comment number 11<" in last and f"Reply 0 to {tops[11].pk}" in last

    for bad in ("abc", "0", "-1", "999", "1e5", "99999999999999999999999"):
        response = client.get(f"{url}?comments={bad}")
        assert response.status_code == 200


def test_comment_url_points_at_the_page_holding_the_comment(settings):
    settings.COMMENTS_PER_PAGE = 5
    article = make_article()
    tops = make_thread(article, top_level=12, replies_each=1)
    reply = tops[7].replies.get()
    assert comment_url(tops[0]) == f"{article.get_absolute_url()}#comment-{tops[0].pk}"
    assert comment_url(tops[7]) == f"{article.get_absolute_url()}?comments=2#comment-{tops[7].pk}"
    assert comment_url(reply) == f"{article.get_absolute_url()}?comments=2#comment-{reply.pk}"


def test_article_page_query_count_does_not_grow_with_comments(client, django_assert_num_queries):
    """2 for the article (+ tags), 1 for "most read this week", 2 for previous and next, 3 for the
    thread (count, page, all replies of the page), and 1 for the header's tags while their cache
    is cold (the first request)."""
    small = make_article(slug="small")
    make_thread(small, top_level=1, replies_each=0)
    big = make_article(slug="big")
    make_thread(big, top_level=260, replies_each=3)
    empty = make_article(slug="empty")

    with django_assert_num_queries(9):
        client.get(small.get_absolute_url())
    # "Most read this week" is remembered after the first page (articles.aggregates).
    with django_assert_num_queries(7):
        response = client.get(big.get_absolute_url())
    assert response.content.decode().count('class="comment"') == 50 * 4
    with django_assert_num_queries(7):
        client.get(f"{big.get_absolute_url()}?comments=6")
    # An empty thread skips the page and replies queries.
    with django_assert_num_queries(5):
        client.get(empty.get_absolute_url())
