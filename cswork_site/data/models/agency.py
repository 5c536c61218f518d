"""data/agency.yaml: the agency-to-permanent page's comparison, contact and the region's
rules for agency child and family social work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import EmailStr, Field, field_validator

from cswork_site.data.models.common import (
    FINITE,
    BiShortText,
    BiText,
    Id,
    Model,
    ShortText,
    Source,
    not_below,
)


class Contact(Model):
    OWN_DETAILS: ClassVar = ("email", "phone")  # the organisation's own: never a finding
    role: BiShortText = Field(description="Who to talk to, by role, e.g. Head of workforce")
    email: EmailStr
    phone: ShortText
    offer: BiText = Field(description="What they offer, e.g. a one-to-one with the Director")


class Comparison(Model):
    role: Id = Field(description="The permanent role to compare, from data/offer.yaml")
    pay_point: int = Field(description="One of that role's pay points")
    locum_rates: list[Annotated[Decimal, FINITE, Field(gt=0, le=200)]] = Field(
        min_length=1, max_length=5, description="Hourly assignment rates to compare, in pounds")
    calculator_min_rate: Decimal = Field(default=Decimal(20), gt=0, le=200)
    calculator_max_rate: Decimal = Field(default=Decimal(70), gt=0, le=200)

    _max_not_below_min = field_validator("calculator_max_rate")(
        lambda v, info: not_below("calculator_min_rate", v, info))


class PriceCap(Model):
    role: ShortText = Field(description="The role the cap is for, as the regional agreement names it, "
                                        "e.g. Senior practitioner")
    per_hour: Annotated[Decimal, FINITE, Field(gt=0, le=200, description="Pounds an hour")]


class AgencyRules(Model):
    """England's agency rules (statutory guidance in force from 31 October 2024), with
    what this region has agreed on top. A site in a nation without them leaves them out."""

    region: ShortText
    in_force_from: dt.date
    price_cap_per_hour: Decimal | None = Field(default=None, gt=0, description="The region's cap for a social worker")
    price_caps: list[PriceCap] = Field(
        default_factory=list, description="Caps for other roles, where the region sets them per role")
    price_cap_covers: BiText = Field(description="What the cap includes, e.g. pay, employer NI and the levy")
    min_post_qualifying_years: int = Field(ge=0, le=20)
    practice_references: int = Field(ge=0, le=5)
    cool_off_months: int = Field(ge=0, le=24, description="Months before returning as agency in the region")
    cool_off_exceptions: list[BiText] = Field(default_factory=list)
    notice_weeks: int = Field(ge=0, le=26)
    above_cap: BiText = Field(description="What happens if an assignment would pay above the cap")
    sources: list[Source] = Field(min_length=1)


class Agency(Model):
    summary: BiText
    contact: Contact
    comparison: Comparison
    rules: AgencyRules | None = Field(default=None, description=(
        "The Department for Education's agency rules, with the region's agreement: for a site in England "
        "only (nation in data/service.yaml)"))
