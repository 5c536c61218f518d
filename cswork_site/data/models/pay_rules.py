"""data/pay-rules.yaml: the tax, National Insurance and pension rules for one tax year.

Every rate, threshold and band the pay comparison uses lives in that file, with the
tax year it belongs to and where it came from, so a new April means editing YAML,
not code. Amounts are Decimal, never float, so pence come out exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from cswork_site.data.models.common import (
    FINITE,
    BiShortText,
    BiText,
    Model,
    Source,
    not_below,
)

_TAX_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def _tax_year(value: str) -> str:
    found = _TAX_YEAR.match(value)
    if not found or (int(found[1]) + 1) % 100 != int(found[2]):
        raise ValueError("expected a tax year written as the first year, a hyphen and the last "
                         f"two digits of the next year, like 2026-27; found {value!r}")
    return value


TaxYear = Annotated[str, AfterValidator(_tax_year)]
Percent = Annotated[Decimal, FINITE, Field(ge=0, le=100, description="A percentage, e.g. 20 for 20%")]
Amount = Annotated[Decimal, FINITE, Field(ge=0, le=1_000_000, description="Pounds a year")]


def bands_in_order(bands: list, what: str) -> list:
    """Shared by every list of bands: limits rise, and only the last band has none."""
    if not bands:
        raise ValueError(f"expected at least one {what} band")
    previous: Decimal | None = None
    for number, band in enumerate(bands, start=1):
        last = number == len(bands)
        if band.up_to is None and not last:
            raise ValueError(f"expected only the last {what} band to have no up_to; "
                             f"band {number} of {len(bands)} has none")
        if band.up_to is not None and last:
            raise ValueError(f"expected the last {what} band to have no up_to, since it covers "
                             f"all pay above the one before; found up_to {band.up_to}")
        if band.up_to is not None and previous is not None and band.up_to <= previous:
            raise ValueError(f"expected {what} bands in ascending order of up_to; "
                             f"band {number} ends at {band.up_to}, not above {previous}")
        previous = band.up_to if band.up_to is not None else previous
    return bands




class TaxBand(Model):
    name: BiShortText = Field(description="e.g. basic rate")
    rate_percent: Percent
    up_to: Amount | None = Field(
        description="Top of the band in taxable income, that is income after the personal "
                    "allowance; leave empty for the top band")


class IncomeTax(Model):
    personal_allowance: Amount
    taper_threshold: Amount = Field(description="Income above which the personal allowance is withdrawn")
    taper_rate_percent: Percent = Field(
        description="Allowance lost for each pound of income over the threshold: 50 means £1 lost for every £2")
    bands: list[TaxBand]

    @field_validator("bands")
    @classmethod
    def _bands(cls, bands: list[TaxBand]) -> list[TaxBand]:
        return bands_in_order(bands, "income tax")


class EmployeeNI(Model):
    primary_threshold: Amount
    upper_earnings_limit: Amount
    main_rate_percent: Percent = Field(description="On pay between the two thresholds")
    upper_rate_percent: Percent = Field(description="On pay above the upper earnings limit")

    _limit = field_validator("upper_earnings_limit")(
        lambda v, info: not_below("primary_threshold", v, info))


class EmployerNI(Model):
    secondary_threshold: Amount
    rate_percent: Percent


class LgpsBand(Model):
    up_to: Amount | None = Field(description="Top of the band in actual pensionable pay; empty for the top band")
    rate_percent: Percent


class AutoEnrolment(Model):
    lower: Amount = Field(description="Bottom of the qualifying earnings band")
    upper: Amount = Field(description="Top of the qualifying earnings band")
    employer_percent: Percent
    employee_percent: Percent

    _upper = field_validator("upper")(lambda v, info: not_below("lower", v, info))


class Umbrella(Model):
    margin_per_week: Amount = Field(description="What the umbrella company keeps for each week worked")
    holiday_pay_percent: Percent = Field(description="Rolled-up holiday pay, as a percentage of pay for work done")
    weeks_worked_per_year: Decimal = Field(gt=0, le=53)
    hours_per_week: Decimal = Field(gt=0, le=48)
    statutory_leave_weeks: Decimal = Field(
        default=Decimal("5.6"), ge=0, le=10,
        description="A worker's statutory annual leave, bank holidays included (Working Time "
                    "Regulations 1998: 5.6 weeks). With weeks_worked_per_year it makes the whole "
                    "year, so it also gives the days in a working week")


class Permanent(Model):
    sick_pay_summary: BiText
    learning_days: int = Field(ge=0, le=60, description="Paid days of protected learning a year")
    working_days_per_year: int = Field(ge=200, le=366, description="For valuing a day of leave")


class PayRules(Model):
    tax_year: TaxYear
    tax_year_starts: dt.date
    sources: list[Source] = Field(min_length=1)
    income_tax: IncomeTax
    employee_ni: EmployeeNI
    employer_ni: EmployerNI
    apprenticeship_levy_percent: Percent
    lgps_bands: list[LgpsBand]
    auto_enrolment: AutoEnrolment
    umbrella: Umbrella
    permanent: Permanent

    @field_validator("tax_year_starts")
    @classmethod
    def _starts_in_its_year(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        # UK tax years start on 6 April; the year must be the tax year's first year.
        year = info.data.get("tax_year")
        if year is not None and (value.year, value.month, value.day) != (int(year[:4]), 4, 6):
            raise ValueError(f"expected 6 April {year[:4]}, the start of tax year {year}; found {value}")
        return value

    @field_validator("lgps_bands")
    @classmethod
    def _lgps(cls, bands: list[LgpsBand]) -> list[LgpsBand]:
        return bands_in_order(bands, "LGPS")
