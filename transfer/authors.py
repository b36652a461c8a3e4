"""Who wrote an imported post: an existing user when one matches, else a new staff author.

A source author is matched by login, by slugified name (the username `load_seeds` gives), or by
the display name of an author profile, so a feed (names only) and a WordPress export (logins) of the
same blog land on the same people. A new author is a staff user named by their old login, with no
usable password (they choose one through a reset) and an `AuthorProfile` for the byline.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from articles.models import AuthorProfile
from articles.seeds import split_name

from .records import SourceAuthor

FALLBACK_AUTHOR = "Imported author"


def find_or_create(*, login: str, name: str, known: SourceAuthor | None):
    """The user for a post's author and whether it was created now."""
    display_name = (
        (known and (known.display_name or f"{known.first_name} {known.last_name}".strip()))
        or name
        or login
        or FALLBACK_AUTHOR
    )
    user_model = get_user_model()
    usernames = [candidate for candidate in (login, slugify(display_name)[:150]) if candidate]
    user = (
        user_model.objects.filter(username__in=usernames).order_by("pk").first()
        or user_model.objects.filter(profile__display_name__iexact=display_name).first()
    )
    created = user is None
    if created:
        first, last = split_name(display_name)
        if known and (known.first_name or known.last_name):
            first, last = known.first_name, known.last_name
        user = user_model(
            username=_valid_username(login) or slugify(display_name)[:150],
            first_name=first[:150],
            last_name=last[:150],
            email=known.email if known else "",
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
    if not AuthorProfile.objects.filter(user=user).exists():
        AuthorProfile.objects.create(
            user=user,
            display_name=display_name[:150],
            slug=_free_profile_slug(slugify(display_name) or user.username),
            bio=known.bio if known else "",
            website=(known.website if known else "")[:200],
        )
    return user, created


def _free_profile_slug(base: str) -> str:
    base, slug, number = base[:140], base[:140], 1
    while AuthorProfile.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _valid_username(login: str) -> str:
    """The source's login when it is a valid username here (it is the author's old identity)."""
    field = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD)
    try:
        field.run_validators(login)
    except ValidationError:
        return ""
    return login if 0 < len(login) <= field.max_length else ""


def load_author_map(path: Path) -> dict:
    """An --author-map file: JSON {"source login or name": "newsroom username", "*": default}."""
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not a readable JSON file ({error})") from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ValueError(f'{path}: expected a JSON object like {{"wp_login": "username"}}')
    users = get_user_model().objects.in_bulk(list(mapping.values()), field_name="username")
    missing = sorted(set(mapping.values()) - users.keys())
    if missing:
        raise ValueError(f"{path}: no such user(s): {', '.join(missing)}")
    return {key: users[username] for key, username in mapping.items()}
