"""Export every article, author, tag, comment and media file.

    python manage.py export_blog backup.zip                  # Markdown zip (seeds/ format)
    python manage.py export_blog --format wxr site.xml       # WordPress WXR 1.2

`import_blog` reads both back; `load_seeds` reads the zip's articles. See `transfer/exporter.py`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transfer.exporter import FORMATS, MARKDOWN, export_blog


class Command(BaseCommand):
    help = "Export the whole blog as a Markdown zip or a WordPress WXR file."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="The file to write (replaced if it exists).")
        parser.add_argument("--format", choices=FORMATS, default=MARKDOWN, dest="export_format")

    def handle(self, *args, out, export_format, **options):
        if out.is_dir() or not out.parent.is_dir():
            raise CommandError(f"{out}: give a file name in an existing folder.")
        try:
            count = export_blog(out, export_format=export_format)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Exported {count} article(s) as {export_format} to {out}.")
        )
