"""Charts drawn as SVG on the server: no chart library, no script, no inline style.

This module works out where each mark goes; the markup is in `assessments/_charts.html`
(`{% include "assessments/_charts.html#gap-chart" with chart=standing.gap_chart %}`). Colours come
from CSS classes in skilltree.css (a Content-Security-Policy forbids `style=`); sizes are SVG
presentation attributes in a viewBox, so a chart scales with its column. Every chart is an
`<svg role="img">` labelled by its `<title>` and `<desc>`; the page shows the same figures in a
table beside it, which is what a screen reader should read.
"""

from dataclasses import dataclass
from decimal import Decimal

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


@dataclass(frozen=True)
class Tick:
    x: float
    label: int


@dataclass(frozen=True)
class GapRow:
    """One bucket: its label and figure, the bar's track, the bar to the level (None: not
    rated), the outlined shortfall up to the target and the target's mark (None: none)."""

    label: str
    figure: str
    label_y: int
    bar_y: int
    bar_width: float | None
    state: str
    gap_x: float | None
    gap_width: float | None
    target_x: float | None


@dataclass(frozen=True)
class ThenNowRow:
    """One bucket: a hollow dot at the previous level, a filled one at the latest (None: not
    rated then or now), joined by a line up or down when they differ."""

    label: str
    figure: str
    label_y: int
    y: int
    then_x: float | None
    now_x: float | None
    move: str


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    desc: str
    height: int
    ticks: tuple[Tick, ...]
    grid_top: int
    grid_bottom: int
    rows: tuple

    width = WIDTH
    plot_left = PLOT_LEFT
    plot_right = PLOT_RIGHT
    plot_width = PLOT_RIGHT - PLOT_LEFT

    @property
    def axis_y(self):
        return self.grid_bottom + 20


def _ticks():
    return tuple(Tick(x=_x(value), label=value) for value in range(SCALE_MAX + 1))


def gap_chart(gaps, *, title, chart_id="gap-chart"):
    """Each bucket's level as a bar, the track's target as a marker, the shortfall outlined.

    `gaps` are gaps.BucketGap rows (level and target may be None).
    """
    rows = []
    for index, gap in enumerate(gaps):
        top = TOP + index * ROW
        level, target = gap.level, gap.target
        figure = "not rated" if level is None else f"you {_number(level)}"
        if target is not None:
            figure += f" · needs {_number(target)}"
        shortfall = level is not None and target is not None and bool(gap.gap)
        rows.append(
            GapRow(
                label=gap.bucket.short_name,
                figure=figure,
                label_y=top + 18,
                bar_y=top + 26,
                bar_width=None if level is None else round(_x(level) - PLOT_LEFT, 1),
                state="plain" if target is None else "met" if gap.is_met else "short",
                gap_x=_x(level) if shortfall else None,
                gap_width=round(_x(target) - _x(level), 1) if shortfall else None,
                target_x=None if target is None else _x(target),
            )
        )
    bottom = TOP + len(rows) * ROW
    return Chart(
        chart_id=chart_id,
        title=title,
        desc="Bars show your level in each bucket on the 1–5 scale, marks show the track's target.",
        height=bottom + AXIS,
        ticks=_ticks(),
        grid_top=TOP + 22,
        grid_bottom=bottom,
        rows=tuple(rows),
    )


def then_now_chart(rows, *, title, chart_id="then-now-chart"):
    """Per bucket, a hollow dot at the previous audit's level, a filled one at the latest, joined.

    `rows` are objects with `bucket`, `then` and `now` (either may be None).
    """
    drawn = []
    for index, row in enumerate(rows):
        top = TOP + index * ROW
        then, now = row.then, row.now
        move = ""
        if then is not None and now is not None and then != now:
            move = "up" if now > then else "down"
        drawn.append(
            ThenNowRow(
                label=row.bucket.short_name,
                figure=f"{_number(then)} → {_number(now)}",
                label_y=top + 18,
                y=top + 36,
                then_x=None if then is None else _x(then),
                now_x=None if now is None else _x(now),
                move=move,
            )
        )
    bottom = TOP + len(drawn) * ROW
    return Chart(
        chart_id=chart_id,
        title=title,
        desc="Hollow dots show each bucket's level at the previous audit, filled dots at the latest.",
        height=bottom + AXIS,
        ticks=_ticks(),
        grid_top=TOP + 24,
        grid_bottom=bottom,
        rows=tuple(drawn),
    )
