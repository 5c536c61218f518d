"""Trend charts, laid out at build time: geometry as typed objects, drawn by a template
as SVG. Every chart has a title, a summary in words and a data table; lines differ by
dash pattern and marker shape as well as colour, so colour is never the only cue.

The drawing is one SVG in a 440-unit box, scaled to the width of the page: its 19-unit
text renders at 12.5px or more on a 320px phone (290px of content) and grows on wider
screens. The lines are named in a key (HTML) under the drawing, so names never collide.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from cswork_site.translation import gettext as _, ngettext

from .filters import number

WIDTH, HEIGHT = 440, 300
FONT = 19  # SVG units; 19 * 290 / 440 = 12.5px at 320px wide
CHAR = 0.56 * FONT  # Arial's digits are 0.556em wide; an upper bound for most words
LEFT, RIGHT, TOP, BOTTOM = 58, 26, 16, 40  # room for the y labels, half the last x label, the x labels
TARGET_TEXT_X = 48  # the target's label starts after a 40-unit sample of its line
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
class TextLine:
    y: float  # baseline
    text: str
    x: float = TARGET_TEXT_X


@dataclass(frozen=True)
class TargetLine:
    """A strategy's target across the plot, so the reader sees how far there is to go."""

    y: float
    value: Decimal
    label: str  # e.g. "Target: at most 12% by 31 March 2027"
    label_lines: tuple[TextLine, ...] = ()  # the label wrapped in a band above the plot


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
    x_ticks: tuple[Tick, ...]  # thinned so that no two labels touch; the newest is always shown
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]
    columns: tuple[str, ...]  # the data table: one row per series, one column per x label
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    target: TargetLine | None = None
    font: int = FONT


def text_width(text: str) -> float:
    """A generous estimate of how wide a label is drawn, in SVG units."""
    return len(text) * CHAR


def _scale(highest: Decimal) -> tuple[Decimal, Decimal]:
    """A round top for the axis and a round step between its ticks (at most 6 steps)."""
    for step in (Decimal(1), Decimal(2), Decimal(5), Decimal(10), Decimal(20), Decimal(25), Decimal(50), Decimal(100)):
        steps = max((highest / step).to_integral_value(rounding="ROUND_CEILING"), Decimal(1))
        if steps <= 6:
            return steps * step, step
    return highest, highest


def _thin(ticks: list[Tick]) -> tuple[Tick, ...]:
    """Every k-th label, counted back from the newest, so that neighbours are a label's
    width and a gap apart."""
    if len(ticks) < 2:
        return tuple(ticks)
    spacing = abs(ticks[1].position - ticks[0].position)
    widest = max(text_width(t.label) for t in ticks)
    every = max(1, math.ceil((widest + FONT / 2) / spacing)) if spacing else len(ticks)
    last = len(ticks) - 1
    return tuple(t for i, t in enumerate(ticks) if (last - i) % every == 0)


def _target_lines(label: str) -> tuple[TextLine, ...]:
    """The target's label wrapped into a band above the plot, after a sample of its dashed
    line, so that it never crosses a line of the chart."""
    if not label:
        return ()
    wrapped = textwrap.wrap(label, width=max(int((WIDTH - TARGET_TEXT_X) / CHAR), 10))
    return tuple(TextLine(FONT + i * (FONT + 3), text) for i, text in enumerate(wrapped))


def fmt(value: Decimal, unit: str) -> str:
    text = number(value, 1)
    return f"{text}%" if unit == "percent" else text


