"""System checks for what visitor identification needs from the deployment."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Production needs one cache for all workers, or each worker identifies visitors anew
    (its own daily salt, its own repeat-view and rate-limit records)."""
    if settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The default cache is local to each server process, so repeat views and comment rate "
            "limits are tracked separately by every worker.",
            hint="Set CACHE_URL to a shared Redis, e.g. CACHE_URL=redis://127.0.0.1:6379/0.",
            id="visitors.W001",
        )
    ]
