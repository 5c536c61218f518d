"""The improvement story, ready for templates: headline figures with their change in
words, trend charts against England and the region, and every published figure with
small numbers suppressed (the same figures go to the CSV and JSON downloads)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from . import suppression
from .charts import Chart, change_sentence, fmt, line_chart
from .models.metrics import (
    STANDARD_FIGURES,
    Benchmarks,
    Figure,
    MetricsSettings,
    Snapshot,
    Unit,
)
from .suppression import Shown

CHARTED = ("vacancy_rate", "agency_rate", "turnover_rate", "average_caseload")
HEADLINES = ("vacancy_rate", "agency_rate", "turnover_rate", "average_caseload", "agency_conversions", "permanency_rate")
# How each figure reads in a sentence ("Agency use fell from 22% to 18.5%").
SUBJECTS = {
    "vacancy_rate": "The vacancy rate", "agency_rate": "Agency use", "turnover_rate": "Turnover",
    "average_caseload": "The average caseload", "permanency_rate": "The share of permanent staff",
    "agency_conversions": "Agency-to-permanent moves", "sickness_absence": "Sickness absence",
    "headcount": "The number of social workers", "fte": "Full-time equivalent staff",
    "nq_intake": "Newly qualified intake",
}


@dataclass(frozen=True)
class Headline:
    name: str
    label: str
    shown: Shown
    as_at: dt.date
    source: str
    change: str | None  # a sentence, when a figure a year earlier can be shown too


@dataclass(frozen=True)
class PublishedFigure:
    """One figure as it may be published: the row of the downloads and the tables."""

    as_at: dt.date
    name: str
    label: str
    unit: str
    shown: Shown
    source: str


def publish(figure: Figure, name: str, snapshot: Snapshot, settings: MetricsSettings | None) -> Shown:
    rules = settings.suppression if settings else None
    min_count = rules.min_count if rules else 5
    min_base = rules.min_denominator if rules else 10
    if figure.unit in (Unit.people,):
        return suppression.count(figure.value, min_count)
    if figure.unit == Unit.percent:
        return suppression.rate(figure.value, figure.denominator, min_base)
    return Shown(figure.value, fmt(figure.value, figure.unit.value) + ("" if figure.unit == Unit.fte else ""))


def published_figures(snapshots: list[Snapshot], settings: MetricsSettings | None) -> list[PublishedFigure]:
    rows = []
    for snap in snapshots:
        for name, figure in snap.figures().items():
            rows.append(PublishedFigure(figure.as_at or snap.as_at, name, STANDARD_FIGURES[name][0],
                                        figure.unit.value, publish(figure, name, snap, settings),
                                        figure.source or snap.source))
    return rows


def _year_before(snapshots: list[Snapshot], newest: Snapshot) -> Snapshot | None:
    day = newest.as_at
    # 29 February has no twin a year before: compare with 28 February.
    target = day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)
    return next((s for s in snapshots if s.as_at == target), None)


def headlines(snapshots: list[Snapshot], settings: MetricsSettings | None) -> list[Headline]:
    if not snapshots:
        return []
    newest = snapshots[-1]
    before = _year_before(snapshots, newest)
    out = []
    for name in HEADLINES:
        figure = newest.figures().get(name)
        if figure is None:
            continue
        shown = publish(figure, name, newest, settings)
        change = None
        earlier = before.figures().get(name) if before else None
        if earlier and not shown.suppressed and not publish(earlier, name, before, settings).suppressed:
            change = change_sentence(SUBJECTS[name], earlier.value, before.as_at, figure.value, newest.as_at,
                                     figure.unit.value)
        out.append(Headline(name, STANDARD_FIGURES[name][0], shown, figure.as_at or newest.as_at,
                            figure.source or newest.source, change))
    return out


def _september(snapshots: list[Snapshot], year: int) -> Snapshot | None:
    """The DfE counts at 30 September: compare like with like."""
    return next((s for s in snapshots if s.as_at.year == year and s.as_at.month == 9), None)


def trend_charts(snapshots: list[Snapshot], settings: MetricsSettings | None,
                 benchmarks: Benchmarks | None, authority: str) -> list[Chart]:
    years = sorted({s.as_at.year for s in snapshots if s.as_at.month == 9}
                   | {r.year for r in (benchmarks.rows if benchmarks else [])})
    years = years[-6:]
    areas = [("England", "National")]
    if settings:
        areas.append((settings.region, "Regional"))
    charts = []
    for name in CHARTED:
        label, unit = STANDARD_FIGURES[name]
        ours: list[Decimal | None] = []
        for year in years:
            snap = _september(snapshots, year)
            figure = snap.figures().get(name) if snap else None
            shown = publish(figure, name, snap, settings) if figure else None
            ours.append(shown.value if shown else None)
        series = [(authority, ours)]
        for area, level in areas:
            values = []
            for year in years:
                row = next((r for r in (benchmarks.rows if benchmarks else [])
                            if r.area.casefold() == area.casefold() and r.year == year and r.level == level), None)
                fig = row.figures.get(name) if row else None
                values.append(fig.value if fig else None)
            if any(v is not None for v in values):
                series.append((area, values))
        known = [(y, v) for y, v in zip(years, ours) if v is not None]
        if len(known) >= 2:
            (y0, v0), (y1, v1) = known[0], known[-1]
            summary = change_sentence(SUBJECTS[name], v0, dt.date(y0, 9, 30), v1, dt.date(y1, 9, 30), unit.value)
        else:
            summary = f"Not enough figures yet to show a trend in {label.lower()}."
        comparison = [s for s in series[1:] if s[1][-1] is not None and ours and ours[-1] is not None]
        if comparison:
            area, values = comparison[0]
            summary += f" In {years[-1]} {area} was at {fmt(values[-1], unit.value)}."
        charts.append(line_chart(name.replace("_", "-"), f"{label}, at 30 September each year", unit.value,
                                 [str(y) for y in years], series, summary))
    return charts


@dataclass(frozen=True)
class ImprovementStory:
    newest: Snapshot | None
    headlines: list[Headline]
    charts: list[Chart]
    strands: list  # StrandStatus, with statuses computed from the newest figures
    stale: bool  # the newest figures are older than the settings allow
    figures: list[PublishedFigure]  # every figure as published, for tables and downloads
    kpi_names: dict[str, str]
    snapshots: tuple[Snapshot, ...] = ()
    settings: MetricsSettings | None = None

    def metric_label(self, metric: str) -> str:
        kind, _, ident = metric.partition(":")
        if kind in ("kpi", "survey"):
            return self.kpi_names.get(ident, ident.replace("-", " ").capitalize())
        return STANDARD_FIGURES[metric][0] if metric in STANDARD_FIGURES else metric

    def measure_text(self, status) -> str:
        """A measure's latest figure as it may be published: small numbers stay hidden."""
        if status.latest is None:
            return "No figure yet"
        snap = next((s for s in self.snapshots if s.as_at.isoformat() == status.as_at), None)
        figure = snap.figures().get(status.measure.metric) if snap else None
        if figure:
            shown = publish(figure, status.measure.metric, snap, self.settings)
        elif status.measure.metric.startswith("survey:") and snap:
            # A survey answer from few people could be traced to them: treat it like a rate.
            result = next(r for r in snap.staff_survey if r.id == status.measure.metric.partition(":")[2])
            shown = suppression.rate(result.value, result.respondents, self._min_base)
        else:
            shown = Shown(status.latest, fmt(status.latest, ""))
        return f"{shown.text} ({status.as_at})"

    @property
    def _min_base(self) -> int:
        return self.settings.suppression.min_denominator if self.settings else 10

    def latest(self, name: str) -> Headline | None:
        return next((h for h in self.headlines if h.name == name), None)


def improvement_story(snapshots: list[Snapshot], settings: MetricsSettings | None, benchmarks: Benchmarks | None,
                      strategy, authority: str, today: dt.date) -> ImprovementStory:
    from .theory import strand_statuses

    snapshots = sorted(snapshots, key=lambda s: s.as_at)
    newest = snapshots[-1] if snapshots else None
    stale = bool(newest and settings and (today - newest.as_at).days > settings.stale_after_days)
    names = {k.id: k.name for k in settings.local_kpis} if settings else {}
    if newest:
        names.update({s.id: s.question for s in newest.staff_survey})
    return ImprovementStory(
        newest, headlines(snapshots, settings), trend_charts(snapshots, settings, benchmarks, authority) if snapshots else [],
        strand_statuses(strategy.strands, snapshots) if strategy else [], stale,
        published_figures(snapshots, settings), names, tuple(snapshots), settings)
