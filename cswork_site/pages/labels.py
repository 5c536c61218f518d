"""The names of the data's kinds (a story's kind, a pay supplement, a judgement...) as a
page shows them, in the current language.

A kind's value in the data is its English name in lower case ("market supplement"); a
page shows it as a label ("Market supplement") or inside a sentence ("a £2,000 market
supplement"). Each language writes both forms itself, since changing a word's case is
not something every language does the same way. Translated when asked, never at import,
so the language being written is the one used.
"""

from __future__ import annotations

from enum import Enum

from cswork_site.translation import gettext as _


def _forms() -> dict[str, tuple[str, str]]:
    """Each kind's value: (its label, its words in a sentence)."""
    return {
        # stories/meta.py StoryKind
        "practice story": (_("Practice story"), _("practice story")),
        "career story": (_("Career story"), _("career story")),
        "agency-to-permanent story": (_("Agency-to-permanent story"), _("agency-to-permanent story")),
        "young people's voice": (_("Young people's voice"), _("young people's voice")),
        "news": (_("News"), _("news")),
        # data/models/events.py EventKind
        "agency to permanent": (_("Agency to permanent"), _("agency to permanent")),
        "recruitment event": (_("Recruitment event"), _("recruitment event")),
        "career conversation": (_("Career conversation"), _("career conversation")),
        # data/models/offer.py RoleGroup
        "social work": (_("Social work"), _("social work")),
        "management": (_("Management"), _("management")),
        "family support": (_("Family support"), _("family support")),
        "business support": (_("Business support"), _("business support")),
        # data/models/offer.py SupplementKind
        "market supplement": (_("Market supplement"), _("market supplement")),
        "retention payment": (_("Retention payment"), _("retention payment")),
        "welcome payment": (_("Welcome payment"), _("welcome payment")),
        # data/models/service.py Judgement
        "outstanding": (_("Outstanding"), _("outstanding")),
        "good": (_("Good"), _("good")),
        "requires improvement to be good": (_("Requires improvement to be good"),
                                            _("requires improvement to be good")),
        "inadequate": (_("Inadequate"), _("inadequate")),
        # data/models/service.py PracticeModelKind
        "systemic": (_("Systemic"), _("systemic")),
        "signs of safety": (_("Signs of Safety"), _("Signs of Safety")),
        "restorative": (_("Restorative"), _("restorative")),
        # data/models/service.py InspectionKind
        "ILACS": ("ILACS", "ILACS"),
        "focused visit": (_("Focused visit"), _("focused visit")),
        "monitoring visit": (_("Monitoring visit"), _("monitoring visit")),
        "JTAI": ("JTAI", "JTAI"),
        "performance evaluation inspection": (_("Performance evaluation inspection"),
                                              _("performance evaluation inspection")),
        "improvement check": (_("Improvement check"), _("improvement check")),
        "assurance check": (_("Assurance check"), _("assurance check")),
        # data/models/testimonials.py TestimonialKind
        "staff": (_("Staff"), _("staff")),
        "agency convert": (_("Agency convert"), _("agency convert")),
        "young person": (_("Young person"), _("young person")),
        "parent or carer": (_("Parent or carer"), _("parent or carer")),
        "partner": (_("Partner"), _("partner")),
        # pages/strategy.py Status
        "on track": (_("On track"), _("on track")),
        "not yet": (_("Not yet"), _("not yet")),
        "no data": (_("No data"), _("no data")),
        # data/models/strategy.py Direction
        "at most": (_("At most"), _("at most")),
        "at least": (_("At least"), _("at least")),
        # data/models/vacancies.py EmploymentType (schema.org's names)
        "FULL_TIME": (_("Full time"), _("full time")),
        "PART_TIME": (_("Part time"), _("part time")),
        "TEMPORARY": (_("Temporary"), _("temporary")),
        "CONTRACTOR": (_("Contractor"), _("contractor")),
        "INTERN": (_("Intern"), _("intern")),
    }


def _value(kind: Enum | str) -> str:
    return str(kind.value if isinstance(kind, Enum) else kind)


def label(kind: Enum | str) -> str:
    """A kind as a label or heading shows it: "Market supplement"."""
    value = _value(kind)
    return _forms().get(value, (value[:1].upper() + value[1:], value))[0]


def words(kind: Enum | str) -> str:
    """A kind as a sentence names it: "market supplement"."""
    value = _value(kind)
    return _forms().get(value, (value, value))[1]


def roles_heading(group: Enum | str) -> str:
    """A group of roles as the offer page heads it: "Social work roles"."""
    value = _value(group)
    return {
        "social work": _("Social work roles"), "management": _("Management roles"),
        "family support": _("Family support roles"), "business support": _("Business support roles"),
    }.get(value) or _("%(group)s roles", group=label(group))
