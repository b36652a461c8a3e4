"""Images referenced by imported posts: downloaded from a real local server, validated like
uploads; unreachable or invalid ones keep their URL and are listed in the report."""

import functools
import http.server
import io
import threading

import pytest
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from PIL import Image

from articles.models import Article

from .transfer_helpers import RSS_SAMPLE, WXR_SAMPLE, run_import, write, wxr, wxr_item

pytestmark = pytest.mark.django_db
PORT = 8817


@pytest.fixture
def image_server(tmp_path, settings):
    """A real HTTP server on this machine serving a PNG and a fake one; private hosts allowed."""
    settings.IMPORT_ALLOW_PRIVATE_HOSTS = True
    served = tmp_path / "served"
    served.mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, format="PNG")
    (served / "photo.png").write_bytes(buffer.getvalue())
    (served / "fake.jpg").write_bytes(b"<html>not an image</html>")
    (served / "blog-feed.xml").write_bytes(RSS_SAMPLE.read_bytes())
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{PORT}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_reachable_images_are_downloaded_into_media_and_the_body_points_there(
    tmp_path, image_server
):
    content = (
        f'<p>Look:</p><img src="{image_server}/photo.png" alt="Teal" />'
        f'<img src="{image_server}/fake.jpg" alt="Fake" />'
        f'<img src="{image_server}/missing.png" alt="Gone" />'
    )
    output = run_import(write(tmp_path, "i.xml", wxr(wxr_item(slug="pics", content=content))))
    body = Article.objects.get(slug="pics").body
    stored = body.split("![Teal](")[1].split(")")[0]
    assert stored.startswith("/media/imports/") and stored.endswith(".png")
    name = stored.removeprefix("/media/")
    with default_storage.open(name, "rb") as saved, Image.open(saved) as image:
        assert image.size == (4, 3)
    assert f"![Fake]({image_server}/fake.jpg)" in body
    assert f"![Gone]({image_server}/missing.png)" in body
    assert f"{image_server}/fake.jpg: This file is not an image we can read" in output
    assert f"image kept as a link, {image_server}/missing.png: HTTP 404" in output


def test_dry_run_downloads_nothing(tmp_path, image_server):
    content = f'<img src="{image_server}/photo.png" alt="Teal" />'
    output = run_import(
        write(tmp_path, "i.xml", wxr(wxr_item(slug="pics", content=content))), "--dry-run"
    )
    assert "created images to download: 1" in output
    assert not default_storage.exists("imports")


def test_sample_image_on_a_private_host_is_listed_and_kept_as_a_link():
    output = run_import(WXR_SAMPLE)
    url = "http://127.0.0.1:8202/wp-content/uploads/2023/08/chips.jpg"
    assert f"image kept as a link, {url}: refused: 127.0.0.1 is a private address" in output
    assert (
        f"![Wafer]({url})" in Article.objects.get(slug="trade-talks-stall-over-chip-exports").body
    )


def test_a_feed_given_as_a_url_is_fetched_and_imported(image_server):
    output = run_import(f"{image_server}/blog-feed.xml")
    assert "Source format: RSS" in output
    assert Article.objects.count() == 3


def test_a_feed_url_on_a_private_address_is_refused_by_default():
    with pytest.raises(CommandError, match="refused: 127.0.0.1 is a private address"):
        run_import(f"http://127.0.0.1:{PORT}/blog-feed.xml")
