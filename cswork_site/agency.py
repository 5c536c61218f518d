"""The agency-to-permanent comparison, computed once at build time from the offer and
the pay rules, for the page's tables and for its optional calculator."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from .models.agency import Agency
from .models.offer import Role
from .models.pay_rules import PayRules
from .pay import (
    Assumption,
    LocumPackage,
    PermanentPackage,
    assumptions,
    permanent_package,
    umbrella_package,
)

CALCULATOR_STEP = Decimal("0.5")  # the calculator shows the nearest 50p of hourly rate


@dataclass(frozen=True)
class PointOption:
    point: int
    salary: int
    package: PermanentPackage


@dataclass(frozen=True)
class AgencyComparison:
    role: Role
    pay_point: int
    permanent: PermanentPackage
    locums: list[LocumPackage]
    assumptions: list[Assumption]
    points: list[PointOption]
    calculator_json: str  # figures for the calculator script, which only looks them up


def _permanent(role: Role, salary: int, offer, rules: PayRules) -> PermanentPackage:
    leave = offer.leave_for(role)
    supplement = role.supplement.amount if role.supplement else 0
    return permanent_package(salary, supplement, offer.benefits.pension.employer_contribution_percent,
                             leave.starting_days, leave.bank_holidays, rules)


def compare(agency: Agency, role: Role, offer, rules: PayRules) -> AgencyComparison:
    points = [PointOption(p.point, p.salary, _permanent(role, p.salary, offer, rules))
              for p in role.pay.points]
    chosen = next(p for p in points if p.point == agency.comparison.pay_point)
    locums = [umbrella_package(rate, rules) for rate in agency.comparison.locum_rates]
    low, high = agency.comparison.calculator_min_rate, agency.comparison.calculator_max_rate
    steps = int((high - low) / CALCULATOR_STEP) + 1
    grid = [umbrella_package(low + CALCULATOR_STEP * i, rules) for i in range(steps)]
    payload = {
        "step": str(CALCULATOR_STEP), "min": str(low), "max": str(high),
        "points": {str(p.point): [str(p.package.gross), str(p.package.take_home_year), str(p.package.take_home_month)]
                   for p in points},
        "rates": [[str(g.hourly_rate), str(g.gross_pay), str(g.take_home_year), str(g.take_home_month)] for g in grid],
    }
    return AgencyComparison(role, chosen.point, chosen.package, locums, assumptions(rules), points,
                            json.dumps(payload, separators=(",", ":")).replace("<", "\\u003c"))
