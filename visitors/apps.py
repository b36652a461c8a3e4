from django.apps import AppConfig


class VisitorsConfig(AppConfig):
    """Who is asking: the client address and the daily-salted visitor fingerprint (`identity`).

    `articles` (view counting) and `comments` (rate limits, submitter hint) both depend on this app;
    it depends on neither, nor on the project package.
    """

    name = "visitors"
    verbose_name = "Visitors"

    def ready(self):
        from . import checks  # noqa: F401  (checks register themselves)
