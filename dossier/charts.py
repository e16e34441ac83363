"""The dashboard's hours per month as a server-rendered SVG bar chart: no script, every text
escaped. The chart is decoration for sighted readers; the page carries its text alternative
(a table of the same months, visually hidden), so the SVG itself is hidden from assistive
technology."""

import math

from django.utils.html import escape

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28
BAR_SHARE = 0.7  # of each month's slot; the rest is the gap between bars


def _scale_top(hours: float) -> int:
    """A round number of hours at or above the highest bar: 1, 2, 5, 10, 20, 50, ..."""
    if hours <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(hours))
    for step in (1, 2, 5, 10):
        if hours <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def hours_chart(months) -> str:
    """One bar per month; ``months`` have ``minutes``, ``short`` (the axis label), ``label``
    and ``hours`` (the tooltip)."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _scale_top(max((m.minutes for m in months), default=0) / 60)
    slot = inner_w / max(len(months), 1)
    bar = slot * BAR_SHARE
    base = TOP + inner_h
    parts = [
        f'<svg class="chart hours-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'aria-hidden="true" focusable="false">',
        f'<line class="grid" x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{base + 4}" text-anchor="end">0</text>',
    ]
    for index, month in enumerate(months):
        x = LEFT + slot * index + (slot - bar) / 2
        height = inner_h * (month.minutes / 60) / top
        if height:
            # The title is a tooltip for a mouse; screen readers read the page's table.
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{base - height:.1f}" '
                f'width="{bar:.1f}" height="{height:.1f}">'
                f"<title>{escape(month.label)}: {escape(month.hours)}</title></rect>"
            )
        parts.append(
            f'<text class="tick" x="{x + bar / 2:.1f}" y="{HEIGHT - 8}" '
            f'text-anchor="middle">{escape(month.short)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
