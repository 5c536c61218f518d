"""data/vacancies.yaml: teams, places of work and the jobs open now.

Jobs may instead come from an applicant tracking system's CSV export,
data/vacancies.csv (read by cswork_site/data/jobs.py); teams and places stay here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from cswork_site.data.models.common import (
    Approval,
    BiLongText,
    BiShortText,
    BiText,
    Consent,
    Id,
    Model,
    Money,
    Number,
    ShortText,
    Url,
    at_least_min,
)
from cswork_site.translation import gettext as _


class EmploymentType(str, Enum):
    # schema.org JobPosting employmentType values, as Google reads them
    full_time = "FULL_TIME"
    part_time = "PART_TIME"
    temporary = "TEMPORARY"
    contractor = "CONTRACTOR"
    intern = "INTERN"


class Stability(Model):
    """How settled a team is, as the service's own records count it on one day."""

    as_at: dt.date = Field(description="The day the figures are counted on")
    source: ShortText = Field(description="Where the figures come from, e.g. HR establishment report")
    permanent_manager: bool | None = Field(default=None, description="true when the team manager is permanent")
    staff_count: int | None = Field(default=None, ge=0, le=10_000, description="Social workers in the team")
    permanent_staff_percent: Number | None = Field(
        default=None, ge=0, le=100, description="Of staff_count, the share on permanent contracts")
    case_holders: int | None = Field(default=None, ge=0, le=10_000, description="Social workers holding cases")
    average_caseload: Number | None = Field(
        default=None, ge=0, le=200, description="Children per case holder, on average (the mean)")

    @field_validator("permanent_staff_percent", "average_caseload")
    @classmethod
    def _base_given(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        # A share or an average is published only with its base, so that small numbers can
        # be suppressed: a percentage of 3 people could name them. (A base that failed its
        # own check is absent from info.data: that error is enough.)
        base = {"permanent_staff_percent": "staff_count", "average_caseload": "case_holders"}[str(info.field_name)]
        if value is not None and base in info.data and info.data[base] is None:
            raise ValueError(f"needs {base}, the number of people it is worked out from, so that "
                             "small numbers can be kept off the site")
        return value


class Team(Model):
    id: Id
    name: BiShortText
    summary: BiText | None = None
    about: BiLongText | None = Field(default=None, description="What the team does, for its own page")
    manager_role: BiShortText | None = Field(default=None, description="The manager's job title, e.g. Team manager")
    manager_consent: Consent | None = Field(default=None, description="Needed before a manager's name is shown")
    manager_approval: Approval | None = Field(default=None, description="Needed before a manager's name is shown")
    manager_name: ShortText | None = Field(default=None, description=(
        "Shown only with the manager's consent and approval in date; leave out to name the role only"))
    location: Id | None = Field(default=None, description="Where the team is based: a place in places")
    hybrid_pattern: BiText | None = Field(default=None, description="How office and home working is shared")
    stability: Stability | None = None

    @field_validator("manager_name")
    @classmethod
    def _name_needs_consent(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Declared after the consent and approval, so they are read already.
        if value is not None:
            missing = [f for f in ("manager_consent", "manager_approval") if info.data.get(f) is None]
            if missing:
                raise ValueError(f"a manager's name is published only with {' and '.join(missing)}; add "
                                 f"{'them' if len(missing) > 1 else 'it'}, or leave the name out")
        return value

    @property
    def url(self) -> str:
        """The team's page, relative to SITEURL (every team in data/vacancies.yaml has one)."""
        return f"teams/{self.id}/"


class Place(Model):
    OWN_DETAILS: ClassVar = ("name", "street", "locality", "postcode")  # the organisation's own: never a finding
    id: Id
    name: BiShortText = Field(description="What people call it, e.g. Town Hall")
    street: ShortText
    locality: ShortText = Field(description="Town or city")
    region: ShortText | None = Field(default=None, description="County, e.g. Kent")
    postcode: ShortText


# A full-time week when a job has no role to say otherwise (NJC Green Book: 37 hours).
FULL_TIME_HOURS = 37.0


class Salary(Model):
    """A year's pay, from min to max: a job's is for its own hours (for a part-time job,
    the pro rata pay); a role's pay range in data/offer.yaml is for full time."""

    min: Money
    max: Money

    _max_not_below_min = field_validator("max")(lambda v, info: at_least_min(v, info))

    def scaled(self, factor: float) -> Salary:
        return Salary(min=round(self.min * factor), max=round(self.max * factor))


def _hours_text(hours: float) -> str:
    return f"{hours:g}"


@dataclass(frozen=True)
class JobPay:
    """What a job pays, as its page and JobPosting data say it: the pay for its own hours
    and, for a job of fewer hours than full time, the full-time equivalent it is pro rata to."""

    for_hours: Salary
    full_time: Salary
    hours: float
    full_time_hours: float

    @property
    def part_time(self) -> bool:
        return self.hours < self.full_time_hours

    @property
    def hours_text(self) -> str:
        return _hours_text(self.hours)

    @property
    def full_time_hours_text(self) -> str:
        return _hours_text(self.full_time_hours)


class WelshLanguage(str, Enum):
    """A job's Welsh-language skills category, as the Welsh Language Standards ask every
    advert of a Welsh council to give one."""

    essential = "essential"
    desirable = "desirable"
    to_be_learnt = "to_be_learnt"
    not_necessary = "not_necessary"

    @property
    def label(self) -> str:
        return _welsh_labels()[self][0]

    @property
    def short(self) -> str:
        """The label for a row already headed Welsh: "To be learnt"."""
        return _welsh_labels()[self][1]

    @property
    def meaning(self) -> str:
        return _welsh_labels()[self][2]


def _welsh_labels() -> dict[WelshLanguage, tuple[str, str, str]]:
    """Each category's label, short label and meaning, in the language being written (so
    made at each call, not once)."""
    return {
        WelshLanguage.essential: (_("Welsh essential"), _("Essential"),
                                  _("you need to be able to use Welsh in this job")),
        WelshLanguage.desirable: (_("Welsh desirable"), _("Desirable"),
                                  _("Welsh would help in this job, but you can apply without it")),
        WelshLanguage.to_be_learnt: (_("Welsh to be learnt"), _("To be learnt"),
                                     _("you can learn Welsh in the job, and we will support you")),
        WelshLanguage.not_necessary: (_("Welsh not necessary"), _("Not necessary"),
                                      _("you do not need Welsh for this job")),
    }
# How recruitment systems and people write the categories, read as the words above.
_WELSH_SAME = {"required": "essential", "not_required": "not_necessary", "to_be_learned": "to_be_learnt",
               "learn_in_post": "to_be_learnt", "to_be_learnt_in_post": "to_be_learnt",
               "to_be_learned_in_post": "to_be_learnt", "none": "not_necessary"}


def _welsh_word(value: Any) -> Any:
    """"Welsh essential", "To be learnt" or "not-required" as the enum's word; anything
    else is refused with the four words listed."""
    if isinstance(value, WelshLanguage) or not isinstance(value, str):
        return value
    word = "_".join(value.lower().replace("-", " ").split())
    word = word.removeprefix("welsh_").removeprefix("language_")
    word = _WELSH_SAME.get(word, word)
    if word not in WelshLanguage.__members__:
        raise ValueError("expected one of: " + ", ".join(WelshLanguage.__members__) + f"; found {value!r}")
    return word


WelshCategory = Annotated[WelshLanguage, BeforeValidator(_welsh_word)]

# The levels many Welsh councils use for each skill, 0 to 5, as the Welsh for Adults
# courses name them (ALTE's levels, from entry to proficiency).
WELSH_LEVELS = ("none", "entry", "foundation", "intermediate", "advanced", "proficiency")


def _level(value: Any) -> Any:
    """3, "3", "level 3" or "intermediate" as 3; anything else is refused with the levels listed."""
    word = value.strip().lower().removeprefix("level").strip() if isinstance(value, str) else value
    word = {"proficient": "proficiency"}.get(word, word) if isinstance(word, str) else word
    if isinstance(word, str) and word in WELSH_LEVELS:
        return WELSH_LEVELS.index(word)
    if isinstance(word, str) and word.isdigit():
        word = int(word)
    if isinstance(word, int) and not isinstance(word, bool) and 0 <= word <= 5:
        return word
    raise ValueError("expected a level from 0 to 5, or one of: "
                     + ", ".join(f"{w} ({n})" for n, w in enumerate(WELSH_LEVELS)) + f"; found {value!r}")


WelshLevel = Annotated[int, BeforeValidator(_level), Field(ge=0, le=5)]


@dataclass(frozen=True)
class WelshSkill:
    """One skill's level, for the page and the JobPosting: "Speaking: level 3 (intermediate)"."""

    skill: str
    level: int

    @property
    def text(self) -> str:
        return _("%(skill)s: level %(level)s (%(name)s)", skill=_skill_names()[self.skill],
                 level=self.level, name=_level_names()[self.level])


def _skill_names() -> dict[str, str]:
    return {"understanding": _("Understanding"), "speaking": _("Speaking"),
            "reading": _("Reading"), "writing": _("Writing")}


def _level_names() -> tuple[str, ...]:
    """WELSH_LEVELS as the page shows them; WELSH_LEVELS stay the words data is read in."""
    return (_("none"), _("entry"), _("foundation"), _("intermediate"), _("advanced"), _("proficiency"))


class WelshSkills(Model):
    """The level a job needs in each Welsh skill, 0 (none) to 5 (proficiency)."""

    understanding: WelshLevel | None = Field(default=None, description="Understanding spoken Welsh, 0 to 5")
    speaking: WelshLevel | None = Field(default=None, description="Speaking Welsh, 0 to 5")
    reading: WelshLevel | None = Field(default=None, description="Reading Welsh, 0 to 5")
    writing: WelshLevel | None = Field(default=None, description="Writing Welsh, 0 to 5")

    @property
    def given(self) -> list[WelshSkill]:
        return [WelshSkill(name, level) for name in ("understanding", "speaking", "reading", "writing")
                if (level := getattr(self, name)) is not None]


class Vacancy(Model):
    id: Id = Field(description="Becomes the job's web address, e.g. jobs/social-worker-assessment-2611/")
    reference: ShortText = Field(description="Your recruitment system's reference, e.g. CB-2026-114")
    title: BiShortText
    role: Id = Field(description="The role in data/offer.yaml: links the job to its offer and career stage")
    team: Id
    location: Id
    salary: Salary | None = Field(default=None, description="Leave out to use the role's pay range")
    hours: float = Field(default=37, gt=0, le=48, description="Hours a week")
    employment_type: EmploymentType = EmploymentType.full_time
    posted: dt.date
    closes: dt.date = Field(description="The last day to apply; the job leaves the site the day after")
    summary: BiText
    description: BiLongText
    apply_url: Url
    direct_apply: bool = Field(default=False, description="true only if people apply on this site's own form")
    welsh_language: WelshCategory | None = Field(
        default=None, description="The Welsh-language skills category; leave out to use defaults.welsh_language")
    welsh_skills: WelshSkills | None = Field(default=None, description="The level needed in each Welsh skill")

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

    def pay(self, salary: Salary, full_time_hours: float | None = None) -> JobPay:
        """This job's pay. salary is its own (for its hours) or, when it gives none, its
        role's full-time range (as SiteData.salary_for returns them); full_time_hours are
        the role's."""
        full = full_time_hours or FULL_TIME_HOURS
        if self.hours >= full:
            return JobPay(for_hours=salary, full_time=salary, hours=self.hours, full_time_hours=full)
        if self.salary is not None:  # the job's own pay, for its hours
            return JobPay(for_hours=self.salary, full_time=self.salary.scaled(full / self.hours),
                          hours=self.hours, full_time_hours=full)
        return JobPay(for_hours=salary.scaled(self.hours / full), full_time=salary,
                      hours=self.hours, full_time_hours=full)


class JobDefaults(Model):
    """What every job has unless it says otherwise."""

    welsh_language: WelshCategory | None = Field(
        default=None, description="The Welsh-language skills category of a job that gives none")


class Vacancies(Model):
    register_interest_url: Url = Field(description="Where to register interest when nothing suits")
    when_to_look: BiText = Field(description="When new jobs usually appear, for an empty list")
    teams: list[Team] = Field(min_length=1)
    places: list[Place] = Field(min_length=1)
    vacancies: list[Vacancy] = Field(default_factory=list)
    defaults: JobDefaults | None = None
    welsh_applications_welcome: bool = Field(default=False, description=(
        "true to say on the job pages, the jobs list and the applying page, in English and Welsh, "
        "that applications in Welsh are welcome"))
