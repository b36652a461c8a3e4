"""Helper functions that build test data with sensible defaults, shared by every test module."""

import datetime
import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from articles import roles
from articles.models import Article, AuthorProfile

_sequence = itertools.count(1)


def make_user(username=None, **fields):
    username = username or f"user{next(_sequence)}"
    fields.setdefault("first_name", "Ada")
    fields.setdefault("last_name", "Writer")
    fields.setdefault("email", f"{username}@newsroom.example")
    return get_user_model().objects.create_user(username=username, password="pw", **fields)


def make_article(*, slug=None, author=None, **fields):
    slug = slug or f"article-number-{next(_sequence)}"
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    fields.setdefault("body", f"The opening paragraph of {slug}.\n\nA second paragraph.")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=1))
    return Article.objects.create(
        slug=slug, author=author or make_user(f"author-of-{slug}"), **fields
    )


def make_profile(user=None, **fields):
    user = user or make_user()
    fields.setdefault("display_name", user.get_full_name() or user.get_username())
    fields.setdefault("slug", user.get_username())
    return AuthorProfile.objects.create(user=user, **fields)


def make_staff(role, username=None, **fields):
    """A staff user in one of the roles of articles/roles.py ("author", "editor", "moderator")."""
    user = make_user(username, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=roles.ROLE_GROUPS[role]))
    return user


def image_file(name="photo.jpg", *, image_format="JPEG", size=(1200, 800), exif=None, **save):
    """An in-memory upload holding a real image made by Pillow."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "#3a6ea5")
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 2, size[1] // 3], fill="#f2c14e")
    if exif is not None:
        save["exif"] = exif
    image.save(buffer, image_format, **save)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_tag(name, **fields):
    from articles.models import Tag

    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return Tag.objects.create(name=name, **fields)


def attach_cover(article, *, width=1200, height=630, alt="A harbour at dawn"):
    """Give `article` a real PNG cover of the given size (stored under the test MEDIA_ROOT)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "steelblue").save(buffer, format="PNG")
    article.cover_alt = alt
    article.cover_image.save(f"{article.slug}.png", ContentFile(buffer.getvalue()), save=False)
    article.save()
    return article


def largest_jpeg_rendition(article):
    """Storage name of the cover's largest JPEG rendition: what link previews and feeds use."""
    return article.cover_renditions["jpeg"][-1][1]
