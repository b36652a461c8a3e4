"""Uploaded images (articles/images.py): real bad files refused with a message, clean renditions."""

import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from PIL import Image

from articles import images
from articles.models import Article

from .factories import image_file, make_article, make_profile, make_staff

pytestmark = pytest.mark.django_db


def gps_exif(orientation=6):
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SpyCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (48.0, 51.0, 29.0)
    return exif


def truncated_jpeg():
    whole = image_file(size=(800, 600)).read()
    return SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2])


def png_declaring(width, height):
    """A tiny PNG whose header claims `width` x `height`: a decompression bomb's calling card."""
    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return SimpleUploadedFile("bomb.png", bytes(data))


def noise_png_over_10_mb():
    size = (2000, 1800)
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=0)
    return SimpleUploadedFile("huge.png", buffer.getvalue())


def too_many_pixels():
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")
    return SimpleUploadedFile("wide.png", buffer.getvalue())


def long_animation():
    """101 tiny frames on a declared 2000x1000 canvas: 202 megapixels to re-encode."""
    frames = [Image.new("RGB", (10, 10), (color * 2, 0, 255 - color)) for color in range(101)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    data = bytearray(buffer.getvalue())
    data[6:10] = struct.pack("<HH", 2000, 1000)  # the logical screen size
    return SimpleUploadedFile("long.gif", bytes(data))


BAD_FILES = {
    "truncated": (truncated_jpeg, "damaged"),
    "not an image": (lambda: SimpleUploadedFile("x.jpg", os.urandom(4096)), "not_an_image"),
    "renamed text file": (
        lambda: SimpleUploadedFile("notes.png", b"Meeting notes\nnot a picture\n"),
        "not_an_image",
    ),
    "over 10 MB": (noise_png_over_10_mb, "too_large"),
    "over 40 megapixels": (too_many_pixels, "too_many_pixels"),
    "decompression bomb": (lambda: png_declaring(60_000, 60_000), "bomb"),
    "animation too large": (long_animation, "too_many_pixels"),
    "unsupported format": (lambda: image_file("a.bmp", image_format="BMP"), "format"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_are_refused_with_a_clear_error(case):
    make, code = BAD_FILES[case]
    with pytest.raises(ValidationError) as refused:
        images.clean_upload(make())
    assert refused.value.code == code
    assert refused.value.messages[0].endswith(".")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_real_images_of_every_accepted_format_pass_whatever_their_name(image_format):
    cleaned = images.clean_upload(image_file("upload.bin", image_format=image_format))
    assert Image.open(cleaned).format == image_format
    assert cleaned.name.endswith("." + images.FORMATS[image_format])


def test_orientation_is_applied_and_metadata_stripped():
    upload = image_file("phone.jpg", size=(1200, 800), exif=gps_exif(orientation=6))
    cleaned = Image.open(images.clean_upload(upload))
    assert cleaned.size == (800, 1200)  # rotated upright
    assert dict(cleaned.getexif()) == {}


@pytest.mark.parametrize("frames", [1, 3])
def test_gif_comments_are_stripped_still_or_animated(frames):
    pictures = [Image.new("RGB", (40, 30), (80 * shade, 40, 200)) for shade in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(
        buffer, "GIF", save_all=frames > 1, append_images=pictures[1:], comment=b"GPS 51.5N home"
    )
    upload = SimpleUploadedFile("map.gif", buffer.getvalue(), content_type="image/gif")
    cleaned = images.clean_upload(upload).read()
    assert b"51.5N" not in cleaned
    assert getattr(Image.open(io.BytesIO(cleaned)), "n_frames", 1) == frames


def cover_post(client, upload, **fields):
    data = {
        "title": "With a cover",
        "slug": "with-a-cover",
        "body": "Text.",
        "status": "draft",
        "comments_open": "on",
        "cover_image": upload,
        "cover_alt": "A harbour at dawn",
    }
    data.update(fields)
    return client.post(reverse("admin:articles_article_add"), data)


@pytest.mark.parametrize(
    "case,message",
    [
        ("truncated", "damaged or incomplete"),
        ("renamed text file", "not an image we can read"),
        ("decompression bomb", "enormous size"),
        ("over 40 megapixels", "at most 40 megapixels"),
    ],
)
def test_bad_cover_is_a_clear_form_error_not_a_500(client, case, message):
    client.force_login(make_staff("author"))
    response = cover_post(client, BAD_FILES[case][0]())
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["cover_image"][0]
    assert not Article.objects.exists()


def test_bad_avatar_is_a_form_error(client):
    author = make_staff("author")
    profile = make_profile(author)
    client.force_login(author)
    response = client.post(
        reverse("admin:articles_authorprofile_change", args=[profile.pk]),
        {"display_name": "A", "slug": profile.slug, "avatar": truncated_jpeg()},
    )
    assert response.status_code == 200
    assert "damaged" in response.context["adminform"].form.errors["avatar"][0]


def test_cover_needs_a_description(client):
    client.force_login(make_staff("author"))
    response = cover_post(client, image_file(), cover_alt="  ")
    assert response.status_code == 200
    assert "cover_alt" in response.context["adminform"].form.errors


def test_cover_upload_makes_clean_renditions_at_each_width(client):
    client.force_login(make_staff("author"))
    upload = image_file("harbour.jpg", size=(2400, 1600), exif=gps_exif(orientation=1))
    assert cover_post(client, upload).status_code == 302
    article = Article.objects.get(slug="with-a-cover")
    renditions = article.cover_renditions
    assert renditions["source"] == article.cover_image.name
    assert [width for width, _ in renditions["webp"]] == [480, 960, 1600]
    assert [width for width, _ in renditions["jpeg"]] == [480, 960, 1600]
    assert (renditions["width"], renditions["height"]) == (1600, 1067)
    for kind, expected_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        for width, name in renditions[kind]:
            with default_storage.open(name) as stored, Image.open(stored) as image:
                assert image.format == expected_format
                assert image.width == width
                assert dict(image.getexif()) == {}
    with article.cover_image.open() as original, Image.open(original) as image:
        assert dict(image.getexif()) == {}


def test_small_cover_is_never_enlarged():
    article = make_article(cover_image=images.clean_upload(image_file(size=(600, 300))))
    assert [width for width, _ in article.cover_renditions["jpeg"]] == [480, 600]


def test_renditions_are_made_once_per_image():
    article = make_article(cover_image=images.clean_upload(image_file()), cover_alt="x")
    made = article.cover_renditions
    article.title = "Retitled"
    article.save()
    article.refresh_from_db()
    assert article.cover_renditions == made


def test_avatar_rendition_is_square():
    profile = make_profile(avatar=images.clean_upload(image_file(size=(900, 500))))
    assert profile.avatar_renditions["width"] == profile.avatar_renditions["height"] == 400


def test_picture_tag_writes_srcset_sizes_dimensions_alt_and_lazy():
    article = make_article(cover_image=images.clean_upload(image_file(size=(2000, 1000))))
    html = Template("{% load pictures %}{% picture r alt=alt sizes='50vw' lazy=True %}").render(
        Context({"r": article.cover_renditions, "alt": "A <b>harbour</b>"})
    )
    assert 'type="image/webp"' in html and "480w" in html and "1600w" in html
    assert 'sizes="50vw"' in html and 'width="1600" height="800"' in html
    assert 'alt="A &lt;b&gt;harbour&lt;/b&gt;"' in html and 'loading="lazy"' in html


def test_home_list_shows_thumbnails_lazily_after_the_first(client):
    for n in range(3):
        make_article(slug=f"covered-{n}", cover_image=images.clean_upload(image_file()))
    page = client.get(reverse("articles:list")).content.decode()
    assert page.count("<picture") == 3
    assert page.count('loading="eager"') == 1 and page.count('loading="lazy"') == 2


def test_article_page_shows_the_cover_eagerly_with_its_alt(client):
    article = make_article(
        cover_image=images.clean_upload(image_file()), cover_alt="Boats in the harbour"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'alt="Boats in the harbour"' in page and 'loading="eager"' in page


def test_transparent_png_gets_a_white_jpeg_fallback():
    buffer = io.BytesIO()
    Image.new("RGBA", (600, 400), (0, 0, 0, 0)).save(buffer, "PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue())
    article = make_article(cover_image=images.clean_upload(upload), cover_alt="Logo")
    _, name = article.cover_renditions["jpeg"][0]
    with default_storage.open(name) as stored, Image.open(stored) as image:
        assert image.convert("RGB").getpixel((10, 10)) == (255, 255, 255)
