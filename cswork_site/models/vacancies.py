"""data/vacancies.yaml: teams, places of work and the jobs open now.

Jobs may instead come from an applicant tracking system's CSV export,
data/vacancies.csv (read by cswork_site/jobs.py); teams and places stay here.
"""

from __future__ import annotations

from typing import ClassVar

import datetime as dt
from enum import Enum

from pydantic import Field, ValidationInfo, field_validator

from .common import Id, LongText, Model, Money, ShortText, Text, Url, at_least_min


class EmploymentType(str, Enum):
    # schema.org JobPosting employmentType values, as Google reads them
    full_time = "FULL_TIME"
    part_time = "PART_TIME"
    temporary = "TEMPORARY"
    contractor = "CONTRACTOR"
    intern = "INTERN"


class Team(Model):
    id: Id
    name: ShortText
    summary: Text | None = None


class Place(Model):
    OWN_DETAILS: ClassVar = ("name", "street", "locality", "postcode")  # the organisation's own: never a finding
    id: Id
    name: ShortText = Field(description="What people call it, e.g. Town Hall")
    street: ShortText
    locality: ShortText = Field(description="Town or city")
    region: ShortText | None = Field(default=None, description="County, e.g. Kent")
    postcode: ShortText


class Salary(Model):
    min: Money
    max: Money

    _max_not_below_min = field_validator("max")(lambda v, info: at_least_min(v, info))


class Vacancy(Model):
    id: Id = Field(description="Becomes the job's web address, e.g. jobs/social-worker-assessment-2611/")
    reference: ShortText = Field(description="Your recruitment system's reference, e.g. CB-2026-114")
    title: ShortText
    role: Id = Field(description="The role in data/offer.yaml: links the job to its offer and career stage")
    team: Id
    location: Id
    salary: Salary | None = Field(default=None, description="Leave out to use the role's pay range")
    hours: float = Field(default=37, gt=0, le=48, description="Hours a week")
    employment_type: EmploymentType = EmploymentType.full_time
    posted: dt.date
    closes: dt.date = Field(description="The last day to apply; the job leaves the site the day after")
    summary: Text
    description: LongText
    apply_url: Url
    direct_apply: bool = Field(default=False, description="true only if people apply on this site's own form")

    @field_validator("closes")
    @classmethod
    def _closes_after_posting(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        posted = info.data.get("posted")
        if posted is not None and value < posted:
            raise ValueError(f"expected a closing date on or after the posting date ({posted}); found {value}")
        return value

    @property
    def url(self) -> str:
        return f"jobs/{self.id}/"


class Vacancies(Model):
    register_interest_url: Url = Field(description="Where to register interest when nothing suits")
    when_to_look: Text = Field(description="When new jobs usually appear, for an empty list")
    teams: list[Team] = Field(min_length=1)
    places: list[Place] = Field(min_length=1)
    vacancies: list[Vacancy] = Field(default_factory=list)
