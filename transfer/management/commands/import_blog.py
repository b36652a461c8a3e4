"""Import a blog: a WordPress export (WXR), an RSS 2.0 or Atom feed, or a Newsroom export zip.

    python manage.py import_blog export.xml
    python manage.py import_blog https://example.wixsite.com/blog/blog-feed.xml
    python manage.py import_blog export.xml --dry-run          # report only, write nothing
    python manage.py import_blog export.xml --author-map authors.json

Re-runnable: items are keyed on their GUIDs, so a second run reports everything as already here.
The rules (statuses, comments, images, redirects) are in `transfer/importer.py`.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transfer import media
from transfer.authors import load_author_map
from transfer.importer import import_blog
from transfer.records import SourceError
from transfer.report import report_lines


class Command(BaseCommand):
    help = "Import posts, authors, tags, comments and images from WXR, RSS, Atom or a Newsroom zip."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A file path or an http(s) URL.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read everything and report; write nothing."
        )
        parser.add_argument(
            "--author-map",
            type=Path,
            help='JSON file mapping source authors to existing usernames: {"wp_login": '
            '"username"}; the key "*" gives the author of posts that name none.',
        )

    def handle(self, *args, source, dry_run, author_map, verbosity, **options):
        try:
            mapping = load_author_map(author_map) if author_map else {}
        except ValueError as error:
            raise CommandError(str(error)) from None
        downloaded = None
        if source.startswith(("http://", "https://")):
            try:
                path = downloaded = media.download_source(source)
            except media.FetchError as error:
                raise CommandError(f"Cannot fetch {source}: {error}") from None
        else:
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"{source}: no such file.")
        try:
            report = import_blog(
                path, dry_run=dry_run, author_map=mapping, progress=self._progress_stream(verbosity)
            )
        except SourceError as error:
            raise CommandError(f"{source}: {error}") from None
        finally:
            if downloaded:
                downloaded.unlink(missing_ok=True)
        lines = report_lines(report, detailed=verbosity >= 2)
        if verbosity == 0:
            return
        for line in lines[:-1]:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(lines[-1]))

    def _progress_stream(self, verbosity):
        """A progress bar on a terminal only: never in logs, cron mail or captured output."""
        return sys.stderr if verbosity >= 1 and self.stderr.isatty() else None
