"""The monthly archive's calendar: months are cut at midnight in the site's time zone (TIME_ZONE).

Readers, URLs and the sitemap all see the same months, whatever the database's own time zone.
"""

import datetime

from django.utils import timezone


def month_range(year: int, month: int):
    """(start, end) of a month as aware datetimes, end exclusive; None outside the calendar.

    The first and last months of year 1 and year 9999 cannot always be converted to UTC for the
    database, so they count as outside the calendar too.
    """
    try:
        start = timezone.make_aware(datetime.datetime(year, month, 1))
        end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
        start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None
    return start, end


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the site-time month `moment` falls in."""
    return timezone.localtime(moment).date().replace(day=1)


def neighbour_months(published, start, end):
    """The nearest earlier and later months with published articles (or None), one query each."""
    earlier = (
        published.filter(published_at__lt=start)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    later = (
        published.filter(published_at__gte=end)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return (month_of(earlier) if earlier else None, month_of(later) if later else None)
