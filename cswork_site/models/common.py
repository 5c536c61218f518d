"""Building blocks shared by several data files."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationInfo,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Url = HttpUrl

# Ids become parts of URLs, so they are lower-case words joined by hyphens.
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)]
Money = Annotated[int, Field(ge=0, le=1_000_000)]

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _colour(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError("expected a colour written as # and 6 hex digits, like #1d4f6e")
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.lower()


Colour = Annotated[str, AfterValidator(_colour)]


def not_below(field: str, value, info: ValidationInfo):
    """For each low/high pair; the error points at the high one, where it is usually wrong."""
    low = info.data.get(field)
    if low is not None and value < low:
        raise ValueError(f"expected {info.field_name} to be at least {field} ({low}); found {value}")
    return value


def at_least_min(value, info: ValidationInfo):
    return not_below("min", value, info)


class Model(BaseModel):
    """Unknown keys are reported (as warnings, with a suggestion) rather than ignored."""

    # Numbers are accepted where text is expected: `pay_year: 2025` means the text "2025".
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              coerce_numbers_to_str=True)


class Source(Model):
    name: ShortText = Field(description="What the page is, e.g. HMRC: Rates and thresholds for employers")
    url: Url = Field(description="The official page the figures were taken from")


class Image(Model):
    path: ShortText = Field(description="Picture file, relative to the site folder, e.g. content/images/team.jpg")
    alt: str = Field(default="", max_length=300, description="What the picture shows, for people who cannot see it")
    decorative: bool = Field(default=False, description="true if the picture adds nothing a reader needs")
    caption: ShortText | None = None


class Consent(Model):
    given_by: ShortText = Field(description="Who gave consent, by role, e.g. 'the worker' or 'young person and their carer'")
    date: dt.date
    scope: list[ShortText] = Field(min_length=1, description="Where it may be used, e.g. website, social media")
    expires: dt.date = Field(description="Date after which it may no longer be published")
    reference: ShortText = Field(description="The consent record's reference in your records system")


class Approval(Model):
    approver_role: ShortText = Field(description="Who approved publication, by role")
    date: dt.date


