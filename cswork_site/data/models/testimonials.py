"""data/testimonials.yaml: what staff, converts, young people, families and partners say."""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from pydantic import Field

from cswork_site.data.models.common import (
    Approval,
    BiShortText,
    BiText,
    Consent,
    Id,
    Image,
    Model,
    ShortText,
)
from cswork_site.data.models.safeguarding import SafeguardingOverride


class TestimonialKind(str, Enum):
    staff = "staff"
    agency_convert = "agency convert"
    young_person = "young person"
    parent_carer = "parent or carer"
    partner = "partner"


class Testimonial(Model):
    UNPUBLISHED: ClassVar = ("safeguarding_overrides",)  # review records, never shown
    id: Id
    quote: BiText
    name: ShortText | None = Field(default=None, description="First name or chosen name; leave out to anonymise")
    role: BiShortText = Field(description="e.g. 'Senior practitioner' or 'Care-experienced young adult'")
    team: BiShortText | None = None
    kind: TestimonialKind
    anonymised: bool = False
    related_role: Id | None = None
    related_stage: Id | None = None
    consent: Consent | None = Field(default=None, description="Without it the testimonial stays a draft")
    approval: Approval | None = Field(default=None, description="Without it the testimonial stays a draft")
    photo: Image | None = None
    safeguarding_overrides: list[SafeguardingOverride] = Field(
        default_factory=list, description="Reviewed false alarms from the safeguarding check")

    @property
    def attribution(self) -> str:
        who = None if self.anonymised else self.name
        parts = [p for p in (who, self.role, self.team) if p]
        return ", ".join(parts)


class Testimonials(Model):
    testimonials: list[Testimonial] = Field(default_factory=list)

    def of_kind(self, kind: TestimonialKind) -> list[Testimonial]:
        return [t for t in self.testimonials if t.kind == kind]

    def of_kind_value(self, value: str) -> list[Testimonial]:
        return self.of_kind(TestimonialKind(value))

    @property
    def groups(self) -> list[tuple[TestimonialKind, list[Testimonial]]]:
        return [(k, self.of_kind(k)) for k in TestimonialKind if self.of_kind(k)]
