"""Server-rendered SVG charts for the admin: no JavaScript, readable by screen readers."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .models import DailyArticleViews

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 28
LABEL_EVERY_DAYS = 7


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
        f"{total:,} views from {series[0][0]:%b} {series[0][0].day} to "
        f"{series[-1][0]:%b} {series[-1][0].day}; busiest day {max(v for _, v in series):,}."
        if series
        else "No data."
    )

    def y(value) -> float:
        return TOP + plot_height - plot_height * value / top

    def px(number: float) -> str:
        # format_html escapes its arguments into strings, so numbers are formatted beforehand.
        return f"{number:.1f}"

    gridlines = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (
                LEFT,
                WIDTH - RIGHT,
                px(y(value)),
                px(y(value)),
                LEFT - 6,
                px(y(value) + 4),
                f"{value:,}",
            )
            for value in (0, top // 2, top)
        ),
    )
    bars = format_html_join(
        "",
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}">'
        "<title>{}: {} view{}</title></rect>",
        (
            (
                px(LEFT + index * slot + slot * 0.15),
                px(y(views)),
                px(slot * 0.7),
                px(TOP + plot_height - y(views)),
                day.isoformat(),
                f"{views:,}",
                "" if views == 1 else "s",
            )
            for index, (day, views) in enumerate(series)
        ),
    )
    labels = format_html_join(
        "",
        '<text class="axis" x="{}" y="{}" text-anchor="middle">{} {}</text>',
        (
            (px(LEFT + index * slot + slot / 2), HEIGHT - 8, f"{day:%b}", day.day)
            for index, (day, _) in enumerate(series)
            if (len(series) - 1 - index) % LABEL_EVERY_DAYS == 0
        ),
    )
    return format_html(
        '<svg class="views-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="views-chart-title views-chart-desc">'
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
