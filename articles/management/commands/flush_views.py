"""Write views buffered in Redis to the database.

Safe to run at any time and as often as you like, also while the site is serving requests: each
batch is applied once, in one transaction, and batches an interrupted flush left behind are retried
first. Requests already flush at most every VIEW_FLUSH_INTERVAL seconds while views arrive; run this
from cron or a systemd timer too (e.g. every minute) so that the last views before a quiet spell
reach the database and the "Most read" list promptly. With a non-Redis cache views are written
directly and there is nothing to flush.
"""

from django.core.management.base import BaseCommand

from articles import counters, view_buffer


class Command(BaseCommand):
    help = "Write views buffered in Redis to the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what is pending without writing it."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if not view_buffer.is_enabled():
            if verbosity:
                self.stdout.write("Views are written directly (the cache is not Redis).")
            return
        if dry_run:
            if verbosity:
                self.stdout.write(
                    f"{view_buffer.pending_views():,} view(s) pending; nothing written."
                )
            return
        result = counters.flush_buffered_views()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Flushed {result.views:,} view(s) of {result.articles:,} article(s) "
                    f"in {result.batches:,} batch(es)."
                )
            )
