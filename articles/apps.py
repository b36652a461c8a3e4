from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from . import checks, navigation  # noqa: F401  (checks and signals register themselves)
