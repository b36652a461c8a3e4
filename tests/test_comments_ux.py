"""What a commenter sees: the error flow, their own held comments, times, field attributes."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.authorship import MINE_COOKIE
from comments.models import Comment
from comments.services import refresh_comment_counts
from tests.comments_helpers import form_data, make_comment, make_moderator, post_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


def comment_block(html, comment):
    """(class attribute, whole element) of the comment's <article> in the page."""
    match = re.search(rf'<article class="([^"]*)" id="{comment.anchor}">.*?</article>', html, re.S)
    assert match, f"{comment.anchor} not shown"
    return match.group(1), match.group(0)


def tag_of(html, element_id):
    """The opening tag of the element with `element_id`."""
    match = re.search(rf'<[a-z]+[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no element #{element_id}"
    return match.group(0)


def test_failed_post_answers_with_the_form_in_view_and_a_focused_summary(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    # The answer opens at the form's error summary: a focusable fragment target takes the focus.
    assert f'action="{post_url(article)}#error-summary"' in page

    response = client.post(
        post_url(article), form_data(article, name="", email="grace@", body="Kept")
    )

    assert response.status_code == 422
    html = response.content.decode()
    summary = tag_of(html, "error-summary")
    assert "autofocus" in summary and 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert html.count("autofocus") == 1  # nothing else competes for the focus
    listed = re.search(r'id="error-summary".*?</div>', html, re.S).group(0)
    assert re.findall(r'href="#(id_\w+)"', listed) == ["id_name", "id_email"]
    assert "Name: This field is required." in listed
    assert "Please fix these 2 problems" in listed
    for field in ("id_name", "id_email"):
        assert 'aria-invalid="true"' in tag_of(html, field)
    assert 'aria-invalid="true"' not in tag_of(html, "id_body")
    assert ">\nKept</textarea>" in html
    assert f'action="{post_url(article)}#error-summary"' in html
    assert html.index('id="comment-form"') < html.index('id="error-summary"')  # inside the form


def test_hidden_field_errors_are_listed_without_a_link(client, article):
    response = client.post(post_url(article), form_data(article, issued="tampered"))
    listed = re.search(r'id="error-summary".*?</div>', response.content.decode(), re.S).group(0)
    assert "Please fix this problem" in listed
    assert "send it again" in listed
    assert "href=" not in listed


def test_a_page_without_errors_has_no_summary_and_no_autofocus(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="error-summary"' not in html
    assert "autofocus" not in html


def test_name_and_email_autocomplete_labels_without_colons_and_a_formatting_hint(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'autocomplete="name"' in tag_of(html, "id_name")
    assert 'autocomplete="email"' in tag_of(html, "id_email")
    assert re.search(r'<label for="id_name">Name</label>', html)
    assert re.search(r'<label for="id_body">Comment</label>', html)
    assert ":</label>" not in html
    assert "web addresses become links; HTML and Markdown are shown as typed" in html


def test_own_held_comment_is_shown_in_place_to_its_writer_only(client, article):
    make_comment(article, name="Earlier Reader", body="First!")
    refresh_comment_counts(article_ids=[article.pk])
    client.post(post_url(article), form_data(article, body="My held words"))
    held = Comment.objects.get(body="My held words")
    assert held.status == Comment.Status.PENDING

    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="{held.anchor}"' in html
    classes, block = comment_block(html, held)
    assert "comment--held" in classes
    assert "Awaiting moderation" in block
    assert reverse("comments:edit", args=[held.pk]) in block
    assert reverse("comments:withdraw", args=[held.pk]) in block
    assert "reply_to=" not in block  # nobody can answer a held comment
    assert html.index("First!") < html.index("My held words")  # in place, in time order
    assert ">1 comment</h2>" in html  # the count stays the public one

    stranger = Client().get(article.get_absolute_url()).content.decode()
    assert "My held words" not in stranger
    assert "Awaiting moderation" not in stranger

    forged = Client()
    forged.cookies[MINE_COOKIE] = str(held.pk)  # unsigned: not this browser's
    assert "My held words" not in forged.get(article.get_absolute_url()).content.decode()


def test_own_held_comment_stays_visible_after_the_edit_window_without_links(client, article):
    client.post(post_url(article), form_data(article, body="Still waiting"))
    held = Comment.objects.get()
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        html = client.get(article.get_absolute_url()).content.decode()
    assert "Still waiting" in html and "Awaiting moderation" in html
    assert reverse("comments:edit", args=[held.pk]) not in html


def test_own_approved_comment_offers_edit_and_withdraw(client, article):
    make_comment(article, email="grace@example.com")
    client.post(post_url(article), form_data(article, body="Trusted words"))
    mine = Comment.objects.get(body="Trusted words")
    assert mine.status == Comment.Status.APPROVED
    html = client.get(article.get_absolute_url()).content.decode()
    assert reverse("comments:edit", args=[mine.pk]) in html
    assert "Awaiting moderation" not in html
    assert (
        reverse("comments:edit", args=[mine.pk])
        not in Client().get(article.get_absolute_url()).content.decode()
    )


def test_moderators_see_every_held_comment_highlighted_in_place(client, article):
    held = make_comment(article, status=Comment.Status.PENDING, body="Held for review")
    client.force_login(make_moderator())
    html = client.get(article.get_absolute_url()).content.decode()
    classes, block = comment_block(html, held)
    assert "comment--held" in classes
    assert reverse("admin:comments_comment_change", args=[held.pk]) in block
    assert reverse("admin:articles_article_change", args=[article.pk]) not in html


def test_comment_times_are_relative_with_the_exact_time_in_the_title(client, article):
    with time_machine.travel(timezone.now() - timedelta(hours=2), tick=False):
        comment = make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    time_tag = re.search(rf'id="{comment.anchor}".*?(<time [^>]*>)(.*?)</time>', html, re.S)
    assert f'datetime="{comment.created_at.isoformat()}"' in time_tag.group(1)
    assert 'title="' in time_tag.group(1)
    assert time_tag.group(2).replace("\xa0", " ") == "2 hours ago"


@pytest.mark.parametrize("viewer", ["moderator", "writer"])
def test_in_context_link_finds_held_comments_for_those_who_see_them(client, article, viewer):
    for number in range(3):
        make_comment(article, body=f"Visible {number}")
    if viewer == "moderator":
        held = make_comment(article, status=Comment.Status.PENDING)
        client.force_login(make_moderator())
    else:
        client.post(post_url(article), form_data(article))
        held = Comment.objects.get(status=Comment.Status.PENDING)
    url = reverse("comments:in-context", args=[held.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#{held.anchor}"
    assert Client().get(url).status_code == 404


def test_in_context_link_points_at_the_page_of_the_comment(client, article, settings):
    settings.COMMENTS_PER_PAGE = 2
    comments = [make_comment(article, body=f"Number {n}") for n in range(5)]
    response = client.get(reverse("comments:in-context", args=[comments[4].pk]))
    assert response["Location"] == f"{article.get_absolute_url()}?comments=3#{comments[4].anchor}"


def test_showing_the_writers_held_comments_costs_no_extra_query(
    client, article, django_assert_num_queries
):
    """The held comments join the thread's own queries (a condition on the ids in the cookie): the
    page costs what any article page with a thread costs (tests/test_comments_thread.py)."""
    for number in range(3):
        make_comment(article, body=f"Visible {number}")
    client.post(post_url(article), form_data(article, body="Mine, held"))
    with django_assert_num_queries(9):
        html = client.get(article.get_absolute_url()).content.decode()
    assert "Mine, held" in html
