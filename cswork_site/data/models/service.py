"""data/service.yaml: who the authority is and how to reach it."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, ClassVar

from pydantic import AliasChoices, EmailStr, Field, field_validator, model_validator

from cswork_site.data.models.common import BiShortText, BiText, Colour, Model, ShortText, Text, Url
from cswork_site.data.models.nation import DEFAULT_NATION, Nation, nation, nations
from cswork_site.languages import DEFAULT_LANGUAGE, LANGUAGES
from cswork_site.translation import gettext as _


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
    team: BiShortText = Field(description="The team that answers, e.g. 'Social work recruitment team'")


class Brand(Model):
    primary: Colour = Field(description="Main colour: header and buttons")
    primary_text: Colour = Field(default="#ffffff", description="Text drawn on the main colour")
    accent: Colour = Field(description="Highlight colour, used for focus rings and rules")
    link: Colour = Field(default="#1d4f91", description="Link colour on white")


class Logo(Model):
    path: ShortText = Field(description="SVG or PNG file, relative to the site folder")
    alt: BiShortText


# From 1 April 2026 an Ofsted inspection of local authority children's services (ILACS)
# gives no overall effectiveness grade; its sub-judgements remain.
ILACS_WITHOUT_OVERALL_FROM = dt.date(2026, 4, 1)


class InspectionKind(str, Enum):
    """What kind of inspection or visit it was: this decides which judgements it can give."""

    ilacs = "ILACS"
    focused_visit = "focused visit"
    monitoring_visit = "monitoring visit"
    jtai = "JTAI"
    performance_evaluation = "performance evaluation inspection"
    improvement_check = "improvement check"
    assurance_check = "assurance check"

    @classmethod
    def _missing_(cls, value: object) -> InspectionKind | None:
        if isinstance(value, str):  # "ilacs", "Focused visit": the same choice
            wanted = " ".join(value.split()).casefold()
            return next((k for k in cls if k.value.casefold() == wanted), None)
        return None

    @property
    def label(self) -> str:
        """The kind in words, in the language being written; the value stays the word data uses."""
        return _kind_labels()[self]

    @property
    def grades(self) -> bool:
        """Whether the framework gives judgements at all: an ILACS does; visits, joint targeted
        area inspections and Care Inspectorate Wales report findings without grades."""
        return self is InspectionKind.ilacs


def _kind_labels() -> dict[InspectionKind, str]:
    return {
        InspectionKind.ilacs: _("inspection of local authority children's services (ILACS)"),
        InspectionKind.focused_visit: _("focused visit"),
        InspectionKind.monitoring_visit: _("monitoring visit"),
        InspectionKind.jtai: _("joint targeted area inspection (JTAI)"),
        InspectionKind.performance_evaluation: _("performance evaluation inspection"),
        InspectionKind.improvement_check: _("improvement check"),
        InspectionKind.assurance_check: _("assurance check"),
    }


class SubJudgement(Model):
    name: BiShortText = Field(description=(
        "What was judged, as the report names it, e.g. 'The experiences and progress of "
        "children who need help and protection'"))
    judgement: Judgement


class Inspection(Model):
    """One inspection or visit, with only the judgements it actually gave.

    Older records (date, body, judgement, summary, url) still read: `body` is the
    inspectorate and `judgement` the overall grade."""

    # Two fields, not one with two names, so a message about the text names the line it
    # was written on, whichever of the two keys that was.
    inspectorate: ShortText | None = Field(
        default=None, description="Who inspected, e.g. Ofsted or Care Inspectorate Wales")
    body: ShortText | None = Field(default=None, description="The older name for inspectorate")
    kind: InspectionKind | None = Field(default=None, description="What kind of inspection or visit it was")
    date: dt.date
    overall: Judgement | None = Field(
        default=None, validation_alias=AliasChoices("overall", "judgement"),
        description="The overall grade, only where the framework gives one")
    judgements: list[SubJudgement] = Field(default_factory=list, description="The sub-judgements, each by name")
    findings: list[BiText] = Field(default_factory=list, description="Key findings or quotes from the report")
    summary: BiText | None = None
    url: Url | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_name_each(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for new, old in (("inspectorate", "body"), ("overall", "judgement")):
                if new in value and old in value:
                    raise ValueError(f"gives both {new!r} and {old!r}, which are the same thing; keep {new!r}")
        return value

    @model_validator(mode="after")
    def _only_what_the_framework_gives(self) -> Inspection:
        if not self.inspected_by:
            raise ValueError("needs 'inspectorate': who inspected, e.g. Ofsted")
        kind = self.kind
        if kind is not None and not kind.grades and (self.overall or self.judgements):
            raise ValueError(f"a {kind.value} gives no judgements or grades, only findings; "
                             "leave out 'overall' and 'judgements' and write 'findings'")
        if self.overall and kind is InspectionKind.ilacs and self.date >= ILACS_WITHOUT_OVERALL_FROM:
            raise ValueError(f"an ILACS on or after {ILACS_WITHOUT_OVERALL_FROM:%-d %B %Y} gives no overall grade; "
                             "leave out the overall grade and list the sub-judgements under 'judgements'")
        if not (self.overall or self.judgements or self.findings or self.summary):
            raise ValueError("says nothing of what the inspectors found; give 'findings' or a 'summary'")
        return self

    @property
    def inspected_by(self) -> str:
        """Who inspected, from either key."""
        return self.inspectorate or self.body or ""

    @property
    def judgement(self) -> Judgement | None:
        """The older name for the overall grade."""
        return self.overall

    @property
    def inspectorate_name(self) -> str:
        """Who inspected, as the language being written names them: a nation's inspectorate
        by its name in that language ('Arolygiaeth Gofal Cymru'), any other as data gives it."""
        by = self.inspected_by
        return next((str(n.inspectorate.name) for n in nations().values() if n.inspectorate.is_named(by)), by)

    @property
    def heading(self) -> str:
        """What it was, in words: 'Ofsted focused visit', 'Ofsted inspection'."""
        kind = self.kind.label if self.kind else _("inspection")
        text = _("%(inspectorate)s %(kind)s", inspectorate=self.inspectorate_name, kind=kind)
        return text[:1].upper() + text[1:]  # Welsh puts the kind first


class PracticeModel(Model):
    name: BiShortText
    kind: PracticeModelKind
    summary: BiText


class Service(Model):
    authority: BiShortText = Field(description="The council's name")
    service: BiShortText = Field(description="The service's name")
    short_name: BiShortText = Field(description="A short name for headings and the page title")
    tagline: BiShortText
    nation: ShortText = Field(default=DEFAULT_NATION, description=(
        "Where the council is: england or wales. It decides the regulator, the inspectorate, the "
        "official statistics, the agency rules, the income tax wording and the early-career programme "
        "the site's own sentences name"))
    languages: list[str] = Field(default=[DEFAULT_LANGUAGE], description=(
        "The languages the site is written in, the main one first: [en], [cy, en] or [en, cy]; "
        "the main one's pages are at the site's root, the other's in its own folder (/cy/)"))
    region: ShortText
    website: Url
    contact: Contact
    brand: Brand
    logo: Logo
    practice_model: PracticeModel
    inspections: list[Inspection] = Field(default_factory=list)
    accessibility: AccessibilityInfo
    privacy: PrivacyInfo

    @field_validator("nation", mode="before")
    @classmethod
    def _known_nation(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().casefold() in nations():
            return value.strip().casefold()
        raise ValueError(f"expected one of {', '.join(nations())}; found {value!r}")

    @field_validator("languages", mode="before")
    @classmethod
    def _known_languages(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise ValueError(f"expected a list of languages, the main one first, such as [cy, en]; found {value!r}")
        codes = [str(v).strip().casefold() for v in value]
        unknown = [c for c in codes if c not in LANGUAGES]
        if unknown:
            raise ValueError(f"expected languages from {', '.join(LANGUAGES)}; found {', '.join(unknown)}")
        if len(set(codes)) != len(codes):
            raise ValueError(f"each language once; found {', '.join(codes)}")
        return codes

    @property
    def profile(self) -> Nation:
        """The nation's regulator, inspectorate, statistics and wording."""
        return nation(self.nation)

    @property
    def latest_inspection(self) -> Inspection | None:
        return max(self.inspections, key=lambda i: i.date, default=None)

    @property
    def inspections_newest_first(self) -> list[Inspection]:
        return sorted(self.inspections, key=lambda i: i.date, reverse=True)


EHRC = "Equality and Human Rights Commission (EHRC)"  # the value kept in data; shown through gettext


class AccessibilityInfo(Model):
    statement_date: dt.date = Field(description="When the statement was prepared")
    last_reviewed: dt.date
    tested_by: BiShortText = Field(description="Who tested the site, e.g. 'our digital team'")
    known_issues: list[BiText] = Field(default_factory=list)
    enforcement_body: ShortText = Field(default=EHRC)

    @property
    def enforcement_body_name(self) -> str:
        """The body as the page names it: cswork's own default in the language being written,
        a site's own as it gives it."""
        return _("Equality and Human Rights Commission (EHRC)") if self.enforcement_body == EHRC \
            else self.enforcement_body


class PrivacyInfo(Model):
    OWN_DETAILS: ClassVar = ("dpo_email",)
    controller: ShortText = Field(description="The data controller, usually the council")
    dpo_email: EmailStr = Field(description="How to contact the data protection officer")
    retention: BiText = Field(description="How long enquiries and applications are kept")


Service.model_rebuild()
