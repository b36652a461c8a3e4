"""Moderators in the admin: their group's permissions, the queue, actions and one-click buttons."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.test import Client

from articles.models import Article
from comments.models import BlocklistEntry, Comment
from comments.services import refresh_comment_counts
from tests.comments_helpers import form_data, make_comment, make_moderator, post_url
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status
CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def moderator_client():
    browser = Client()
    browser.force_login(make_moderator())
    return browser


def moderate_url(comment, decision):
    return f"{CHANGELIST}{comment.pk}/moderate/{decision}/"


def run_action(browser, action, comments):
    """A bulk action from the queue filtered to "All" (actions apply to the list shown)."""
    return browser.post(
        f"{CHANGELIST}?status=all",
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in comments]},
        follow=True,
    )


def test_whole_loop_post_held_approved_by_a_moderator_then_visible(
    client, article, moderator_client
):
    client.post(post_url(article), form_data(body="My first comment"))
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    assert "My first comment" not in Client().get(article.get_absolute_url()).content.decode()

    queue = moderator_client.get(CHANGELIST).content.decode()
    assert "My first comment" in queue and "First-time commenter" in queue
    run_action(moderator_client, "approve", [comment])

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.moderated_by.username == "mod"
    assert Article.objects.get(pk=article.pk).comment_count == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert "My first comment" in page and "1 comment" in page

    # Now trusted: the next comment from that address is published at once.
    client.post(post_url(article), form_data(body="Second one"))
    assert Comment.objects.latest().status == Status.APPROVED
    assert Article.objects.get(pk=article.pk).comment_count == 2


def test_moderators_group_has_exactly_the_moderation_permissions():
    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )
    assert codenames == {
        "view_comment",
        "moderate_comment",
        "view_blocklistentry",
        "add_blocklistentry",
        "change_blocklistentry",
        "delete_blocklistentry",
    }


@pytest.mark.parametrize(
    "url",
    [
        "/admin/comments/comment/",
        "/admin/comments/blocklistentry/",
        "/admin/comments/blocklistentry/add/",
    ],
)
def test_moderator_may_open_the_moderation_pages(moderator_client, url):
    assert moderator_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/articles/tag/",
        "/admin/auth/user/",
        "/admin/auth/group/",
    ],
)
def test_moderator_gets_403_outside_moderation(moderator_client, url):
    make_article()
    assert moderator_client.get(url).status_code == 403


def test_moderator_cannot_edit_a_comment_or_change_an_article(moderator_client, article):
    comment = make_comment(article, body="Original")
    moderator_client.post(
        f"{CHANGELIST}{comment.pk}/change/", {"body": "Rewritten", "status": "approved"}
    )
    comment.refresh_from_db()
    assert comment.body == "Original"
    response = moderator_client.post(
        f"/admin/articles/article/{article.pk}/change/", {"title": "Hacked"}
    )
    assert response.status_code == 403


def test_moderator_manages_the_blocklist(moderator_client):
    response = moderator_client.post(
        "/admin/comments/blocklistentry/add/", {"kind": "domain", "value": "WWW.Spam.example"}
    )
    assert response.status_code == 302
    assert BlocklistEntry.objects.get().value == "spam.example"


def test_staff_without_the_group_cannot_moderate(article):
    comment = make_comment(article, status=Status.PENDING)
    browser = Client()
    browser.force_login(make_user("staff", is_staff=True))
    assert browser.get(CHANGELIST).status_code == 403
    assert browser.post(moderate_url(comment, "approve")).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_viewer_without_moderate_permission_sees_no_actions_and_buttons_refuse(article):
    comment = make_comment(article, status=Status.PENDING)
    viewer = make_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    browser = Client()
    browser.force_login(viewer)

    page = browser.get(CHANGELIST).content.decode()
    assert "approve_and_trust" not in page and "formaction" not in page
    assert browser.post(moderate_url(comment, "approve")).status_code == 403
    run_action(browser, "approve", [comment])
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_queue_lists_pending_first_with_reason_and_filters(moderator_client, article):
    make_comment(article, body="approved one")
    make_comment(
        article,
        status=Status.SPAM,
        reason="blocklisted",
        body="spammy one",
        reason_detail='Blocklisted term "casino"',
    )
    make_comment(article, status=Status.PENDING, reason="first-time", body="waiting one")

    page = moderator_client.get(f"{CHANGELIST}?status=all").content.decode()
    assert page.index("waiting one") < page.index("spammy one")
    assert page.index("waiting one") < page.index("approved one")
    assert "Blocklisted term or domain: Blocklisted term &quot;casino&quot;" in page

    filtered = moderator_client.get(f"{CHANGELIST}?status=all&reason__exact=blocklisted")
    filtered = filtered.content.decode()
    assert "spammy one" in filtered and "waiting one" not in filtered
    searched = moderator_client.get(f"{CHANGELIST}?q=waiting").content.decode()
    assert "waiting one" in searched and "spammy one" not in searched
    by_article = moderator_client.get(f"{CHANGELIST}?article__id__exact={article.pk}")
    assert by_article.status_code == 200


@pytest.mark.parametrize(
    "decision,status",
    [("approve", "approved"), ("trust", "approved"), ("spam", "spam"), ("remove", "removed")],
)
def test_one_click_buttons_post_and_recount(moderator_client, article, decision, status):
    comment = make_comment(article, status=Status.PENDING)
    assert f'formaction="{moderate_url(comment, decision)}"' in (
        moderator_client.get(CHANGELIST).content.decode()
    )
    assert moderator_client.get(moderate_url(comment, decision)).status_code == 405

    response = moderator_client.post(moderate_url(comment, decision), HTTP_REFERER=CHANGELIST)

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderated_at is not None
    expected = 1 if status == Status.APPROVED else 0
    assert Article.objects.get(pk=article.pk).comment_count == expected


def test_one_click_trust_approves_the_commenters_other_held_comments(moderator_client, article):
    first = make_comment(article, status=Status.PENDING, email="kim@example.com")
    second = make_comment(article, status=Status.PENDING, email="KIM@example.com")
    stranger = make_comment(article, status=Status.PENDING, email="other@example.com")
    moderator_client.post(moderate_url(first, "trust"), HTTP_REFERER=CHANGELIST)
    statuses = {c.pk: c.status for c in Comment.objects.all()}
    assert statuses == {first.pk: "approved", second.pk: "approved", stranger.pk: "pending"}
    assert Article.objects.get(pk=article.pk).comment_count == 2


def test_one_click_rejects_unknown_decisions_and_comments(moderator_client, article):
    comment = make_comment(article, status=Status.PENDING)
    assert moderator_client.post(moderate_url(comment, "delete")).status_code == 404
    assert moderator_client.post(f"{CHANGELIST}999999/moderate/approve/").status_code == 404
    # A non-numeric id falls through to the admin's "object not found" redirect.
    assert moderator_client.post(f"{CHANGELIST}abc/moderate/approve/").status_code == 302


def test_one_click_requires_csrf(article):
    comment = make_comment(article, status=Status.PENDING)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_moderator())
    assert browser.post(moderate_url(comment, "approve")).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_bulk_actions_update_counts_of_every_article(moderator_client):
    first, second = make_article(slug="first"), make_article(slug="second")
    comments = [make_comment(a, status=Status.PENDING) for a in (first, second, second)]

    run_action(moderator_client, "approve", comments)
    assert [Article.objects.get(pk=a.pk).comment_count for a in (first, second)] == [1, 2]

    run_action(moderator_client, "mark_spam", comments[1:])
    assert Article.objects.get(pk=second.pk).comment_count == 0
    run_action(moderator_client, "remove", comments[:1])
    assert Article.objects.get(pk=first.pk).comment_count == 0


def test_removing_a_comment_hides_and_uncounts_its_replies(moderator_client, article):
    top = make_comment(article)
    make_comment(article, parent=top)
    run_action(moderator_client, "approve", [make_comment(article, status=Status.PENDING)])
    assert Article.objects.get(pk=article.pk).comment_count == 3
    run_action(moderator_client, "remove", [top])
    assert Article.objects.get(pk=article.pk).comment_count == 1


def test_approve_and_trust_approves_the_commenters_other_held_comments(moderator_client, article):
    chosen = make_comment(article, status=Status.PENDING, email="new@example.com")
    other = make_comment(article, status=Status.PENDING, email="new@example.com")
    spam = make_comment(article, status=Status.SPAM, email="new@example.com")
    stranger = make_comment(article, status=Status.PENDING, email="else@example.com")

    run_action(moderator_client, "approve_and_trust", [chosen])

    statuses = {c.pk: c.status for c in Comment.objects.all()}
    assert statuses[chosen.pk] == statuses[other.pk] == Status.APPROVED
    assert statuses[spam.pk] == Status.SPAM
    assert statuses[stranger.pk] == Status.PENDING
    assert Article.objects.get(pk=article.pk).comment_count == 2


def test_deleting_for_good_recounts(article):
    comment = make_comment(article)
    refresh_comment_counts(article_ids=[article.pk])
    assert Article.objects.get(pk=article.pk).comment_count == 1
    superuser = Client()
    superuser.force_login(make_user("root", is_staff=True, is_superuser=True))

    superuser.post(
        f"{CHANGELIST}?status=all",
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [comment.pk], "post": "yes"},
    )

    assert not Comment.objects.exists()
    assert Article.objects.get(pk=article.pk).comment_count == 0


def test_admin_index_shows_how_many_comments_wait(moderator_client, article):
    for _ in range(3):
        make_comment(article, status=Status.PENDING)
    make_comment(article)
    page = moderator_client.get("/admin/").content.decode()
    assert "3 comments waiting for moderation" in page
    assert f'href="{CHANGELIST}"' in page  # the queue opens on Pending

    other_staff = Client()
    other_staff.force_login(make_user("editor", is_staff=True))
    assert "waiting for moderation" not in other_staff.get("/admin/").content.decode()


def test_queue_opens_on_pending_and_all_is_one_click_away(moderator_client, article):
    make_comment(article, body="approved one")
    make_comment(article, status=Status.PENDING, body="waiting one")

    page = moderator_client.get(CHANGELIST).content.decode()
    assert "waiting one" in page and "approved one" not in page
    assert re.search(r'<li class="selected">\s*<a href="\?status=pending"', page)
    assert 'href="?status=all"' in page

    everything = moderator_client.get(f"{CHANGELIST}?status=all").content.decode()
    assert "waiting one" in everything and "approved one" in everything
    approved = moderator_client.get(f"{CHANGELIST}?status=approved").content.decode()
    assert "approved one" in approved and "waiting one" not in approved
    counted = moderator_client.get(f"{CHANGELIST}?_facets=True").content.decode()
    assert "Pending (1)" in counted and "All (2)" in counted


def test_unknown_status_filter_is_answered_not_a_500(moderator_client):
    response = moderator_client.get(f"{CHANGELIST}?status=bogus")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_queue_rows_have_styled_buttons_excerpt_full_text_and_context_link(
    moderator_client, article
):
    long_text = "Word " * 100 + "THE-END"
    comment = make_comment(article, status=Status.PENDING, body=long_text)
    page = moderator_client.get(CHANGELIST).content.decode()

    buttons = re.findall(
        r'<button type="submit" class="button ([\w-]+)" formaction="([^"]+)"', page
    )
    assert buttons == [
        ("moderation-button--primary", moderate_url(comment, "approve")),
        ("moderation-button--secondary", moderate_url(comment, "trust")),
        ("moderation-button--danger", moderate_url(comment, "spam")),
        ("moderation-button--danger", moderate_url(comment, "remove")),
    ]
    excerpt = re.search(r'<div class="moderation-excerpt">(.*?)</div>', page, re.S).group(1)
    assert 250 <= len(excerpt) <= 285 and "THE-END" not in excerpt
    assert re.search(r"<details class=\"moderation-full\"><summary>Full text</summary>", page)
    assert "THE-END" in page
    assert f'href="/comments/{comment.pk}/"' in page  # view in context
    assert f"/admin/articles/article/{article.pk}/" not in page
    assert "css/admin.css" in page
    assert "style=" not in re.search(r'<table id="result_list".*?</table>', page, re.S).group(0)


def test_bulk_approval_sends_one_digest_per_author(
    moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    writer = make_user("writer", email="writer@newsroom.example")
    other = make_user("other", email="other@newsroom.example")
    first, second = make_article(slug="one", author=writer), make_article(slug="two", author=writer)
    solo = make_article(slug="three", author=other)
    held = [
        make_comment(first, status=Status.PENDING, body="On the first"),
        make_comment(second, status=Status.PENDING, body="On the second"),
        make_comment(second, status=Status.PENDING, body="Another on the second"),
        make_comment(solo, status=Status.PENDING, body="Only one for other"),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        run_action(moderator_client, "approve", held)

    by_recipient = {tuple(email.to): email for email in mailoutbox}
    assert sorted(by_recipient) == [("other@newsroom.example",), ("writer@newsroom.example",)]
    digest = by_recipient[("writer@newsroom.example",)]
    assert digest.subject.endswith("3 new comments on your articles")
    for comment in held[:3]:
        assert comment.body in digest.body
        assert f"http://testserver/comments/{comment.pk}/" in digest.body
    single = by_recipient[("other@newsroom.example",)]
    assert "Only one for other" in single.body
    assert f"/articles/three/#comment-{held[3].pk}" in single.body