def line_chart(chart_id: str, title: str, unit: str, x_labels: list[str],
               series: list[tuple[str, list[Decimal | None]]], summary: str,
               table_only: list[tuple[str, list[Decimal | None]]] | None = None,
               target: Decimal | None = None, target_label: str = "") -> Chart:
    """A line per series (at most four, each with its own dash and marker), and in the
    data table a row per series then per `table_only` row; `target` draws a level line."""
    label_lines = _target_lines(target_label) if target is not None else ()
    top = TOP + (int(label_lines[-1].y) + 8 if label_lines else 0)  # the target's band, if any, sits above
    height = HEIGHT + top - TOP
    right, bottom = WIDTH - RIGHT, height - BOTTOM
    values = [v for _, vs in series for v in vs if v is not None] + ([target] if target is not None else [])
    top_value, step = _scale(max(values, default=Decimal(1)))
    span = max(len(x_labels) - 1, 1)

    def x_at(i: int) -> float:
        return round(LEFT + (right - LEFT) * i / span, 1)

    def y_at(v: Decimal) -> float:
        return round(bottom - (bottom - top) * float(v / top_value), 1)

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
    x_ticks = _thin([Tick(x_at(i), label) for i, label in enumerate(x_labels)])
    rows = tuple((name, tuple(_("no figure") if v is None else fmt(v, unit) for v in vs))
                 for name, vs in [*series, *(table_only or [])])
    target_line = TargetLine(y_at(target), target, target_label, label_lines) if target is not None else None
    return Chart(chart_id, title, summary, unit, WIDTH, height, LEFT, right, top, bottom,
                 x_ticks, y_ticks, tuple(lines), tuple(x_labels), rows, target_line)


def _span_words(start: dt.date, end: dt.date) -> str:
    """'two years', 'six months': the time between two dates, in words up to eighteen.
    Each is a whole phrase, since a language counts years and months in its own way."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months >= 12 and months % 12 == 0:
        years = months // 12
        named = {1: _("one year"), 2: _("two years"), 3: _("three years"), 4: _("four years"),
                 5: _("five years"), 6: _("six years")}
        return named.get(years) or ngettext("%(num)d year", "%(num)d years", years)
    named = {1: _("one month"), 2: _("two months"), 3: _("three months"), 4: _("four months"),
             5: _("five months"), 6: _("six months"), 9: _("nine months"), 18: _("eighteen months")}
    return named.get(months) or ngettext("%(num)d month", "%(num)d months", months)


def change_sentence(subject: str, first: Decimal, first_date: dt.date, last: Decimal, last_date: dt.date,
                    unit: str) -> str:
    """E.g. 'Agency use fell from 22% to 18.5% in two years.' `subject` is in the
    current language already (improvement.subject)."""
    span = _span_words(first_date, last_date)
    if first == last:
        return _("%(subject)s stayed at %(value)s over %(span)s.", subject=subject, value=fmt(last, unit), span=span)
    values = {"subject": subject, "first": fmt(first, unit), "last": fmt(last, unit), "span": span}
    if last < first:
        return _("%(subject)s fell from %(first)s to %(last)s in %(span)s.", **values)
    return _("%(subject)s rose from %(first)s to %(last)s in %(span)s.", **values)


def dated_change_sentence(subject: str, first: Decimal, first_when: str, last: Decimal, last_when: str,
                          unit: str, unit_words: str = "") -> str:
    """A change between two named dates, e.g. 'Agency use fell from 11.2% at 30 September
    2025 to 9.1% at 31 December 2025.' `first_when` and `last_when` say when each figure
    is for: 'at 30 September 2025', or 'in the 12 months to 30 September 2025';
    `unit_words` follow a number that is not a percentage ('days per FTE')."""
    after = f" {unit_words}" if unit_words and unit != "percent" else ""
    values = {"subject": subject, "first": fmt(first, unit) + after, "first_when": first_when,
              "last": fmt(last, unit) + after, "last_when": last_when}
    if first == last:
        return _("%(subject)s was %(first)s %(first_when)s and the same %(last_when)s.", **values)
    if last < first:
        return _("%(subject)s fell from %(first)s %(first_when)s to %(last)s %(last_when)s.", **values)
    return _("%(subject)s rose from %(first)s %(first_when)s to %(last)s %(last_when)s.", **values)
