"""Trend charts, laid out at build time: geometry as typed objects, drawn by a template
as SVG. Every chart has a title, a summary in words and a data table; lines differ by
dash pattern and marker shape as well as colour, so colour is never the only cue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 20, 40  # room for the axis labels and line-end labels
MARKERS = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: Decimal


@dataclass(frozen=True)
class Line:
    name: str
    style: int  # picks colour, dash and marker together
    points: tuple[Point, ...]
    path: str  # SVG path data; gaps where a value is missing
    label_y: float = 0  # where the name sits beside the line's end, kept clear of the others

    @property
    def marker(self) -> str:
        return MARKERS[self.style % len(MARKERS)]

    @property
    def end(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class TargetLine:
    """A strategy's target across the plot, so the reader sees how far there is to go."""

    y: float
    value: Decimal
    label: str  # e.g. "Target: at most 12% by 31 March 2027"


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    summary: str
    unit: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]
    columns: tuple[str, ...]  # the data table: one row per series, one column per x label
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    target: TargetLine | None = None


LABEL_GAP = 16  # pixels between the names at the lines' ends


def _scale(highest: Decimal) -> tuple[Decimal, Decimal]:
    """A round top for the axis and a round step between its ticks (at most 6 steps)."""
    for step in (Decimal(1), Decimal(2), Decimal(5), Decimal(10), Decimal(20), Decimal(25), Decimal(50), Decimal(100)):
        steps = max((highest / step).to_integral_value(rounding="ROUND_CEILING"), Decimal(1))
        if steps <= 6:
            return steps * step, step
    return highest, highest


def _spread(lines: list[Line]) -> list[Line]:
    """Move the end labels apart so no two names overlap; their order is kept."""
    placed: list[Line] = []
    last = None
    ends = [(ln, ln.end) for ln in lines if ln.end]
    for line, end in sorted(ends, key=lambda pair: pair[1].y):
        y = end.y + 4 if last is None else max(end.y + 4, last + LABEL_GAP)
        placed.append(Line(line.name, line.style, line.points, line.path, y))
        last = y
    by_name = {ln.name: ln for ln in placed}
    return [by_name.get(ln.name, ln) for ln in lines]


def fmt(value: Decimal, unit: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "percent" else text


def line_chart(chart_id: str, title: str, unit: str, x_labels: list[str],
               series: list[tuple[str, list[Decimal | None]]], summary: str,
               table_only: list[tuple[str, list[Decimal | None]]] | None = None,
               target: Decimal | None = None, target_label: str = "") -> Chart:
    """A line per series (at most four, each with its own dash and marker), and in the
    data table a row per series then per `table_only` row; `target` draws a level line."""
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    values = [v for _, vs in series for v in vs if v is not None] + ([target] if target is not None else [])
    top_value, step = _scale(max(values, default=Decimal(1)))
    span = max(len(x_labels) - 1, 1)

    def x_at(i: int) -> float:
        return round(LEFT + (right - LEFT) * i / span, 1)

    def y_at(v: Decimal) -> float:
        return round(bottom - (bottom - TOP) * float(v / top_value), 1)

    lines = []
    for style, (name, vs) in enumerate(series):
        points, path, pen_down = [], [], False
        for i, v in enumerate(vs):
            if v is None:
                pen_down = False
                continue
            p = Point(x_at(i), y_at(v), x_labels[i], v)
            points.append(p)
            path.append(f"{'L' if pen_down else 'M'}{p.x},{p.y}")
            pen_down = True
        lines.append(Line(name, style, tuple(points), " ".join(path)))
    y_ticks = tuple(Tick(y_at(step * k), fmt(step * k, unit)) for k in range(int(top_value / step) + 1))
    x_ticks = tuple(Tick(x_at(i), label) for i, label in enumerate(x_labels))
    rows = tuple((name, tuple("no figure" if v is None else fmt(v, unit) for v in vs))
                 for name, vs in [*series, *(table_only or [])])
    target_line = TargetLine(y_at(target), target, target_label) if target is not None else None
    return Chart(chart_id, title, summary, unit, WIDTH, HEIGHT, LEFT, right, TOP, bottom,
                 x_ticks, y_ticks, tuple(_spread(lines)), tuple(x_labels), rows, target_line)


def _span_words(start: dt.date, end: dt.date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 9: "nine", 18: "eighteen"}
    if months >= 12 and months % 12 == 0:
        years = months // 12
        return f"in {words.get(years, str(years))} year{'s' if years > 1 else ''}"
    return f"in {words.get(months, str(months))} month{'s' if months != 1 else ''}"


def change_sentence(subject: str, first: Decimal, first_date: dt.date, last: Decimal, last_date: dt.date,
                    unit: str) -> str:
    """E.g. 'Agency use fell from 22% to 18.5% in two years.'"""
    if first == last:
        return f"{subject} stayed at {fmt(last, unit)} {_span_words(first_date, last_date).replace('in ', 'over ')}."
    verb = "fell" if last < first else "rose"
    return f"{subject} {verb} from {fmt(first, unit)} to {fmt(last, unit)} {_span_words(first_date, last_date)}."


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def dated_change_sentence(subject: str, first: Decimal, first_when: str, last: Decimal, last_when: str,
                          unit: str, unit_words: str = "") -> str:
    """A change between two named dates, e.g. 'Agency use fell from 11.2% at 30 September
    2025 to 9.1% at 31 December 2025.' `first_when` and `last_when` say when each figure
    is for: 'at 30 September 2025', or 'in the 12 months to 30 September 2025';
    `unit_words` follow a number that is not a percentage ('days per FTE')."""
    after = f" {unit_words}" if unit_words and unit != "percent" else ""
    if first == last:
        return f"{subject} was {fmt(first, unit)}{after} {first_when} and the same {last_when}."
    verb = "fell" if last < first else "rose"
    return f"{subject} {verb} from {fmt(first, unit)}{after} {first_when} to {fmt(last, unit)}{after} {last_when}."
