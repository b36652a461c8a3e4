"""Invite a member of staff: create or update a user in one role and print a password-set link.

    python manage.py add_staff --role author|editor|moderator USERNAME EMAIL [--name "Full Name"]

The user becomes staff and a member of exactly that role's group (Authors, Editors or Moderators;
other role groups are left). A new user has no usable password: the printed link, built on
SITE_URL, lets them choose one. It works once (Django's password-reset token changes with the
password) and expires after PASSWORD_RESET_TIMEOUT seconds (3 days by default). Running the
command again updates the user and prints a fresh link; nothing is emailed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from articles import roles
from articles.models import AuthorProfile
from articles.site import absolute_url


class Command(BaseCommand):
    help = "Create or update a staff user in a role and print a one-time password-set link."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=sorted(roles.ROLE_GROUPS))
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--name", default="", help='Full name, e.g. "Ada Lovelace".')
        parser.add_argument("--dry-run", action="store_true", help="Check, change nothing.")

    def handle(self, *args, role, username, email, name, dry_run, verbosity, **options):
        user_model = get_user_model()
        username = username.strip()
        try:
            user_model.username_validator(username)
            validate_email(email)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        group_name = roles.ROLE_GROUPS[role]
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            raise CommandError(f"The {group_name} group does not exist; run `manage.py migrate`.")
        first, _, last = name.strip().partition(" ")

        with transaction.atomic():
            user = user_model.objects.filter(username=username).first()
            created = user is None
            if created:
                user = user_model(username=username)
                user.set_unusable_password()
            user.email = user_model.objects.normalize_email(email)
            user.is_staff = True
            user.is_active = True
            if name.strip():
                user.first_name, user.last_name = first, last.strip()
            user.save()
            user.groups.remove(*Group.objects.filter(name__in=roles.ROLE_GROUPS.values()))
            user.groups.add(group)
            if role in ("author", "editor"):
                AuthorProfile.objects.ensure_for(user)
            if dry_run:
                transaction.set_rollback(True)

        if dry_run:
            verb = "Would create" if created else "Would update"
            self.stdout.write(f"{verb} {username} as {role}; nothing was changed.")
            return
        link = absolute_url(
            reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
        )
        verb = "Created" if created else "Updated"
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{verb} {username} ({role})."))
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        self.stdout.write(f"Password-set link (works once, expires in {hours} hours):\n{link}")
