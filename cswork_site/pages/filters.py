"""Jinja filters the theme uses to show numbers and dates the way GOV.UK writes them,
in the language being written (languages.current): month names come from Babel, and
the figures keep GOV.UK's form (thousands commas, no pence for whole pounds), which
Welsh public bodies write the same way."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from cswork_site.languages import LANGUAGES, current
from cswork_site.pages.labels import label, roles_heading, words
from cswork_site.translation import gettext as _


def money(value: float | int | None) -> str:
    if value is None:
        return ""
    return "£" + format_decimal(value, "#,##0", locale=current().locale)


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


def _day(value: dt.date | dt.datetime) -> dt.date:
    # The day only (a datetime's time is never shown); a value with no day fails here, as
    # plainly as Python says it (AttributeError), not deep inside Babel.
    return dt.date(value.year, value.month, value.day)


def long_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return format_date(_day(value), "d MMMM y", locale=current().locale)


def month_year(value: dt.date | dt.datetime | None) -> str:
    """"March 2026", "Mawrth 2026"."""
    if value is None:
        return ""
    return format_date(_day(value), "MMMM y", locale=current().locale)


def iso_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def in_the(region: str) -> str:
    """A region as a sentence names it: 'the South East', but 'London' (nation.in_the)."""
    from cswork_site.data.models.nation import in_the as named
    return named(region)


def and_list(items) -> str:
    """"A", "A and B", "A, B and C", in the current language."""
    names = [str(i) for i in items]
    if len(names) < 2:
        return "".join(names)
    return _("%(items)s and %(last)s", items=", ".join(names[:-1]), last=names[-1])


def foreign(language: str | None) -> str:
    """A passage's language tag (for its lang attribute) when it is not the page's, else "":
    given as a code (cy) or as Pelican holds a story's (en-gb)."""
    wanted = (language or "").casefold()
    found = next((lang for lang in LANGUAGES.values() if wanted in (lang.code, lang.tag.casefold())), None)
    return found.tag if found is not None and found.code != current().code else ""


FILTERS = {"money": money, "number": number, "long_date": long_date, "month_year": month_year,
           "iso_date": iso_date, "in_the": in_the,
           "label": label, "words": words, "roles_heading": roles_heading, "and_list": and_list,
           "foreign": foreign}
