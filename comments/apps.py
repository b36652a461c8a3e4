from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from . import checks, page_cache  # noqa: F401  (checks register themselves)

        page_cache.connect()
