"""Hostile request bodies get the site's own 400 page, never the server's bare 500 page."""

import codecs
import string

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

BAD_REQUEST_HEADING = "We couldn't understand that request"


@pytest.fixture
def browser():
    """A client holding a valid CSRF cookie, as a real browser posting a form would."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.csrf_token = _get_new_csrf_string()
    client.cookies["csrftoken"] = client.csrf_token
    return client


def post_form(client, url, charset, **fields):
    body = "&".join(f"{key}={value}" for key, value in fields.items())
    # `generic` sends the bytes as given; `post` would encode them in the declared charset.
    return client.generic(
        "POST",
        url,
        f"csrfmiddlewaretoken={client.csrf_token}&{body}".encode("ascii"),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
        HTTP_REFERER="http://testserver/",
    )


def is_utf8(charset):
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


def form_urls():
    article = make_article(slug="charset")
    return ["/", f"/comments/articles/{article.slug}/", "/admin/login/"]


@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-1", "utf-16", "x-no-such-charset"])
def test_a_form_body_in_another_charset_is_a_400_with_the_site_page(browser, charset):
    for url in form_urls():
        response = post_form(browser, url, charset, name="Jos%E9")
        assert response.status_code == 400, url
        assert BAD_REQUEST_HEADING in response.text, url


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8"])
def test_utf8_under_any_of_its_names_is_read_as_usual(browser, charset):
    make_user("editor", is_staff=True, is_superuser=True)
    response = post_form(
        browser, "/admin/login/", charset, username="editor", password="pw", next="/admin/"
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


charsets = st.one_of(
    st.sampled_from(["utf-8", "UTF8", "utf_8", "latin-1", "utf-16", "cp1252", "ascii", "koi8-r"]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_.:", min_size=1, max_size=24),
)


@pytest.mark.django_db
@given(charset=charsets)
def test_any_declared_charset_gets_a_deliberate_answer_never_a_500(charset):
    """UTF-8 under any of its names is read as usual; every other charset is the 400 page."""
    article = make_article()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.csrf_token = _get_new_csrf_string()
    client.cookies["csrftoken"] = client.csrf_token
    response = post_form(client, f"/comments/articles/{article.slug}/", charset, name="Ada")
    if is_utf8(charset):
        assert response.status_code == 422  # read as usual: the form lacks fields
    else:
        assert response.status_code == 400
        assert BAD_REQUEST_HEADING in response.text
