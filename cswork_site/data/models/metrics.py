"""Workforce figures: dated snapshots (data/metrics/YYYY-MM-DD.yaml), the settings that
describe them (data/metrics.yaml) and official benchmarks (data/benchmarks.yaml).

A snapshot is never overwritten: each "as at" date is a new file, so history is kept.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import ClassVar

from pydantic import Field

from cswork_site.data.models.common import BiShortText, Id, Model, Number, ShortText, Text, Url
from cswork_site.data.models.nation import Nation
from cswork_site.translation import gettext as _


class Unit(str, Enum):
    percent = "percent"
    people = "people"
    fte = "FTE"
    children_per_worker = "children per worker"
    days_per_fte = "days per FTE"


class Figure(Model):
    value: Number = Field(ge=0)
    unit: Unit
    source: ShortText | None = Field(default=None, description="Where it came from, if not the snapshot's source")
    as_at: dt.date | None = Field(default=None, description="If not the snapshot's own date")
    denominator: Number | None = Field(default=None, ge=0,
                                        description="For a rate, the number it is a share of (for suppression)")
    period_months: int | None = Field(default=None, ge=1, le=60, description=(
        "For a figure counted over time (conversions, intake, turnover, sickness), how many "
        "months up to its date it covers: 12 for the year to the snapshot date"))


class SurveyResult(Model):
    id: Id
    question: ShortText
    value: Number = Field(ge=0, le=100, description="Percent who agreed")
    respondents: int | None = Field(default=None, ge=0)
    invited: int | None = Field(default=None, ge=0, description="How many people were asked, for the response rate")


class LocalFigure(Model):
    kpi: Id = Field(description="A KPI defined in data/metrics.yaml")
    value: Number
    denominator: Number | None = Field(default=None, ge=0,
                                        description="For a percentage, the number of people it is a share of")


# The standard figures a snapshot may hold, with the unit each must be in.
STANDARD_FIGURES: dict[str, tuple[str, Unit]] = {
    "headcount": ("Social workers employed", Unit.people),
    "fte": ("Full-time equivalent social workers", Unit.fte),
    "vacancy_rate": ("Vacancy rate", Unit.percent),
    "agency_rate": ("Agency worker rate", Unit.percent),
    "turnover_rate": ("Turnover rate", Unit.percent),
    "permanency_rate": ("Permanent staff", Unit.percent),
    "average_caseload": ("Average caseload", Unit.children_per_worker),
    "sickness_absence": ("Sickness absence", Unit.days_per_fte),
    "agency_conversions": ("Agency workers who became permanent", Unit.people),
    "nq_intake": ("Newly qualified social workers who joined", Unit.people),
}

# Figures counted over a period up to their date, rather than at the date itself: their
# `period_months` says how long, and only like periods are compared.
PERIOD_FIGURES = frozenset({"turnover_rate", "sickness_absence", "agency_conversions", "nq_intake"})

def figure_label(name: str) -> str:
    """A standard figure's name as a page shows it, in the language being written;
    STANDARD_FIGURES keeps the English, which checks and messages use."""
    return {
        "headcount": _("Social workers employed"),
        "fte": _("Full-time equivalent social workers"),
        "vacancy_rate": _("Vacancy rate"),
        "agency_rate": _("Agency worker rate"),
        "turnover_rate": _("Turnover rate"),
        "permanency_rate": _("Permanent staff"),
        "average_caseload": _("Average caseload"),
        "sickness_absence": _("Sickness absence"),
        "agency_conversions": _("Agency workers who became permanent"),
        "nq_intake": _("Newly qualified social workers who joined"),
    }.get(name) or STANDARD_FIGURES[name][0]


# What each standard figure means, shown beside it. In England the four the DfE publishes
# follow the DfE's own definitions (children and family social workers, full-time
# equivalent, counted at 30 September), so that they compare fairly with England and the
# region; as_defined says so where the nation's statistics define them. Made at each call,
# in the language being written.
def definitions(nation: Nation) -> dict[str, str]:
    """What each standard figure means, in the words of the site's nation."""
    stats = nation.statistics
    as_defined = _(", as %(publisher)s defines it", publisher=stats.publisher_short) if stats.defines_figures else ""
    return {
        "headcount": _("Children and family social workers we employ, counted as people, agency workers not "
                       "included."),
        "fte": _("The full-time equivalent (FTE) of the social workers we employ: a worker on half the full hours "
                 "counts as 0.5."),
        "vacancy_rate": _("Vacancy rate = FTE vacancies ÷ (FTE vacancies + FTE social workers in "
                          "post)%(as_defined)s, at 30 September.", as_defined=as_defined),
        "agency_rate": _("Agency rate = FTE agency workers ÷ (FTE agency workers + FTE social workers in "
                         "post)%(as_defined)s, at 30 September.", as_defined=as_defined),
        "turnover_rate": _("Turnover rate = FTE leavers in the year ÷ FTE social workers in post%(as_defined)s, "
                           "at 30 September.", as_defined=as_defined),
        "permanency_rate": _("FTE social workers in post ÷ (FTE social workers in post + FTE agency workers): the "
                             "share of the workforce who are our own staff."),
        "average_caseload": _("Average caseload = cases held ÷ FTE case-holding social workers, agency workers "
                              "included%(as_defined)s, at 30 September.", as_defined=as_defined),
        "sickness_absence": _("Working days lost to sickness in the period ÷ FTE social workers in post."),
        "agency_conversions": _("Agency social workers who took a permanent post with us in the period, counted "
                                "as people."),
        "nq_intake": _("Newly qualified social workers (starting %(first_year)s) who joined us in the period, "
                       "counted as people.", first_year=nation.first_year),
    }


