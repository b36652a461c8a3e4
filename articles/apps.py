from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from . import navigation, page_cache  # noqa: F401  (navigation's signals register themselves)

        page_cache.connect()
