"""Status of the strategy's measures, computed from the newest figure for each.

A figure counted over a period (agency-to-permanent moves in the year, say) is only
compared with a target for the same period: a measure with `period_months` skips figures
counted over a different number of months, so six months' count never meets a year's
target by accident."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from cswork_site.data.models.metrics import Snapshot
from cswork_site.data.models.strategy import Direction, Measure, Strand


class Status(str, Enum):
    on_track = "on track"
    not_yet = "not yet"
    no_data = "no data"


@dataclass(frozen=True)
class MeasureStatus:
    measure: Measure
    status: Status
    latest: Decimal | None
    as_at: str | None
    period_months: int | None = None  # the months the latest figure was counted over, if any


@dataclass(frozen=True)
class StrandStatus:
    strand: Strand
    measures: tuple[MeasureStatus, ...]

    @property
    def status(self) -> Status:
        known = [m.status for m in self.measures if m.status != Status.no_data]
        if not known:
            return Status.no_data
        return Status.on_track if all(s == Status.on_track for s in known) else Status.not_yet


def metric_value(snapshot: Snapshot, metric: str) -> Decimal | None:
    """A measure's figure in a snapshot: a standard figure, `kpi:<id>` or `survey:<id>`."""
    kind, _, ident = metric.partition(":")
    if kind == "kpi":
        return next((f.value for f in snapshot.local if f.kpi == ident), None)
    if kind == "survey":
        return next((s.value for s in snapshot.staff_survey if s.id == ident), None)
    figure = snapshot.figures().get(metric)
    return figure.value if figure else None


def metric_period(snapshot: Snapshot, metric: str) -> int | None:
    """The months a standard figure was counted over, when its snapshot says."""
    figure = snapshot.figures().get(metric)
    return figure.period_months if figure else None


def measure_status(measure: Measure, snapshots: list[Snapshot]) -> MeasureStatus:
    for snap in sorted(snapshots, key=lambda s: s.as_at, reverse=True):
        value = metric_value(snap, measure.metric)
        if value is None:
            continue
        period = metric_period(snap, measure.metric)
        if measure.period_months is not None and period != measure.period_months:
            continue  # not a like period: a count over other months says nothing about this target
        met = value <= measure.target if measure.direction == Direction.at_most else value >= measure.target
        return MeasureStatus(measure, Status.on_track if met else Status.not_yet, value, snap.as_at.isoformat(),
                             period)
    return MeasureStatus(measure, Status.no_data, None, None)


def strand_statuses(strands: list[Strand], snapshots: list[Snapshot]) -> list[StrandStatus]:
    return [StrandStatus(s, tuple(measure_status(m, snapshots) for m in s.measures)) for s in strands]
