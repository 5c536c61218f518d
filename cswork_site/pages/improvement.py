"""The improvement story, ready for templates: headline figures with their definitions,
periods and change in words, trend charts against England, the region, the statistical
neighbours and the strategy's targets, staff survey results, and every published figure
with small numbers suppressed (the same figures go to the CSV and JSON downloads)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from cswork_site.data.models.common import Url
from cswork_site.data.models.metrics import (
    PERIOD_FIGURES,
    STANDARD_FIGURES,
    Benchmarks,
    Figure,
    MetricsSettings,
    Snapshot,
    Unit,
    definitions,
    figure_label,
)
from cswork_site.data.models.nation import Nation, default_nation, in_the
from cswork_site.pages import suppression
from cswork_site.pages.charts import Chart, change_sentence, dated_change_sentence, fmt, line_chart
from cswork_site.pages.filters import long_date
from cswork_site.pages.labels import words
from cswork_site.pages.suppression import Shown
from cswork_site.translation import gettext as _, ngettext

CHARTED = ("vacancy_rate", "agency_rate", "turnover_rate", "average_caseload")
HEADLINES = ("vacancy_rate", "agency_rate", "turnover_rate", "average_caseload", "agency_conversions",
             "permanency_rate", "nq_intake", "sickness_absence")


def subject(name: str) -> str:
    """How a figure reads in a sentence ("Agency use fell from 22% to 18.5%"), in the
    current language: each language writes it in the form its sentences need."""
    return {
        "vacancy_rate": _("The vacancy rate"), "agency_rate": _("Agency use"), "turnover_rate": _("Turnover"),
        "average_caseload": _("The average caseload"), "permanency_rate": _("The share of permanent staff"),
        "agency_conversions": _("Agency-to-permanent moves"), "sickness_absence": _("Sickness absence"),
        "headcount": _("The number of social workers"), "fte": _("Full-time equivalent staff"),
        "nq_intake": _("Newly qualified intake"),
    }[name]


# A year-on-year comparison uses the snapshot nearest to one year before, if it is 9 to 15
# months before: off-cycle snapshots (31 December, say) never make the comparison vanish.
YEAR_TOLERANCE_MONTHS = (9, 15)


def neighbours_name() -> str:
    return _("Statistical neighbours (average)")


def unit_words(unit: str, default: str | None = None) -> str:
    """The words after a number, by unit (a percent is written with its sign)."""
    known = {"people": _("people"), "FTE": _("FTE"), "children per worker": _("children per worker"),
             "days per FTE": _("days per FTE")}
    return known.get(unit, unit if default is None else default)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier; a month's last day maps to that month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month + 1, last if month_end else min(day.day, last))


@dataclass(frozen=True)
class Period:
    """The months a count covers, up to its date: 'the 12 months to 30 September 2026'."""

    months: int
    end: dt.date

    @property
    def phrase(self) -> str:
        return ngettext("in the %(num)d month to %(date)s", "in the %(num)d months to %(date)s", self.months,
                        date=long_date(self.end))


def when(name: str, figure: Figure, as_at: dt.date) -> str:
    """When a figure is for, in words: 'at 30 September 2026', or the period it counts."""
    if figure.period_months:
        return Period(figure.period_months, as_at).phrase
    if name in PERIOD_FIGURES:
        return _("up to %(date)s (period not stated)", date=long_date(as_at))
    return _("at %(date)s", date=long_date(as_at))


def with_unit(shown: Shown, unit: str) -> str:
    """A published value with its unit in words: '15 children per worker', '9.1%'."""
    if unit in ("percent", "%") or (shown.suppressed and unit != "people"):
        return shown.text
    after = unit_words(unit)
    return f"{shown.text} {after}" if after else shown.text


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None = None


def source_link(text: str, url: str | Url | None = None) -> Link:
    """A source as a link: its own address, or one written at the end of its text."""
    if url:
        return Link(text, str(url))
    match = re.search(r"[,;:]?\s*(https?://\S+?)[.)]?$", text)
    if match:
        return Link(text[: match.start()].strip() or match.group(1), match.group(1))
    return Link(text)


@dataclass(frozen=True)
class Headline:
    name: str
    label: str
    shown: Shown
    as_at: dt.date
    source: str
    change: str | None  # a sentence naming both dates, when a figure about a year earlier can be shown too
    definition: str = ""
    period: Period | None = None  # for a count over time: the months it covers
    source_url: str | None = None
    compared_with: dt.date | None = None  # the date of the earlier figure in `change`
    text: str = ""  # the value with its unit in words
    when: str = ""  # 'at 30 September 2026' or 'in the 12 months to 30 September 2026'


@dataclass(frozen=True)
class PublishedFigure:
    """One figure as it may be published: the row of the downloads and the tables."""

    as_at: dt.date
    name: str
    label: str
    unit: str
    shown: Shown
    source: str


def _rules(settings: MetricsSettings | None) -> tuple[int, int]:
    rules = settings.suppression if settings else None
    return (rules.min_count if rules else 5), (rules.min_denominator if rules else 10)


def publish(figure: Figure, name: str, snapshot: Snapshot, settings: MetricsSettings | None) -> Shown:
    min_count, min_base = _rules(settings)
    if figure.unit in (Unit.people,):
        return suppression.count(figure.value, min_count)
    if figure.unit == Unit.percent:
        return suppression.rate(figure.value, figure.denominator, min_base)
    return Shown(figure.value, fmt(figure.value, figure.unit.value))


def published_figures(snapshots: list[Snapshot], settings: MetricsSettings | None) -> list[PublishedFigure]:
    rows = []
    for snap in snapshots:
        for name, figure in snap.figures().items():
            rows.append(PublishedFigure(figure.as_at or snap.as_at, name, STANDARD_FIGURES[name][0],
                                        figure.unit.value, publish(figure, name, snap, settings),
                                        figure.source or snap.source))
    return rows


def year_before(snapshots: list[Snapshot], newest: Snapshot, name: str | None = None) -> Snapshot | None:
    """The snapshot nearest to one year before `newest`, 9 to 15 months before it (the
    earlier on a tie); with `name`, only snapshots holding that figure for a like period."""
    day = newest.as_at
    target = months_before(day, 12)
    earliest, latest = months_before(day, YEAR_TOLERANCE_MONTHS[1]), months_before(day, YEAR_TOLERANCE_MONTHS[0])
    candidates = [s for s in snapshots if earliest <= s.as_at <= latest]
    if name is not None:
        figure = newest.figures().get(name)
        candidates = [s for s in candidates if (f := s.figures().get(name)) is not None
                      and (figure is None or f.period_months == figure.period_months)]
    return min(candidates, key=lambda s: (abs((s.as_at - target).days), s.as_at), default=None)


def headlines(snapshots: list[Snapshot], settings: MetricsSettings | None,
              nation: Nation | None = None) -> list[Headline]:
    if not snapshots:
        return []
    newest = snapshots[-1]
    meanings = definitions(nation or default_nation())
    out = []
    for name in HEADLINES:
        figure = newest.figures().get(name)
        if figure is None:
            continue
        shown = publish(figure, name, newest, settings)
        as_at = figure.as_at or newest.as_at
        change, compared = None, None
        before = year_before(snapshots, newest, name)
        earlier = before.figures().get(name) if before else None
        if before and earlier and not shown.suppressed and not publish(earlier, name, before, settings).suppressed:
            then = earlier.as_at or before.as_at
            change = dated_change_sentence(subject(name), earlier.value, when(name, earlier, then),
                                           figure.value, when(name, figure, as_at), figure.unit.value,
                                           unit_words(figure.unit.value, ""))
            compared = then
        link = source_link(figure.source) if figure.source else source_link(newest.source, newest.source_url)
        period = Period(figure.period_months, as_at) if figure.period_months else None
        out.append(Headline(name, figure_label(name), shown, as_at, link.text, change,
                            meanings[name], period, link.url, compared, with_unit(shown, figure.unit.value),
                            when(name, figure, as_at)))
    return out


def _september(snapshots: list[Snapshot], year: int) -> Snapshot | None:
    """The DfE counts at 30 September: compare like with like."""
    return next((s for s in snapshots if s.as_at.year == year and s.as_at.month == 9), None)


def _target_words(measure, unit: str) -> str:
    target = with_unit(Shown(measure.target, fmt(measure.target, unit)), unit)
    values = {"direction": words(measure.direction), "target": target}
    if measure.period_months and measure.by:
        return ngettext("%(direction)s %(target)s over %(num)d month by %(date)s",
                        "%(direction)s %(target)s over %(num)d months by %(date)s", measure.period_months,
                        date=long_date(measure.by), **values)
    if measure.period_months:
        return ngettext("%(direction)s %(target)s over %(num)d month, with no date set",
                        "%(direction)s %(target)s over %(num)d months, with no date set", measure.period_months,
                        **values)
    if measure.by:
        return _("%(direction)s %(target)s by %(date)s", date=long_date(measure.by), **values)
    return _("%(direction)s %(target)s, with no date set", **values)


def _benchmark(rows, area: str, year: int, level: str | None, name: str) -> Decimal | None:
    row = next((r for r in rows if r.area.casefold() == area.casefold() and r.year == year
                and (level is None or r.level == level)), None)
    fig = row.figures.get(name) if row else None
    return fig.value if fig else None


def trend_charts(snapshots: list[Snapshot], settings: MetricsSettings | None,
                 benchmarks: Benchmarks | None, authority: str, strategy=None,
                 nation: Nation | None = None) -> list[Chart]:
    bench_rows = benchmarks.rows if benchmarks else []
    years = sorted({s.as_at.year for s in snapshots if s.as_at.month == 9} | {r.year for r in bench_rows})
    years = years[-6:]
    areas = [((nation or default_nation()).statistics.national_area, "National")]
    if settings:
        areas.append((settings.region, "Regional"))
    comparators = list(settings.comparators) if settings else []
    charts = []
    for name in CHARTED:
        label, unit = figure_label(name), STANDARD_FIGURES[name][1]
        ours: list[Decimal | None] = []
        for year in years:
            snap = _september(snapshots, year)
            figure = snap.figures().get(name) if snap else None
            shown = publish(figure, name, snap, settings) if snap and figure else None
            ours.append(shown.value if shown else None)
        series = [(authority, ours)]
        for area, level in areas:
            values = [_benchmark(bench_rows, area, year, level, name) for year in years]
            if any(v is not None for v in values):
                series.append((area, values))
        # Statistical neighbours: one line for their average (a chart stays readable with
        # four lines), and a row in the table for each of them.
        neighbours = [(area, [_benchmark(bench_rows, area, year, "Local authority", name) for year in years])
                      for area in comparators]
        neighbours = [(a, vs) for a, vs in neighbours if any(v is not None for v in vs)]
        if neighbours:
            average: list[Decimal | None] = []
            for i in range(len(years)):
                given = [v for v in (vs[i] for _, vs in neighbours) if v is not None]
                average.append((sum(given, Decimal(0)) / len(given)).quantize(Decimal("0.1")) if given else None)
            series.append((neighbours_name(), average))
        known = [(y, v) for y, v in zip(years, ours, strict=True) if v is not None]
        if len(known) >= 2:
            (y0, v0), (y1, v1) = known[0], known[-1]
            summary = change_sentence(subject(name), v0, dt.date(y0, 9, 30), v1, dt.date(y1, 9, 30), unit.value)
        else:
            summary = _("Not enough figures yet to show a trend: %(figure)s.", figure=label)
        if ours and ours[-1] is not None:
            for area, values in series[1:]:
                if values[-1] is not None:
                    summary += " " + _("In %(year)s %(area)s was at %(value)s.", year=years[-1], area=area,
                                             value=fmt(values[-1], unit.value))
        measure = next((m for s in (strategy.strands if strategy else []) for m in s.measures if m.metric == name),
                       None)
        target_label = ""
        if measure is not None:
            target_label = _("Target: %(target)s", target=_target_words(measure, unit.value))
            summary += " " + _("Our target is %(target)s.", target=_target_words(measure, unit.value))
        title = _("%(figure)s, at 30 September each year", figure=label)
        charts.append(line_chart(name.replace("_", "-"), title, unit.value,
                                 [str(y) for y in years], series, summary, table_only=neighbours,
                                 target=measure.target if measure is not None else None,
                                 target_label=target_label))
    return charts


@dataclass(frozen=True)
class SurveyRow:
    question: str
    agreed: Shown  # the percentage who agreed, withheld when few answered
    respondents: Shown | None
    response_rate: Shown | None  # respondents as a share of the people asked


@dataclass(frozen=True)
class Survey:
    as_at: dt.date
    source: Link
    rows: tuple[SurveyRow, ...]


def staff_survey(snapshots: list[Snapshot], settings: MetricsSettings | None) -> Survey | None:
    """The newest staff survey results, small numbers suppressed."""
    snap = next((s for s in reversed(snapshots) if s.staff_survey), None)
    if snap is None:
        return None
    min_count, min_base = _rules(settings)
    rows = []
    for r in snap.staff_survey:
        agreed = suppression.rate(r.value, r.respondents, min_base)
        respondents = suppression.count(r.respondents, min_count) if r.respondents is not None else None
        rate = None
        if r.invited and r.respondents is not None:
            share = (Decimal(r.respondents) * 100 / Decimal(r.invited)).quantize(Decimal("0.1"))
            rate = suppression.rate(share, r.invited, min_base)
        rows.append(SurveyRow(r.question, agreed, respondents, rate))
    return Survey(snap.as_at, source_link(snap.source, snap.source_url), tuple(rows))


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
    survey: Survey | None = None
    source: Link | None = None  # the newest snapshot's source, as a link when it has an address
    benchmarks_source: Link | None = None
    comparators: tuple[str, ...] = ()  # statistical neighbours with figures in the charts
    nation: Nation | None = None  # whose statistics and words; England's when not given
    # The areas the charts compare us with, as a sentence names them ("England", "the South
    # East"): only those with figures in the benchmarks.
    compared_with: tuple[str, ...] = ()

    def metric_label(self, metric: str) -> str:
        kind, _sep, ident = metric.partition(":")
        if kind in ("kpi", "survey"):
            return self.kpi_names.get(ident, ident.replace("-", " ").capitalize())
        return figure_label(metric) if metric in STANDARD_FIGURES else metric

    def unit(self, metric: str) -> str:
        kind, _sep, ident = metric.partition(":")
        if kind == "survey":
            return "percent"
        if kind == "kpi":
            kpi = next((k for k in (self.settings.local_kpis if self.settings else []) if k.id == ident), None)
            return "percent" if kpi is None or kpi.unit in ("percent", "%") else kpi.unit
        return STANDARD_FIGURES[metric][1].value if metric in STANDARD_FIGURES else ""

    def definition(self, metric: str) -> str:
        return definitions(self.nation or default_nation()).get(metric.replace("-", "_"), "")

    def target_text(self, measure) -> str:
        """E.g. 'at most 12% by 31 March 2027': the target with its unit and date."""
        return _target_words(measure, self.unit(measure.metric))

    def measure_text(self, status) -> str:
        """A measure's latest figure as it may be published, with its unit and date (or
        period): small numbers stay hidden."""
        if status.latest is None:
            return _("No figure yet")
        metric = status.measure.metric
        unit = self.unit(metric)
        snap = next((s for s in self.snapshots if s.as_at.isoformat() == status.as_at), None)
        figure = snap.figures().get(metric) if snap else None
        kind, _sep, ident = metric.partition(":")
        if snap and figure:
            shown = publish(figure, metric, snap, self.settings)
            return f"{with_unit(shown, unit)} {when(metric, figure, figure.as_at or snap.as_at)}"
        if kind == "survey" and snap:
            # A survey answer from few people could be traced to them: treat it like a rate.
            result = next(r for r in snap.staff_survey if r.id == ident)
            shown = suppression.rate(result.value, result.respondents, self._min_base)
        elif kind == "kpi" and snap:
            local = next(f for f in snap.local if f.kpi == ident)
            if unit == "percent":
                shown = suppression.rate(local.value, local.denominator, self._min_base)
            else:
                shown = Shown(local.value, fmt(local.value, ""))
        else:
            shown = Shown(status.latest, fmt(status.latest, unit))
        day = snap.as_at if snap else dt.date.fromisoformat(status.as_at)
        return f"{with_unit(shown, unit)} {_('at %(date)s', date=long_date(day))}"

    @property
    def _min_base(self) -> int:
        return _rules(self.settings)[1]

    def latest(self, name: str) -> Headline | None:
        return next((h for h in self.headlines if h.name == name), None)


def improvement_story(snapshots: list[Snapshot], settings: MetricsSettings | None, benchmarks: Benchmarks | None,
                      strategy, authority: str, today: dt.date, nation: Nation | None = None) -> ImprovementStory:
    from cswork_site.pages.strategy import strand_statuses

    snapshots = sorted(snapshots, key=lambda s: s.as_at)
    newest = snapshots[-1] if snapshots else None
    stale = bool(newest and settings and (today - newest.as_at).days > settings.stale_after_days)
    names = {k.id: k.name for k in settings.local_kpis} if settings else {}
    if newest:
        names.update({s.id: s.question for s in newest.staff_survey})
    nation = nation or default_nation()
    charts = trend_charts(snapshots, settings, benchmarks, authority, strategy, nation) if snapshots else []
    bench_areas = {r.area.casefold() for r in (benchmarks.rows if benchmarks else []) if r.level == "Local authority"}
    comparators = tuple(c for c in (settings.comparators if settings else []) if c.casefold() in bench_areas)
    return ImprovementStory(
        newest, headlines(snapshots, settings, nation), charts,
        strand_statuses(strategy.strands, snapshots) if strategy else [], stale,
        published_figures(snapshots, settings), names, tuple(snapshots), settings,
        staff_survey(snapshots, settings),
        source_link(newest.source, newest.source_url) if newest else None,
        source_link(benchmarks.source) if benchmarks else None, comparators, nation,
        _compared_with(benchmarks, settings, nation))


def _compared_with(benchmarks: Benchmarks | None, settings: MetricsSettings | None, nation: Nation) -> tuple[str, ...]:
    """The nation and the region, where the benchmarks have figures for them."""
    rows = benchmarks.rows if benchmarks else []
    have = {(r.area.casefold(), r.level) for r in rows}
    out = []
    if (nation.statistics.national_area.casefold(), "National") in have:
        out.append(nation.statistics.national_area)
    if settings and (settings.region.casefold(), "Regional") in have:
        out.append(in_the(settings.region))
    return tuple(out)
