from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from . import checks, db_triggers, navigation  # noqa: F401  (checks and signals register)

        pre_migrate.connect(db_triggers.drop_before_migrate, sender=self)
        post_migrate.connect(db_triggers.install_after_migrate, sender=self)
