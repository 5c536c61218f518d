"""Theory-of-change status is computed from the newest figures, per measure and strand."""

import datetime as dt
from decimal import Decimal as D

from cswork_site.data.models.metrics import Figure, LocalFigure, Snapshot, Unit
from cswork_site.data.models.strategy import Direction, Measure, Strand
from cswork_site.pages.strategy import Status, measure_status, strand_statuses


def _snap(day, **figures):
    return Snapshot(as_at=day, source="test", **{k: Figure(value=D(v), unit=Unit.percent) for k, v in figures.items()})


SNAPS = [_snap(dt.date(2025, 9, 30), agency_rate=15, turnover_rate=18),
         _snap(dt.date(2026, 9, 30), agency_rate=9)]


def test_newest_figure_decides_and_older_ones_fill_gaps():
    agency = measure_status(Measure(metric="agency_rate", target=D(10), direction=Direction.at_most), SNAPS)
    assert (agency.status, agency.latest, agency.as_at) == (Status.on_track, D(9), "2026-09-30")
    turnover = measure_status(Measure(metric="turnover_rate", target=D(15), direction=Direction.at_most), SNAPS)
    assert (turnover.status, turnover.as_at) == (Status.not_yet, "2025-09-30")
    missing = measure_status(Measure(metric="vacancy_rate", target=D(10), direction=Direction.at_most), SNAPS)
    assert missing.status == Status.no_data


def test_at_least_targets_and_local_kpis():
    snap = Snapshot(as_at=dt.date(2026, 9, 30), source="t", local=[LocalFigure(kpi="visits", value=D(92))])
    m = measure_status(Measure(metric="kpi:visits", target=D(90), direction=Direction.at_least), [snap])
    assert m.status == Status.on_track


def test_strand_status_follows_its_measures():
    def strand(*measures):
        return Strand(id="s", title="S", activities=["a"], outputs=["o"], outcomes=["c"], impact="i",
                      measures=list(measures))
    ok = Measure(metric="agency_rate", target=D(10), direction=Direction.at_most)
    bad = Measure(metric="turnover_rate", target=D(15), direction=Direction.at_most)
    none = Measure(metric="vacancy_rate", target=D(10), direction=Direction.at_most)
    statuses = strand_statuses([strand(ok), strand(ok, bad), strand(none), strand(ok, none)], SNAPS)
    assert [s.status for s in statuses] == [Status.on_track, Status.not_yet, Status.no_data, Status.on_track]


def _count(day, value, months):
    return Snapshot(as_at=day, source="t", agency_conversions=Figure(value=D(value), unit=Unit.people,
                                                                     period_months=months))


def test_a_count_is_only_compared_with_a_target_for_the_same_period():
    # The newest count covers six months: it says nothing about a target for a year.
    snaps = [_count(dt.date(2025, 9, 30), 14, 12), _count(dt.date(2026, 3, 31), 5, 6)]
    yearly = Measure(metric="agency_conversions", target=D(12), direction=Direction.at_least, period_months=12)
    status = measure_status(yearly, snaps)
    assert (status.status, status.latest, status.as_at, status.period_months) == \
        (Status.on_track, D(14), "2025-09-30", 12)
    half = Measure(metric="agency_conversions", target=D(6), direction=Direction.at_least, period_months=6)
    assert measure_status(half, snaps).status == Status.not_yet
    quarterly = Measure(metric="agency_conversions", target=D(3), direction=Direction.at_least, period_months=3)
    assert measure_status(quarterly, snaps).status == Status.no_data
    # Without a period on the measure, the newest figure decides, as before.
    plain = Measure(metric="agency_conversions", target=D(6), direction=Direction.at_least)
    assert measure_status(plain, snaps).latest == D(5)
