"""The agency-to-permanent comparison, computed once at build time from the offer and
the pay rules, for the page's tables and for its optional calculator."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from cswork_site.data.loading import OFFER, PAY_RULES, Loaded
from cswork_site.data.models.agency import Agency
from cswork_site.data.models.nation import Nation
from cswork_site.data.models.offer import Offer, Role, RoleGroup
from cswork_site.data.models.pay_rules import PayRules
from cswork_site.pages.pay import (
    Assumption,
    LocumPackage,
    PermanentPackage,
    assumptions,
    days_per_week,
    permanent_package,
    statutory_leave_days,
    umbrella_package,
)
from cswork_site.problems import Problem
from cswork_site.translation import gettext as _


class Ahead(str, Enum):
    """Who comes out ahead on one measure: the template words it, never assuming."""

    permanent = "permanent"
    locum = "locum"
    level = "level"


def _ahead(permanent: Decimal, locum: Decimal) -> tuple[Ahead, Decimal]:
    if locum > permanent:
        return Ahead.locum, locum - permanent
    if permanent > locum:
        return Ahead.permanent, permanent - locum
    return Ahead.level, Decimal(0)


@dataclass(frozen=True)
class Verdict:
    """Permanent against locum work at one rate, on each measure that matters."""

    locum: LocumPackage
    reward: Ahead  # total reward a year: pay plus employer pension
    reward_gap: Decimal
    take_home: Ahead
    take_home_gap: Decimal
    per_hour: Ahead  # total reward for each hour actually worked
    per_hour_gap: Decimal


def verdict(permanent: PermanentPackage, locum: LocumPackage) -> Verdict:
    reward, reward_gap = _ahead(permanent.total_reward, locum.total_reward)
    take_home, take_home_gap = _ahead(permanent.take_home_year, locum.take_home_year)
    hourly, hourly_gap = _ahead(permanent.reward_per_hour_worked, locum.reward_per_hour_worked)
    return Verdict(locum, reward, reward_gap, take_home, take_home_gap, hourly, hourly_gap)


@dataclass(frozen=True)
class PointOption:
    point: int
    salary: int
    package: PermanentPackage


@dataclass(frozen=True)
class Grade:
    """A social work role with pay points, each worked out as a permanent post."""

    role: Role
    points: list[PointOption]


@dataclass(frozen=True)
class AgencyComparison:
    role: Role
    pay_point: int
    permanent: PermanentPackage
    locums: list[LocumPackage]
    verdicts: list[Verdict]  # one for each locum, in the same order
    assumptions: list[Assumption]
    points: list[PointOption]  # the compared role's
    grades: list[Grade]  # every social work role with pay points, and the compared role
    pay_year: str  # the offer's pay scales
    tax_year: str  # the pay rules'
    pay_year_older: bool  # the pay scales are from before the tax year
    statutory_leave_days: Decimal
    calculator_json: str  # figures for the calculator script


def _permanent(role: Role, salary: int, offer: Offer, rules: PayRules) -> PermanentPackage:
    leave = offer.leave_for(role)
    supplement = role.supplement.amount if role.supplement else 0
    return permanent_package(salary, supplement, offer.benefits.pension.employer_contribution_percent,
                             leave.starting_days, leave.bank_holidays, rules, hours_per_week=role.hours)


def _grade(role: Role, offer: Offer, rules: PayRules) -> Grade:
    return Grade(role, [PointOption(p.point, p.salary, _permanent(role, p.salary, offer, rules))
                        for p in role.pay.points])


def first_year(text: str) -> int | None:
    """The first four-digit year in a pay year or tax year: 2025 in "2025 to 2026"."""
    found = re.search(r"(?<!\d)(\d{4})(?!\d)", text)
    return int(found[1]) if found else None


def pay_year_older(offer: Offer, rules: PayRules) -> bool:
    pay, tax = first_year(offer.pay_year), first_year(rules.tax_year)
    return pay is not None and tax is not None and pay < tax


def stale_pay_year(loaded: Loaded) -> list[Problem]:
    """A warning when data/offer.yaml's pay_year is older than data/pay-rules.yaml's
    tax_year: the take-home comparison would then apply this year's tax to last year's
    pay scales. For checks.py, next to the stale pay rules warning."""
    offer, rules = loaded.get(OFFER), loaded.get(PAY_RULES)
    if offer is None or rules is None or not pay_year_older(offer, rules):
        return []
    return [loaded.documents["offer"].problem(("pay_year",), (
        f"is {offer.pay_year}, older than tax year {rules.tax_year} in data/pay-rules.yaml; the "
        f"take-home comparison works out {rules.tax_year} tax on {offer.pay_year} pay scales. Update "
        "the pay points and pay_year once the new pay award is agreed"), "warning")]


def calculator_words() -> dict[str, str]:
    """The calculator's sentences in the language being written, with {name} where the
    script puts its figures in (take-home.js fills them)."""
    def braces(*names: str) -> dict[str, str]:
        return {name: "{" + name + "}" for name in names}
    return {
        "locumAhead": _("locum work comes out ahead: %(amount)s a year more in total reward", **braces("amount")),
        "permanentAhead": _("the permanent post comes out ahead: %(amount)s a year more in total reward",
                            **braces("amount")),
        "level": _("the two are level in total reward"),
        # The same sentences as the page's "Who comes out ahead".
        "takeHomeLocum": _("Take-home pay is %(gap)s a year higher as a locum.", gap="{amount}"),
        "takeHomePermanent": _("Take-home pay is %(gap)s a year higher in the permanent post.", gap="{amount}"),
        "takeHomeSame": _("Take-home pay is the same."),
        "badHours": _("Enter the hours you work a week, more than 0 and up to 48."),
        "badWeeks": _("Enter the weeks you work a year, up to %(weeks)s.", **braces("weeks")),
        "badDayRate": _("Enter a day rate from %(min)s to %(max)s (%(hours)s hours a day).",
                        **braces("min", "max", "hours")),
        "badHourlyRate": _("Enter an hourly rate from %(min)s to %(max)s.", **braces("min", "max")),
        "dayRate": _("%(rate)s a day (%(hourly)s an hour)", **braces("rate", "hourly")),
        "hourlyRate": _("%(rate)s an hour", **braces("rate")),
        "locum": _("Tax year %(taxYear)s. As a locum at %(rate)s, %(hours)s hours a week for %(weeks)s weeks a "
                   "year, you would take home about %(month)s a month (%(year)s a year). Total reward, pay "
                   "before deductions and the employer's minimum pension, is %(reward)s a year, %(perHour)s for "
                   "each hour worked.",
                   **braces("taxYear", "rate", "hours", "weeks", "month", "year", "reward", "perHour")),
        "permanent": _("As a %(role)s at point %(point)s you would take home %(month)s a month (%(year)s a "
                       "year). Total reward is %(reward)s a year, %(perHour)s for each hour worked, with "
                       "%(extraDays)s more days off than a locum's statutory %(statutory)s (worth %(extraValue)s "
                       "at a day's salary, already paid within the salary).",
                       **braces("role", "point", "month", "year", "reward", "perHour", "extraDays", "statutory",
                                "extraValue")),
        "verdict": _("At these figures, %(ahead)s. %(takeHome)s", **braces("ahead", "takeHome")),
    }


def _calculator(grades: list[Grade], chosen: Role, pay_point: int, agency: Agency,
                rules: PayRules) -> str:
    """Everything the script needs: the permanent figures, worked out here for every
    point, and the rules, so that it can work out a locum's pay for any hours and weeks
    exactly as pay.umbrella_package does (tests/test_agency_honest.py checks they agree)."""
    it, ee, er, ae, um = rules.income_tax, rules.employee_ni, rules.employer_ni, rules.auto_enrolment, rules.umbrella
    payload = {
        "min": str(agency.comparison.calculator_min_rate), "max": str(agency.comparison.calculator_max_rate),
        "role": chosen.id, "point": pay_point,
        "hours": str(um.hours_per_week), "weeks": str(um.weeks_worked_per_year),
        "daysPerWeek": str(days_per_week(rules)),
        "statutoryDays": str(statutory_leave_days(rules)),
        "taxYear": rules.tax_year,
        "words": calculator_words(),
        "rules": {
            "allowance": str(it.personal_allowance), "taperThreshold": str(it.taper_threshold),
            "taperPercent": str(it.taper_rate_percent),
            "bands": [[str(b.rate_percent), None if b.up_to is None else str(b.up_to)] for b in it.bands],
            "niPrimary": str(ee.primary_threshold), "niUpper": str(ee.upper_earnings_limit),
            "niMain": str(ee.main_rate_percent), "niAbove": str(ee.upper_rate_percent),
            "erThreshold": str(er.secondary_threshold), "erPercent": str(er.rate_percent),
            "levyPercent": str(rules.apprenticeship_levy_percent),
            "aeLower": str(ae.lower), "aeUpper": str(ae.upper),
            "aeEmployer": str(ae.employer_percent), "aeEmployee": str(ae.employee_percent),
            "marginPerWeek": str(um.margin_per_week),
        },
        "grades": [{
            "id": g.role.id, "title": g.role.title, "grade": g.role.pay.grade,
            "points": {str(o.point): {
                "salary": str(o.salary), "gross": str(o.package.gross),
                "takeHomeYear": str(o.package.take_home_year), "takeHomeMonth": str(o.package.take_home_month),
                "employerPension": str(o.package.employer_pension), "reward": str(o.package.total_reward),
                "rewardPerHour": str(o.package.reward_per_hour_worked),
                "payPerHour": str(o.package.pay_per_hour_worked),
                "extraDays": str(o.package.extra_days_off), "extraValue": str(o.package.extra_days_value),
            } for o in g.points},
        } for g in grades],
    }
    return json.dumps(payload, separators=(",", ":")).replace("<", "\\u003c")


def compare(agency: Agency, role: Role, offer: Offer, rules: PayRules,
            nation: Nation | None = None) -> AgencyComparison:
    chosen_grade = _grade(role, offer, rules)
    grades = [chosen_grade if r.id == role.id else _grade(r, offer, rules)
              for r in offer.roles
              if r.pay.points and (r.group == RoleGroup.social_work or r.id == role.id)]
    chosen = next(p for p in chosen_grade.points if p.point == agency.comparison.pay_point)
    locums = [umbrella_package(rate, rules) for rate in agency.comparison.locum_rates]
    return AgencyComparison(
        role=role, pay_point=chosen.point, permanent=chosen.package, locums=locums,
        verdicts=[verdict(chosen.package, locum) for locum in locums],
        assumptions=assumptions(rules, nation=nation), points=chosen_grade.points, grades=grades,
        pay_year=offer.pay_year, tax_year=rules.tax_year, pay_year_older=pay_year_older(offer, rules),
        statutory_leave_days=statutory_leave_days(rules),
        calculator_json=_calculator(grades, role, chosen.point, agency, rules),
    )
