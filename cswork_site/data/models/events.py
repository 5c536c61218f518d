"""data/events.yaml: agency-to-permanent sessions, recruitment events, career conversations."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import ClassVar
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationInfo, field_validator

from cswork_site.data.models.common import BiShortText, BiText, Id, Model, ShortText, Url


class EventKind(str, Enum):
    agency_to_permanent = "agency to permanent"
    recruitment = "recruitment event"
    career_conversation = "career conversation"


class Event(Model):
    # A venue is public: the lines of its address with a house number (or a postcode)
    # are the service's own to publish, as its offices are. Its name is still screened.
    OWN_ADDRESS: ClassVar = ("place",)
    id: Id
    title: BiShortText
    kind: EventKind
    starts: dt.datetime = Field(description="Local time in the UK, e.g. 2026-12-03 18:00")
    ends: dt.datetime
    online: bool = Field(default=False, description="true for an online event")
    place: ShortText | None = Field(default=None, description="Where, for an event in person")
    summary: BiText
    booking_url: Url
    host_role: BiShortText | None = Field(default=None, description="Who hosts it, by role, e.g. Director")

    @field_validator("title", "place", "summary", "host_role", mode="before")
    @classmethod
    def _one_kind_of_line_break(cls, value: object) -> object:
        # A CRLF or a lone CR (written "\r" in quotes, or pasted from another program) is a
        # line break like LF: one kind, so that pages and calendar files show the same text.
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value

    @field_validator("starts", "ends")
    @classmethod
    def _uk_local(cls, value: dt.datetime) -> dt.datetime:
        # A time written with an offset is turned into UK local time, like every other.
        return value.astimezone(ZoneInfo("Europe/London")).replace(tzinfo=None) if value.tzinfo else value

    @field_validator("ends")
    @classmethod
    def _ends_after_start(cls, value: dt.datetime, info: ValidationInfo) -> dt.datetime:
        starts = info.data.get("starts")
        if starts is not None and value <= starts:
            raise ValueError(f"expected an end after the start ({starts:%Y-%m-%d %H:%M}); found {value:%Y-%m-%d %H:%M}")
        return value


    @property
    def url(self) -> str:
        return f"events/#{self.id}"

    @property
    def ics_url(self) -> str:
        return f"events/{self.id}.ics"


class Events(Model):
    events: list[Event] = Field(default_factory=list)
