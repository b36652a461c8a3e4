"""Page-cache hits are gzipped from stretches compressed once, when the page was stored."""

import gzip
import re

import pytest
from django.urls import reverse

from pagecache import compression
from tests.comments_helpers import form_data, post_url
from tests.factories import make_article

HOME = reverse("articles:list")
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}

pytestmark = pytest.mark.django_db


def hit(client, path, **headers):
    client.get(path, **headers)
    response = client.get(path, **headers)
    assert response["X-Page-Cache"] == "hit"
    return response


def test_a_gzip_hit_decodes_to_the_page_an_uncompressed_hit_sends(client):
    for number in range(3):
        make_article(slug=f"a-{number}", title=f"Article {number}")
    compressed = hit(client, HOME, **GZIP)
    plain = hit(client, HOME)
    assert compressed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content)
    assert "Accept-Encoding" in compressed["Vary"] and "Accept-Encoding" in plain["Vary"]


def test_a_gzip_hit_answers_a_conditional_request_with_304(client):
    make_article()
    first = hit(client, HOME, **GZIP)
    assert first["ETag"].startswith('W/"')
    again = client.get(HOME, HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304


def test_secrets_travel_uncompressed_and_a_gzip_served_form_still_posts(client):
    """The CSRF and form tokens sit in stored blocks: never compressed with reflected text."""
    article = make_article()
    response = hit(client, article.get_absolute_url(), **GZIP)
    page = gzip.decompress(response.content).decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    issued = re.search(r'name="issued" value="([^"]+)"', page)[1]
    assert csrf.encode() in response.content and issued.encode() in response.content
    data = form_data(article, body="Sent from a compressed page")
    data |= {"csrfmiddlewaretoken": csrf, "issued": issued}
    client.handler.enforce_csrf_checks = True
    assert client.post(post_url(article), data).status_code == 302


def test_live_parts_longer_than_one_stored_block_are_split():
    pieces = [b"<p>before</p>" * 30, b"x" * 70_000, b"<p>after</p>" * 30]
    stretches = [pieces[0], pieces[2]]
    member, etag = compression.compress_hit(pieces, compression.deflate_stretches(stretches))
    assert gzip.decompress(member) == b"".join(pieces)
    assert etag.startswith('W/"')


def test_clients_that_do_not_accept_gzip_get_the_page_as_is(client):
    make_article()
    response = hit(client, HOME, HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in response
    assert b"<html" in response.content
