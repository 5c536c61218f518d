"""data/applying.yaml: how applying works, step by step, what is assessed and by whom,
reasonable adjustments, and how soon candidates hear back (as promised, and as measured)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import EmailStr, Field

from cswork_site.data.models.common import BiShortText, BiText, Model, Number, ShortText, Url


class Step(Model):
    title: BiShortText = Field(description="The step's name, e.g. Apply online")
    what_happens: BiText = Field(description="What the candidate does and what we do at this step")
    how_long: BiShortText | None = Field(default=None, description="How long it takes, e.g. About 45 minutes")


class Assessed(Model):
    what: BiShortText = Field(description="What we assess, e.g. How you work with families")
    how: BiText = Field(description="How we assess it, e.g. a case discussion at interview")


class PanelMember(Model):
    who: BiShortText = Field(description="Who sits on the panel, by role, never by name, e.g. Team manager")
    young_people: bool = Field(default=False, description="true for young people who sit on the panel")
    when: BiShortText | None = Field(default=None, description="For which jobs or stages, e.g. Team manager posts only")


class Adjustments(Model):
    OWN_DETAILS: ClassVar = ("email", "phone")  # the service's own contacts: never a finding
    text: BiText = Field(description="The adjustments we make and how to ask for one")
    email: EmailStr | None = Field(default=None, description="Who to ask, e.g. the recruitment team's address")
    phone: ShortText | None = Field(default=None, description="A phone number to ask on")


class Measured(Model):
    """How long candidates actually waited, from the service's recruitment records."""

    as_at: dt.date = Field(description="The last day the figure counts")
    period_months: int = Field(ge=1, le=60, description="How many months up to as_at the figure counts")
    source: ShortText = Field(description="Where the figure comes from, e.g. Applicant tracking system report")
    median_working_days: Number = Field(ge=0, le=365, description=(
        "Half of candidates heard within this many working days"))
    candidates: int = Field(ge=0, description="How many candidates the figure is worked out from")


class HearBack(Model):
    after: BiShortText = Field(description="The step it follows, e.g. your interview")
    working_days: int = Field(ge=0, le=60, description="Within how many working days we promise to tell you")
    measured: Measured | None = Field(default=None, description="How long it really took, from your records")


class Applying(Model):
    summary: BiText | None = Field(default=None, description="A line or two at the top of the page")
    steps: list[Step] = Field(min_length=1, description="The process, in order")
    assessment: list[Assessed] = Field(default_factory=list)
    panel: list[PanelMember] = Field(default_factory=list)
    panel_note: BiText | None = Field(default=None, description=(
        "More about the panel, e.g. how young people are prepared and how their views count"))
    reasonable_adjustments: Adjustments | None = None
    hear_back: list[HearBack] = Field(default_factory=list)
    guidance_url: Url | None = Field(default=None, description="A page of your own with more on applying")
