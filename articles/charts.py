"""Server-rendered SVG charts for the admin: no JavaScript, readable by screen readers.

Colours and fonts are SVG presentation attributes, not a `<style>` element, so the chart needs
no inline-style exception in a Content Security Policy.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import DailyArticleViews

WIDTH, HEIGHT = 640, 200
# The right margin leaves room for half of the last date label, which is centred on the last bar.
LEFT, RIGHT, TOP, BOTTOM = 44, 26, 12, 28
LABEL_EVERY_DAYS = 7
BAR_COLOR, GRID_COLOR, TEXT_COLOR = "#9b2c1f", "#e6e2da", "#55565b"


def daily_views(article, *, days: int = 30, today: date | None = None) -> list[tuple[date, int]]:
    """Views per day for the last `days` days up to today, zero-filled, from one query."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    stored = dict(
        DailyArticleViews.objects.filter(article=article, day__gte=first, day__lte=today)
        .values_list("day", "views")
        .order_by()
    )
    span = [first + timedelta(days=n) for n in range(days)]
    return [(day, stored.get(day, 0)) for day in span]


def period_comparison(current: list[tuple[date, int]], previous: list[tuple[date, int]]) -> str:
    """A sentence such as "1,234 views in the last 30 days, up 12% from the previous 30 days
    (1,100)." comparing two equally long series."""
    now, before = sum(v for _, v in current), sum(v for _, v in previous)
    days = len(current)
    total = ngettext(
        "%(views)s view in the last %(days)d days",
        "%(views)s views in the last %(days)d days",
        now,
    ) % {"views": f"{now:,}", "days": days}
    if before == 0:
        change = _("no views in the previous %(days)d days") % {"days": days}
    elif now == before:
        change = _("the same as the previous %(days)d days") % {"days": days}
    else:
        percent = round(abs(now - before) * 100 / before)
        template = (
            _("up %(percent)d%% from the previous %(days)d days (%(before)s)")
            if now > before
            else _("down %(percent)d%% from the previous %(days)d days (%(before)s)")
        )
        change = template % {"percent": percent, "days": days, "before": f"{before:,}"}
    return f"{total}, {change}."


def _axis_top(peak: int) -> int:
    """A round number at or above `peak`, so the axis reads 0 / half / top cleanly."""
    if peak <= 4:
        return 4
    magnitude = 10 ** (len(str(peak)) - 1)
    for step in (1, 2, 5, 10):
        if step * magnitude >= peak:
            return step * magnitude
    return 10 * magnitude


def daily_views_svg(series: list[tuple[date, int]], *, title: str) -> SafeString:
    """A bar chart of (day, views) pairs with a y axis, date labels and an accessible title/desc."""
    top = _axis_top(max((views for _, views in series), default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(series), 1)
    total = sum(views for _, views in series)
    description = (
        _("%(total)s views from %(first)s to %(last)s; busiest day %(peak)s.")
        % {
            "total": f"{total:,}",
            "first": f"{series[0][0]:%b} {series[0][0].day}",
            "last": f"{series[-1][0]:%b} {series[-1][0].day}",
            "peak": f"{max(v for _, v in series):,}",
        }
        if series
        else _("No data.")
    )

    def y(value) -> float:
        return TOP + plot_height - plot_height * value / top

    def px(number: float) -> str:
        # format_html escapes its arguments into strings, so numbers are formatted beforehand.
        return f"{number:.1f}"

    gridlines = format_html_join(
        "",
        '<line class="grid" stroke="{}" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="axis" fill="{}" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (
                GRID_COLOR,
                LEFT,
                WIDTH - RIGHT,
                px(y(value)),
                px(y(value)),
                TEXT_COLOR,
                LEFT - 6,
                px(y(value) + 4),
                f"{value:,}",
            )
            for value in (0, top // 2, top)
        ),
    )
    bars = format_html_join(
        "",
        '<rect class="bar" fill="{}" x="{}" y="{}" width="{}" height="{}">'
        "<title>{}: {}</title></rect>",
        (
            (
                BAR_COLOR,
                px(LEFT + index * slot + slot * 0.15),
                px(y(views)),
                px(slot * 0.7),
                px(TOP + plot_height - y(views)),
                day.isoformat(),
                ngettext("%(views)s view", "%(views)s views", views) % {"views": f"{views:,}"},
            )
            for index, (day, views) in enumerate(series)
        ),
    )
    labels = format_html_join(
        "",
        '<text class="axis" fill="{}" x="{}" y="{}" text-anchor="middle">{} {}</text>',
        (
            (TEXT_COLOR, px(LEFT + index * slot + slot / 2), HEIGHT - 8, f"{day:%b}", day.day)
            for index, (day, _views) in enumerate(series)
            if (len(series) - 1 - index) % LABEL_EVERY_DAYS == 0
        ),
    )
    return format_html(
        '<svg class="views-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="views-chart-title views-chart-desc" '
        'font-family="system-ui, sans-serif" font-size="11">'
        '<title id="views-chart-title">{}</title><desc id="views-chart-desc">{}</desc>'
        "{}{}{}</svg>",
        WIDTH,
        HEIGHT,
        title,
        description,
        gridlines,
        bars,
        labels,
    )
