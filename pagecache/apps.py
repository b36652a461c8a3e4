from django.apps import AppConfig
from django.core.signals import setting_changed


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        # Settings change at run time only in tests (override_settings); a page rendered under
        # the old ones (another time zone, another page size) must not be served under the new.
        setting_changed.connect(_settings_changed, dispatch_uid="pagecache-settings")


def _settings_changed(**kwargs):
    from .store import SITE, drop

    drop(SITE)
