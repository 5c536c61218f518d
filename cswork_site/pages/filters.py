"""Jinja filters the theme uses to show numbers and dates the way GOV.UK writes them."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


def money(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"£{value:,.0f}"


def number(value: Decimal | float | int | None, places: int | None = None, unit: str = "") -> str:
    """A number as GOV.UK writes it: thousands separated by commas, at most `places`
    decimal places with trailing zeros dropped (12.5, 12, 1,234.5); "%" for a percentage."""
    if value is None:
        return ""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        exact = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{exact.normalize():,f}" if exact == exact.to_integral_value() else f"{exact:,f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return f"{text}%" if unit in ("percent", "%") else text


def long_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def iso_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def in_the(region: str) -> str:
    """A region as a sentence names it: 'the South East', but 'London' (nation.in_the)."""
    from cswork_site.data.models.nation import in_the as named
    return named(region)


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


FILTERS = {"money": money, "number": number, "long_date": long_date, "iso_date": iso_date, "plural": plural,
           "in_the": in_the}
