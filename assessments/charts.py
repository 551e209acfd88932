"""Charts drawn as SVG on the server: no chart library, no script, no inline style.

Colours come from CSS classes in skilltree.css (a Content-Security-Policy forbids `style=`);
sizes are SVG presentation attributes in a viewBox, so a chart scales with its column. Every chart
is an `<svg role="img">` labelled by its `<title>` and `<desc>`; the page shows the same figures in a
table beside it, which is what a screen reader should read.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SCALE_MAX = 5
WIDTH = 420
PAD_X = 12
PLOT_LEFT = PAD_X
PLOT_RIGHT = WIDTH - PAD_X
TOP = 8
ROW = 62
AXIS = 30


def _x(value):
    value = min(max(Decimal(value), Decimal(0)), Decimal(SCALE_MAX))
    return round(PLOT_LEFT + float(value) / SCALE_MAX * (PLOT_RIGHT - PLOT_LEFT), 1)


def _number(value):
    return "–" if value is None else f"{Decimal(value):.1f}"


def _grid(height_top, height_bottom):
    """Vertical lines at 0…5 with their labels under the last row."""
    lines = format_html_join(
        "",
        '<line class="chart__grid" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>',
        ((_x(v), height_top, height_bottom) for v in range(SCALE_MAX + 1)),
    )
    labels = format_html_join(
        "",
        '<text class="chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((_x(v), height_bottom + 20, v) for v in range(SCALE_MAX + 1)),
    )
    return lines + labels


def _svg(chart_id, title, desc, height, body):
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{id}-title {id}-desc" '
        'preserveAspectRatio="xMinYMin meet" font-size="16">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=desc,
        body=body,
    )


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: str

    def __str__(self):
        return self.svg

    def __html__(self):
        return self.svg


def gap_chart(gaps, *, title, chart_id="gap-chart"):
    """Each bucket's level as a bar, the track's target as a marker, the shortfall outlined.

    `gaps` are gaps.BucketGap rows (level and target may be None).
    """
    rows = []
    for index, gap in enumerate(gaps):
        top = TOP + index * ROW
        bar_y = top + 26
        level, target = gap.level, gap.target
        figure = "not rated" if level is None else f"you {_number(level)}"
        if target is not None:
            figure += f" · needs {_number(target)}"
        parts = [
            format_html(
                '<text class="chart__label" x="{}" y="{}">{}</text>'
                '<text class="chart__figure" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="chart__track" x="{}" y="{}" width="{}" height="20" rx="3"/>',
                PLOT_LEFT,
                top + 18,
                gap.bucket.short_name,
                PLOT_RIGHT,
                top + 18,
                figure,
                PLOT_LEFT,
                bar_y,
                PLOT_RIGHT - PLOT_LEFT,
            )
        ]
        if level is not None:
            state = "plain" if target is None else "met" if gap.is_met else "short"
            parts.append(
                format_html(
                    '<rect class="chart__bar chart__bar--{}" x="{}" y="{}" width="{}" '
                    'height="20" rx="3"/>',
                    state,
                    PLOT_LEFT,
                    bar_y,
                    round(_x(level) - PLOT_LEFT, 1),
                )
            )
        if level is not None and gap.gap:
            parts.append(
                format_html(
                    '<rect class="chart__gap" x="{}" y="{}" width="{}" height="18"/>',
                    _x(level),
                    bar_y + 1,
                    round(_x(target) - _x(level), 1),
                )
            )
        if target is not None:
            parts.append(
                format_html(
                    '<line class="chart__target" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>',
                    _x(target),
                    bar_y - 5,
                    bar_y + 25,
                )
            )
        rows.append(mark_safe("".join(parts)))
    bottom = TOP + len(gaps) * ROW
    body = _grid(TOP + 22, bottom) + mark_safe("".join(rows))
    desc = "Bars show your level in each bucket on the 1–5 scale, marks show the track's target."
    svg = _svg(chart_id, title, desc, bottom + AXIS, body)
    return Chart(chart_id=chart_id, title=title, svg=svg)


def then_now_chart(rows, *, title, chart_id="then-now-chart"):
    """Per bucket, a hollow dot at the previous audit's level, a filled one at the latest, joined.

    `rows` are objects with `bucket`, `then` and `now` (either may be None).
    """
    parts = []
    for index, row in enumerate(rows):
        top = TOP + index * ROW
        y = top + 36
        then, now = row.then, row.now
        figure = f"{_number(then)} → {_number(now)}"
        parts.append(
            format_html(
                '<text class="chart__label" x="{}" y="{}">{}</text>'
                '<text class="chart__figure" x="{}" y="{}" text-anchor="end">{}</text>'
                '<line class="chart__rail" x1="{}" x2="{}" y1="{y}" y2="{y}"/>',
                PLOT_LEFT,
                top + 18,
                row.bucket.short_name,
                PLOT_RIGHT,
                top + 18,
                figure,
                PLOT_LEFT,
                PLOT_RIGHT,
                y=y,
            )
        )
        if then is not None and now is not None and then != now:
            move = "up" if now > then else "down"
            parts.append(
                format_html(
                    '<line class="chart__move chart__move--{}" x1="{}" x2="{}" y1="{y}" y2="{y}"/>',
                    move,
                    _x(then),
                    _x(now),
                    y=y,
                )
            )
        if then is not None:
            parts.append(
                format_html('<circle class="chart__then" cx="{}" cy="{}" r="8"/>', _x(then), y)
            )
        if now is not None:
            parts.append(
                format_html('<circle class="chart__now" cx="{}" cy="{}" r="7"/>', _x(now), y)
            )
    bottom = TOP + len(rows) * ROW
    body = _grid(TOP + 24, bottom) + mark_safe("".join(parts))
    desc = "Hollow dots show each bucket's level at the previous audit, filled dots at the latest."
    svg = _svg(chart_id, title, desc, bottom + AXIS, body)
    return Chart(chart_id=chart_id, title=title, svg=svg)
