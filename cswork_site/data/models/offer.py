"""data/offer.yaml: what working here offers, for every role."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from cswork_site.data.models.common import (
    BiShortText,
    BiText,
    Id,
    Model,
    Money,
    ShortText,
    at_least_min,
)
from cswork_site.translation import gettext as _


class RoleGroup(str, Enum):
    social_work = "social work"
    management = "management"
    family_support = "family support"
    business = "business support"


class PayPoint(Model):
    point: int = Field(ge=1, le=100, description="The pay scale point number")
    salary: Money


class Pay(Model):
    grade: ShortText
    min: Money
    max: Money
    points: list[PayPoint] = Field(default_factory=list)

    _max_not_below_min = field_validator("max")(lambda v, info: at_least_min(v, info))

    @field_validator("points")
    @classmethod
    def _points_in_range(cls, points: list[PayPoint], info: ValidationInfo) -> list[PayPoint]:
        low, high = info.data.get("min"), info.data.get("max")
        for p in points:
            if low is not None and high is not None and not low <= p.salary <= high:
                raise ValueError(
                    f"expected every point's salary within {low} to {high}; "
                    f"found point {p.point} at {p.salary}"
                )
        return points


class SupplementKind(str, Enum):
    market = "market supplement"
    retention = "retention payment"
    golden_hello = "welcome payment"


class Supplement(Model):
    kind: SupplementKind
    amount: Money = Field(description="Pounds a year, or the one-off amount")
    summary: BiText


class Caseload(Model):
    min: int = Field(ge=0, le=60, description="Fewest children usually allocated")
    max: int = Field(ge=0, le=60, description="Most children usually allocated")
    note: BiText | None = None

    _max_not_below_min = field_validator("max")(lambda v, info: at_least_min(v, info))


class Leave(Model):
    starting_days: int = Field(ge=20, le=60, description="Days a year on joining, not counting bank holidays")
    after_years: int = Field(ge=1, le=40, description="Years of service after which leave rises")
    raised_days: int = Field(ge=20, le=60, description="Days a year after that")
    bank_holidays: int = Field(default=8, ge=0, le=15)


class Pension(Model):
    scheme: BiShortText
    employer_contribution_percent: float = Field(ge=0, le=50)
    summary: BiText


class Benefits(Model):
    """What every role gets, unless a role says otherwise."""

    annual_leave: Leave
    pension: Pension
    hybrid_working: BiText
    flexible_working: BiText
    wellbeing: list[BiText] = Field(min_length=1)
    learning: list[BiText] = Field(min_length=1)
    relocation: BiText | None = None
    other: list[BiText] = Field(default_factory=list)


class Role(Model):
    id: Id
    title: BiShortText
    group: RoleGroup
    summary: BiText
    pay: Pay
    hours: float = Field(default=37, gt=0, le=48, description="Full-time hours a week")
    supplement: Supplement | None = None
    caseload: Caseload | None = Field(default=None, description="Case-holding roles only")
    annual_leave: Leave | None = Field(default=None, description="Only if different from everyone's")
    responsibilities: list[BiText] = Field(default_factory=list)
    pathway_stage: Id | None = Field(default=None, description="The careers stage this role sits in")

    @property
    def url(self) -> str:
        return f"our-offer/{self.id}/"


def _years_in_words(value: str) -> str:
    """ "2026 to 2027" in the language being written ("2026 i 2027"), as two-language text
    is read: the offer is read once for each language a site is built in."""
    found = re.fullmatch(r"\s*(\d{4})\s+to\s+(\d{4})\s*", value)
    return _("%(start)s to %(end)s", start=found[1], end=found[2]) if found else value


class Offer(Model):
    pay_year: Annotated[ShortText, AfterValidator(_years_in_words)] = Field(
        description="The pay year these figures are for, e.g. 2025 to 2026")
    summary: BiText
    benefits: Benefits
    roles: list[Role] = Field(min_length=1)

    def leave_for(self, role: Role) -> Leave:
        return role.annual_leave or self.benefits.annual_leave

    def roles_in(self, group: RoleGroup) -> list[Role]:
        return [r for r in self.roles if r.group == group]

    @property
    def groups(self) -> list[tuple[RoleGroup, list[Role]]]:
        return [(g, self.roles_in(g)) for g in RoleGroup if self.roles_in(g)]