class Snapshot(Model):
    as_at: dt.date = Field(description="The date the figures describe; also the file's name")
    source: ShortText = Field(description="e.g. Castlebrook HR workforce dashboard")
    source_url: Url | None = None
    collected: dt.date | None = Field(default=None, description="When the figures were fetched or entered")
    headcount: Figure | None = None
    fte: Figure | None = None
    vacancy_rate: Figure | None = None
    agency_rate: Figure | None = None
    turnover_rate: Figure | None = None
    permanency_rate: Figure | None = None
    average_caseload: Figure | None = None
    sickness_absence: Figure | None = None
    agency_conversions: Figure | None = None
    nq_intake: Figure | None = None
    staff_survey: list[SurveyResult] = Field(default_factory=list)
    local: list[LocalFigure] = Field(default_factory=list)

    def figures(self) -> dict[str, Figure]:
        return {name: f for name in STANDARD_FIGURES if (f := getattr(self, name)) is not None}


class SourceFormat(str, Enum):
    json = "json"
    csv = "csv"


class PullSource(Model):
    UNPUBLISHED: ClassVar = "*"  # where the figures come from: never on a page
    url: ShortText = Field(description="An http(s) address, or a file path relative to the site folder")
    format: SourceFormat
    timeout_seconds: float = Field(default=10, gt=0, le=120)
    retries: int = Field(default=3, ge=0, le=10)


class LocalKpi(Model):
    id: Id
    name: BiShortText
    unit: BiShortText
    higher_is_better: bool = True


class Suppression(Model):
    min_count: int = Field(default=5, ge=1, description="Counts below this are shown as 'fewer than N'")
    min_denominator: int = Field(default=10, ge=1, description="Rates whose base is below this are withheld")


class MetricsSettings(Model):
    """data/metrics.yaml: where figures come from and how they are shown."""

    source: PullSource | None = None
    stale_after_days: int = Field(default=120, ge=1, description="cswork check warns when the newest is older")
    suppression: Suppression = Field(default_factory=Suppression)
    region: ShortText = Field(description="The authority's region, as the DfE names it, e.g. South East")
    local_authority: ShortText = Field(description="The authority as the DfE names it")
    comparators: list[ShortText] = Field(default_factory=list, description="Statistical neighbours, by DfE name")
    local_kpis: list[LocalKpi] = Field(default_factory=list)


class BenchmarkFigure(Model):
    value: Number | None = Field(description="None when the DfE marks it x, c, z, u or low")
    symbol: ShortText | None = Field(default=None, description="The DfE's symbol when there is no number")
    release: ShortText = Field(description="The release the figure came from, e.g. 2025")


class AreaYear(Model):
    area: ShortText = Field(description="England, a region or a local authority, as the DfE names it")
    level: ShortText = Field(description="National, Regional or Local authority")
    year: int = Field(ge=2000, le=2100, description="Reporting year: figures at 30 September")
    figures: dict[str, BenchmarkFigure] = Field(
        description="turnover_rate, agency_rate, vacancy_rate, average_caseload")


class Benchmarks(Model):
    """data/benchmarks.yaml, written by `cswork metrics import-dfe`."""

    source: Text
    licence: ShortText = "Open Government Licence v3.0"
    rows: list[AreaYear] = Field(default_factory=list)
