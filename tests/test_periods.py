"""Periods and the year-on-year comparison: the snapshot nearest to a year before,
9 to 15 months before, whatever the snapshot dates; counts compare like periods."""

import datetime as dt
from decimal import Decimal as D

import pytest

from cswork_site.data.models.metrics import Figure, Snapshot, Unit
from cswork_site.pages.improvement import Period, headlines, months_before, when, year_before


def _snap(day, agency=10, conversions=None, months=12):
    extra = {}
    if conversions is not None:
        extra["agency_conversions"] = Figure(value=D(conversions), unit=Unit.people, period_months=months)
    return Snapshot(as_at=day, source="HR", agency_rate=Figure(value=D(agency), unit=Unit.percent), **extra)


@pytest.mark.parametrize("day, months, expected", [
    (dt.date(2026, 9, 30), 12, dt.date(2025, 9, 30)),
    (dt.date(2026, 12, 31), 9, dt.date(2026, 3, 31)),
    (dt.date(2026, 12, 31), 15, dt.date(2025, 9, 30)),
    (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),
    (dt.date(2026, 4, 30), 1, dt.date(2026, 3, 31)),  # a month's end stays a month's end
    (dt.date(2026, 3, 15), 1, dt.date(2026, 2, 15)),
])
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_the_nearest_snapshot_to_a_year_before_within_9_to_15_months():
    days = [dt.date(2025, 3, 31), dt.date(2025, 9, 30), dt.date(2026, 3, 31), dt.date(2026, 9, 30)]
    snaps = [_snap(d) for d in days]
    assert year_before(snaps, snaps[-1]).as_at == dt.date(2025, 9, 30)
    # An off-cycle newest snapshot: 31 October is 13 months after 30 September.
    october = _snap(dt.date(2026, 10, 31))
    assert year_before([*snaps, october], october).as_at == dt.date(2025, 9, 30)
    # 31 December: 31 March (nine months, 90 days from a year before) beats 30 September (92 days).
    december = _snap(dt.date(2026, 12, 31))
    assert year_before([*snaps, december], december).as_at == dt.date(2026, 3, 31)
    # Nothing 9 to 15 months before: no comparison rather than a wrong one.
    lonely = [_snap(dt.date(2024, 9, 30)), _snap(dt.date(2026, 9, 30))]
    assert year_before(lonely, lonely[-1]) is None


def test_a_tie_goes_to_the_earlier_snapshot():
    snaps = [_snap(dt.date(2025, 6, 10)), _snap(dt.date(2025, 6, 20)), _snap(dt.date(2026, 6, 15))]
    assert year_before(snaps, snaps[-1]).as_at == dt.date(2025, 6, 10)


def test_counts_compare_only_like_periods_and_say_them():
    snaps = [_snap(dt.date(2025, 9, 30), conversions=14, months=6), _snap(dt.date(2025, 12, 31), conversions=12),
             _snap(dt.date(2026, 9, 30), conversions=10)]
    # 30 September 2025 is nearer a year before, but counts six months: 31 December is compared.
    assert year_before(snaps, snaps[-1], "agency_conversions").as_at == dt.date(2025, 12, 31)
    assert year_before(snaps, snaps[-1], "agency_rate").as_at == dt.date(2025, 9, 30)
    moves = next(h for h in headlines(snaps, None) if h.name == "agency_conversions")
    assert moves.period == Period(12, dt.date(2026, 9, 30))
    assert moves.when == "in the 12 months to 30 September 2026"
    assert moves.change == ("Agency-to-permanent moves fell from 12 people in the 12 months to 31 December 2025 "
                            "to 10 people in the 12 months to 30 September 2026.")
    assert moves.compared_with == dt.date(2025, 12, 31)
    agency = next(h for h in headlines(snaps, None) if h.name == "agency_rate")
    assert agency.change == "Agency use was 10% at 30 September 2025 and the same at 30 September 2026."


def test_a_count_without_a_period_says_so():
    figure = Figure(value=D(3), unit=Unit.people)
    assert when("nq_intake", figure, dt.date(2026, 9, 30)) == "up to 30 September 2026 (period not stated)"
    assert when("headcount", Figure(value=D(170), unit=Unit.people), dt.date(2026, 9, 30)) == "at 30 September 2026"


def test_comparators_are_charted_only_when_their_figures_are_imported():
    from cswork_site.data.models.metrics import AreaYear, BenchmarkFigure, Benchmarks, MetricsSettings
    from cswork_site.pages.improvement import neighbours_name, trend_charts

    def row(area, level, year, value):
        return AreaYear(area=area, level=level, year=year,
                        figures={"agency_rate": BenchmarkFigure(value=D(value), release="2025")})

    settings = MetricsSettings(region="South East", local_authority="Here", comparators=["Millbridge", "Ravensford"])
    snaps = [_snap(dt.date(2024, 9, 30), agency=20), _snap(dt.date(2025, 9, 30), agency=15)]
    england = [row("England", "National", 2024, 16), row("England", "National", 2025, 13)]
    without = trend_charts(snaps, settings, Benchmarks(source="DfE", rows=england), "Here")
    agency = next(c for c in without if c.id == "agency-rate")
    assert [name for name, _ in agency.rows] == ["Here", "England"]
    neighbours = [row("Millbridge", "Local authority", 2024, 18), row("Millbridge", "Local authority", 2025, 17),
                  row("Ravensford", "Local authority", 2025, 11)]
    with_them = trend_charts(snaps, settings, Benchmarks(source="DfE", rows=england + neighbours), "Here")
    agency = next(c for c in with_them if c.id == "agency-rate")
    rows = dict(agency.rows)
    assert rows["Millbridge"] == ("18%", "17%") and rows["Ravensford"] == ("no figure", "11%")
    assert rows[neighbours_name()] == ("18%", "14%")  # the average of those with a figure
    assert [line.name for line in agency.lines] == ["Here", "England", neighbours_name()]


@pytest.mark.slow
def test_check_warns_of_a_count_without_a_period_and_a_pull_keeps_periods(tmp_path):
    import json
    import re

    from cswork_site.metrics.store import load_snapshots

    from .helpers import copy_site, cswork

    site = copy_site(tmp_path / "site")
    newest = sorted((site / "data" / "metrics").glob("*.yaml"))[-1]
    lines = newest.read_text().splitlines()
    start = lines.index("agency_conversions:")
    period = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("period_months:"))
    del lines[period]
    newest.write_text("\n".join(lines) + "\n")
    check = cswork("check", str(site))
    assert check.returncode == 1
    assert re.search(rf"^data/metrics/{newest.name}:{start + 1}: agency_conversions: warning: is counted over a "
                     r"period, but the snapshot does not say which", check.stderr, re.M), check.stderr
    # A pulled snapshot keeps the period it was given (and the survey's invitations).
    source = tmp_path / "figures.json"
    source.write_text(json.dumps({"as_at": "2026-10-31", "source": "HR dashboard", "figures": {
        "agency_conversions": {"value": 3, "unit": "people", "period_months": 1}},
        "staff_survey": [{"id": "proud", "question": "I am proud to work here", "value": 80,
                          "respondents": 120, "invited": 150}]}))
    pulled = cswork("metrics", "pull", str(site), "--from", str(source))
    assert pulled.returncode == 0, pulled.stderr
    stored = {s.as_at.isoformat(): s for _, s in load_snapshots(site)[0]}["2026-10-31"]
    assert stored.agency_conversions.period_months == 1
    assert stored.staff_survey[0].invited == 150
