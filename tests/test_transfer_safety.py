"""Hostile or broken input is refused with a clear message; imported HTML never runs on a page."""

import urllib.request

import pytest
from django.core.management.base import CommandError
from django.test import override_settings

from articles.models import Article
from transfer import convert, media

from .transfer_helpers import run_import, write, wxr, wxr_item

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><item><title>&lol4;</title></item></channel></rss>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&secret;</title></item></channel></rss>"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BILLION_LAUGHS, "Refused: the file declares XML entities"),
        (EXTERNAL_ENTITY, "Refused: the file declares XML entities"),
        (wxr(wxr_item(slug="first"), wxr_item(post_id=2, slug="second"))[:-60], "truncated"),
        ("this is not xml at all", "not well-formed XML"),
        ("", "not well-formed XML"),
        ('<?xml version="1.0"?><html><body/></html>', "not a WordPress export, an RSS 2.0"),
    ],
    ids=["billion-laughs", "external-entity", "truncated", "not-xml", "empty", "other-xml"],
)
def test_hostile_or_broken_xml_is_refused_with_a_clear_message_and_nothing_written(
    tmp_path, text, message
):
    source = write(tmp_path, "hostile.xml", text)
    with pytest.raises(CommandError, match=message):
        run_import(source)
    assert not Article.objects.exists()


def test_damaged_zip_is_refused(tmp_path):
    source = tmp_path / "broken.zip"
    source.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(CommandError, match="zip file is damaged"):
        run_import(source)


def test_script_in_imported_content_is_never_rendered(tmp_path, client):
    hostile = (
        '<p>Hello</p><script>alert("x")</script>'
        "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>"
        '<img src="https://cdn.example/a.png" onerror="alert(3)">'
        '<p><a href="javascript:alert(4)">click</a></p>'
        '<iframe src="https://evil.example"></iframe>'
    )
    run_import(write(tmp_path, "x.xml", wxr(wxr_item(slug="hostile", content=hostile))), "-v0")
    article = Article.objects.get(slug="hostile")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Hello" in page
    # Markup that could run is gone; what is left of it is at most harmless text.
    # (The page itself loads the site's own scripts from static files, never inline ones.)
    assert "<script" not in article.body_html
    assert "<script>" not in page
    for forbidden in ("onerror", 'href="javascript:', "<iframe", "alert(2)</script>"):
        assert forbidden not in article.body_html
        assert forbidden not in page
    assert 'alert("x")' not in page and "alert(3)" not in page


def test_gutenberg_comments_dropped_and_caption_becomes_a_figure():
    markdown, unknown = convert.wordpress_html_to_markdown(
        "<!-- wp:paragraph --><p>Intro</p><!-- /wp:paragraph -->"
        '[caption id="attachment_9" align="alignnone" width="300"]'
        '<img src="https://cdn.example/wafer.jpg" alt="Wafer" /> A silicon wafer[/caption]'
        '[gallery ids="1,2"]'
    )
    assert "wp:" not in markdown
    assert "![Wafer](https://cdn.example/wafer.jpg)" in markdown
    assert "A silicon wafer" in markdown and "[caption" not in markdown
    assert unknown == ["gallery"]


def test_classic_editor_text_keeps_its_paragraphs_and_embeds_become_links():
    markdown, _ = convert.wordpress_html_to_markdown(
        "First paragraph\nsame paragraph.\n\nSecond [embed]https://video.example/v1[/embed]"
    )
    assert markdown.split("\n\n")[0] == "First paragraph\\\nsame paragraph."
    assert "<https://video.example/v1>" in markdown


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:1/a.png", "http://10.0.0.8/a.png", "http://[::1]/a.png"]
)
def test_private_addresses_are_refused_by_default(url):
    with pytest.raises(media.FetchError, match="private address"):
        media.check_address(url)


@override_settings(IMPORT_ALLOW_PRIVATE_HOSTS=True)
def test_only_http_addresses_are_fetched_even_when_private_hosts_are_allowed():
    with pytest.raises(media.FetchError, match="not an http"):
        media.check_address("file:///etc/passwd")


@pytest.mark.parametrize("target", ["http://127.0.0.1/admin/", "http://169.254.169.254/latest/"])
def test_a_redirect_to_a_private_address_is_refused(target):
    """A public image URL answering 302 to an internal address must not be followed."""
    request = urllib.request.Request("http://images.example/photo.png")
    with pytest.raises(media.FetchError, match="private address"):
        media._CheckedRedirects().redirect_request(request, None, 302, "Found", {}, target)
