"""System checks for the comment settings, so a typo fails at start-up rather than on a post."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .moderation import MODES
from .ratelimit import parse_rate


@register()
def comment_settings_check(app_configs, **kwargs):
    errors = []
    if settings.COMMENTS_MODERATION not in MODES:
        errors.append(
            Error(
                f"COMMENTS_MODERATION is {settings.COMMENTS_MODERATION!r}.",
                hint=f"Use one of: {', '.join(MODES)}.",
                id="comments.E001",
            )
        )
    try:
        parse_rate(settings.COMMENTS_RATE_LIMIT)
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="comments.E002"))
    return errors
