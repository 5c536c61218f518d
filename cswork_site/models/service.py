"""data/service.yaml: who the authority is and how to reach it."""

from __future__ import annotations

from typing import ClassVar

import datetime as dt
from enum import Enum

from pydantic import EmailStr, Field

from .common import Colour, Model, ShortText, Text, Url


class Judgement(str, Enum):
    outstanding = "outstanding"
    good = "good"
    requires_improvement = "requires improvement to be good"
    inadequate = "inadequate"


class PracticeModelKind(str, Enum):
    systemic = "systemic"
    signs_of_safety = "signs of safety"
    restorative = "restorative"
    family_safeguarding = "family safeguarding"
    own = "own"


class Contact(Model):
    OWN_DETAILS: ClassVar = ("email", "phone", "address")  # the organisation's own: never a finding
    email: EmailStr
    phone: ShortText
    address: Text
    team: ShortText = Field(description="The team that answers, e.g. 'Social work recruitment team'")


class Brand(Model):
    primary: Colour = Field(description="Main colour: header and buttons")
    primary_text: Colour = Field(default="#ffffff", description="Text drawn on the main colour")
    accent: Colour = Field(description="Highlight colour, used for focus rings and rules")
    link: Colour = Field(default="#1d4f91", description="Link colour on white")


class Logo(Model):
    path: ShortText = Field(description="SVG or PNG file, relative to the site folder")
    alt: ShortText


class Inspection(Model):
    date: dt.date
    body: ShortText = Field(description="Who inspected, e.g. Ofsted")
    judgement: Judgement
    summary: Text
    url: Url | None = None


class PracticeModel(Model):
    name: ShortText
    kind: PracticeModelKind
    summary: Text


class Service(Model):
    authority: ShortText = Field(description="The council's name")
    service: ShortText = Field(description="The service's name")
    short_name: ShortText = Field(description="A short name for headings and the page title")
    tagline: ShortText
    region: ShortText
    website: Url
    contact: Contact
    brand: Brand
    logo: Logo
    practice_model: PracticeModel
    inspections: list[Inspection] = Field(default_factory=list)
    accessibility: "AccessibilityInfo"
    privacy: "PrivacyInfo"

    @property
    def latest_inspection(self) -> Inspection | None:
        return max(self.inspections, key=lambda i: i.date, default=None)

    @property
    def inspections_newest_first(self) -> list[Inspection]:
        return sorted(self.inspections, key=lambda i: i.date, reverse=True)


class AccessibilityInfo(Model):
    statement_date: dt.date = Field(description="When the statement was prepared")
    last_reviewed: dt.date
    tested_by: ShortText = Field(description="Who tested the site, e.g. 'our digital team'")
    known_issues: list[Text] = Field(default_factory=list)
    enforcement_body: ShortText = Field(default="Equality and Human Rights Commission (EHRC)")


class PrivacyInfo(Model):
    OWN_DETAILS: ClassVar = ("dpo_email",)
    controller: ShortText = Field(description="The data controller, usually the council")
    dpo_email: EmailStr = Field(description="How to contact the data protection officer")
    retention: Text = Field(description="How long enquiries and applications are kept")


Service.model_rebuild()
