"""data/safeguarding.yaml, and the override records that silence a reviewed false alarm."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from cswork_site.data.models.common import Model, ShortText, Text

Kind = Literal["date-of-birth", "postcode", "address", "phone", "email", "ni-number",
               "nhs-number", "upn", "court-case", "social-handle",
               "school", "placement", "name", "age",
               "photo-location", "photo-camera", "photo-unreadable"]


class SafeguardingOverride(Model):
    kind: Kind = Field(description="The kind of finding to silence, e.g. address")
    text: ShortText = Field(description="Text the finding's excerpt contains, e.g. 10 Downing Street")
    reviewed_by: ShortText = Field(description="Who checked it is safe, by role")
    date: dt.date
    reason: Text = Field(description="Why it does not identify a child or family")


class StoryOverride(SafeguardingOverride):
    story: ShortText = Field(description="The story's file, e.g. content/stories/2026-03-30-review-meetings.md")


class DataOverride(SafeguardingOverride):
    file: ShortText = Field(description="The data file, e.g. data/vacancies.yaml")


def _keep_leading_zero(value: object) -> object:
    # YAML reads 01632960418 as the number 1632960418, losing the 0 for good.
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError("write phone numbers and other codes in quotes, like \"01632 960418\", "
                         "so that a leading 0 is kept")
    return value


Entry = Annotated[ShortText, BeforeValidator(_keep_leading_zero)]


class SafeguardingFile(Model):
    schools: list[Entry] = Field(default_factory=list, description="Local schools, by full name")
    placements: list[Entry] = Field(default_factory=list,
                                    description="Children's homes, foster agencies and other placements")
    names: list[Entry] = Field(default_factory=list, description="Names that must never be published")
    allowed: list[Entry] = Field(default_factory=list,
                                 description="The service's own contact details, which may be published")
    story_overrides: list[StoryOverride] = Field(default_factory=list,
                                                 description="Reviewed false alarms in stories")
    data_overrides: list[DataOverride] = Field(default_factory=list,
                                               description="Reviewed false alarms in other data files")
