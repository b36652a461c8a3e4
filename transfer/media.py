"""Fetch what an import refers to: a feed given as a URL, and the images posts show.

An import file decides which addresses the server fetches, so fetching is fenced: only http(s), no
private, loopback, link-local or reserved addresses (checked for every redirect too) unless
`IMPORT_ALLOW_PRIVATE_HOSTS` is on, a timeout, and a size cap. A downloaded image goes through
the same gate as every upload (`articles.images.clean_upload`: format, size, pixels, re-encoded
without metadata); anything else stays an external link and is listed in the report.
"""

import ipaddress
import socket
import tempfile
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from articles import images

CHUNK = 64 * 1024


class FetchError(Exception):
    """Why an address could not be fetched or used, in words for the report."""


def check_address(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("not an http(s) address"))
    if settings.IMPORT_ALLOW_PRIVATE_HOSTS:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None)}
    except (socket.gaierror, UnicodeError):
        raise FetchError(_("host not found")) from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global:
            raise FetchError(_("refused: %(host)s is a private address") % {"host": parts.hostname})


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_CheckedRedirects)


def fetch(url: str, *, max_bytes: int, into) -> None:
    """Write the body at `url` into the binary file `into`; FetchError if anything is off."""
    check_address(url)
    request = urllib.request.Request(url, headers={"User-Agent": "Newsroom importer"})
    try:
        with _opener.open(request, timeout=settings.IMPORT_DOWNLOAD_TIMEOUT) as response:
            received = 0
            while chunk := response.read(CHUNK):
                received += len(chunk)
                if received > max_bytes:
                    raise FetchError(_("larger than %(limit)d bytes") % {"limit": max_bytes})
                into.write(chunk)
    except urllib.error.HTTPError as error:
        raise FetchError(_("HTTP %(code)d") % {"code": error.code}) from None
    except (urllib.error.URLError, OSError) as error:
        raise FetchError(str(getattr(error, "reason", error))) from None


def download_source(url: str) -> Path:
    """A feed or export given as a URL, saved to a temporary file the caller deletes."""
    with tempfile.NamedTemporaryFile(suffix=".import", delete=False) as target:
        try:
            fetch(url, max_bytes=settings.IMPORT_MAX_SOURCE_BYTES, into=target)
        except FetchError:
            Path(target.name).unlink()
            raise
    return Path(target.name)


def clean_image(data: bytes, *, name: str) -> ContentFile:
    """The image as every upload is checked and stored (`articles.images.clean_upload`)."""
    try:
        return images.clean_upload(ContentFile(data, name=name))
    except ValidationError as error:
        raise FetchError(" ".join(error.messages)) from None


def store_image(data: bytes, *, original_name: str) -> str:
    """Check and save image bytes under media/imports/YYYY/MM/ and return the stored name."""
    stem = get_valid_filename(PurePosixPath(unquote(original_name)).stem)[:80] or "image"
    cleaned = clean_image(data, name=stem)
    folder = timezone.now().strftime("imports/%Y/%m")
    return default_storage.save(f"{folder}/{cleaned.name}", cleaned)


def download_image(url: str) -> str:
    """Fetch, validate and store the image at `url`; the stored file's name (for `.url`)."""
    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as buffer:
        fetch(url, max_bytes=images.MAX_UPLOAD_BYTES, into=buffer)
        buffer.seek(0)
        data = buffer.read()
    return store_image(data, original_name=urlsplit(url).path)
