"""Jinja filters the theme uses to show numbers and dates the way GOV.UK writes them."""

from __future__ import annotations

import datetime as dt


def money(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"£{value:,.0f}"


def long_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def iso_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


FILTERS = {"money": money, "long_date": long_date, "iso_date": iso_date, "plural": plural}
