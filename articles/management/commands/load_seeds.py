"""Load seed articles from a folder of Markdown files (see `articles.seeds` for the format).

    python manage.py load_seeds            # the project's seeds/ folder
    python manage.py load_seeds PATH       # another folder
    python manage.py load_seeds BACKUP.zip # the articles of an `export_blog` zip
    python manage.py load_seeds --dry-run  # check the files and report, write nothing

Re-runnable: a second run reports every article as unchanged.
"""

import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.seeds import SeedError, load_seeds


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class Command(BaseCommand):
    help = "Create or update articles from seed files (Markdown with a front-matter header)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=settings.BASE_DIR / "seeds",
            help="Folder of *.md seed files (default: the project's seeds/ folder), or a zip "
            "written by export_blog (its articles/*.md).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )

    def handle(self, *args, path, dry_run, verbosity, **options):
        try:
            with seed_folder(path) as folder, transaction.atomic():
                report = load_seeds(folder)
                if dry_run:
                    raise DryRun
        except SeedError as error:
            raise CommandError(str(error)) from None
        except DryRun:
            pass
        if verbosity >= 1:
            for name in report.authors_created:
                self.stdout.write(f"created author: {name}")
            for title in report.created:
                self.stdout.write(f"created: {title}")
            for title in report.updated:
                self.stdout.write(f"updated: {title}")
        if verbosity >= 2:
            for title in report.unchanged:
                self.stdout.write(f"unchanged: {title}")
        prefix = "Dry run, nothing written: would have" if dry_run else "Seeds loaded:"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix} {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.authors_created)} new author(s)."
            )
        )


@contextmanager
def seed_folder(path: Path):
    """`path` itself, or for an export zip a temporary folder holding its articles/*.md files."""
    if not (path.is_file() and zipfile.is_zipfile(path)):
        yield path
        return
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as folder:
        for name in archive.namelist():
            member = PurePosixPath(name)
            if member.parent == PurePosixPath("articles") and member.suffix == ".md":
                Path(folder, member.name).write_bytes(archive.read(name))
        yield Path(folder)
