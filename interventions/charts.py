"""Small server-rendered SVG charts: no script, every text escaped, a text alternative."""

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28


def scale_chart(question, points) -> str:
    """A line through the answers to one scale question; ``points`` are (date, value)."""
    low, high = question.scale_min, question.scale_max
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index):
        if len(points) == 1:
            return LEFT + inner_w / 2
        return LEFT + inner_w * index / (len(points) - 1)

    def y(value):
        return TOP + inner_h * (high - value) / (high - low)

    if points:
        description = ngettext(
            "%(count)d answer, on %(first)s, on a scale of %(low)d to %(high)d.",
            "%(count)d answers from %(first)s to %(last)s, on a scale of %(low)d to %(high)d.",
            len(points),
        ) % {
            "count": len(points),
            "first": date_format(points[0][0], "DATE_FORMAT"),
            "last": date_format(points[-1][0], "DATE_FORMAT"),
            "low": low,
            "high": high,
        }
    else:
        description = _("No answers yet.")
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(question.text)}. {escape(description)}">',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + inner_h}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" '
        f'y2="{TOP + inner_h}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{y(high) + 4:.1f}" text-anchor="end">{high}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{y(low) + 4:.1f}" text-anchor="end">{low}</text>',
    ]
    if points:
        coordinates = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_day, v) in enumerate(points))
        parts.append(f'<polyline class="line" points="{coordinates}"/>')
        for index, (_day, value) in enumerate(points):
            parts.append(f'<circle class="point" cx="{x(index):.1f}" cy="{y(value):.1f}" r="4"/>')
        parts.append(
            f'<text class="tick" x="{LEFT}" y="{HEIGHT - 8}">'
            f"{escape(date_format(points[0][0], 'SHORT_DATE_FORMAT'))}</text>"
        )
        if len(points) > 1:
            parts.append(
                f'<text class="tick" x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">'
                f"{escape(date_format(points[-1][0], 'SHORT_DATE_FORMAT'))}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
