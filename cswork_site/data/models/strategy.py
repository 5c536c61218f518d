"""data/strategy.yaml: the workforce strategy as a theory of change. Each strand runs
from activities to outputs, outcomes and impact, with measures of success tied to
figures in the metrics snapshots. A measure's status is computed, never typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

from pydantic import Field

from cswork_site.data.models.common import BiShortText, BiText, Id, Model, ShortText


class Direction(str, Enum):
    at_most = "at most"
    at_least = "at least"


class Measure(Model):
    metric: ShortText = Field(description="A standard figure, e.g. agency_rate, or kpi:<id> or survey:<id>")
    target: Decimal
    direction: Direction
    by: dt.date | None = Field(default=None, description="When the target should be met")
    period_months: int | None = Field(default=None, ge=1, le=60, description=(
        "For a figure counted over a period, the period the target is for: only figures "
        "counted over as many months are compared with it"))


class Strand(Model):
    id: Id
    title: BiShortText
    activities: list[BiText] = Field(min_length=1)
    outputs: list[BiText] = Field(min_length=1)
    outcomes: list[BiText] = Field(min_length=1)
    impact: BiText
    measures: list[Measure] = Field(default_factory=list)


class Strategy(Model):
    summary: BiText
    strands: list[Strand] = Field(min_length=1)
