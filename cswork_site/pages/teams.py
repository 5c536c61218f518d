"""Team pages and the applying page's figures: what each shows, with small numbers
suppressed (pages/suppression.py) and a manager named only with consent in date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from cswork_site.data.models.applying import HearBack
from cswork_site.data.models.metrics import MetricsSettings, Suppression
from cswork_site.data.models.vacancies import Place, Stability, Team, Vacancies, Vacancy
from cswork_site.pages import suppression
from cswork_site.pages.suppression import Shown
from cswork_site.safeguarding.publication import judge
from cswork_site.translation import gettext as _, ngettext


@dataclass(frozen=True)
class Figure:
    label: str
    shown: Shown
    definition: str


@dataclass(frozen=True)
class TeamStability:
    as_at: dt.date
    source: str
    permanent_manager: bool | None
    figures: tuple[Figure, ...]

    @property
    def notes(self) -> list[str]:
        """Why figures are hidden, each reason once, for the footnote."""
        seen: list[str] = []
        for f in self.figures:
            if f.shown.reason and f.shown.reason not in seen:
                seen.append(f.shown.reason)
        return seen


@dataclass(frozen=True)
class TeamPage:
    team: Team
    place: Place | None
    manager_name: str | None  # only with consent and approval in date on the build date
    stability: TeamStability | None
    jobs: tuple[Vacancy, ...]  # open now in this team

    @property
    def url(self) -> str:
        return self.team.url


def rules(settings: MetricsSettings | None) -> Suppression:
    """The site's suppression thresholds (data/metrics.yaml), or the defaults."""
    return settings.suppression if settings else Suppression()


def _rate(value: Decimal, base: Shown, base_value: int, rule: Suppression, unit: str) -> Shown:
    shown = suppression.rate(value, base_value, rule.min_denominator, unit)
    if not shown.suppressed and base.suppressed:  # the base is hidden: so is what it gives away
        return Shown(None, _("not published"), _("based on fewer than %(count)s people", count=rule.min_count))
    return shown


def stability_shown(stability: Stability, rule: Suppression) -> TeamStability:
    figures: list[Figure] = []
    if stability.staff_count is not None:
        staff = suppression.count(stability.staff_count, rule.min_count)
        figures.append(Figure(_("Social workers in the team"), staff,
                              _("Everyone in a social work post, by headcount")))
        if stability.permanent_staff_percent is not None:
            figures.append(Figure(_("On permanent contracts"),
                                  _rate(stability.permanent_staff_percent, staff, stability.staff_count, rule, "%"),
                                  _("The share of the team's social workers employed by us, not through an agency")))
    if stability.case_holders is not None:
        holders = suppression.count(stability.case_holders, rule.min_count)
        figures.append(Figure(_("Social workers holding cases"), holders, _("Headcount of those with a caseload")))
        if stability.average_caseload is not None:
            figures.append(Figure(_("Average caseload"),
                                  _rate(stability.average_caseload, holders, stability.case_holders, rule,
                                        " " + _("children")),
                                  _("Children allocated to each case holder, on average (the mean)")))
    return TeamStability(stability.as_at, stability.source, stability.permanent_manager, tuple(figures))


def _manager_name(team: Team, today: dt.date) -> str | None:
    if not team.manager_name:
        return None
    return team.manager_name if judge(team.manager_consent, team.manager_approval, today).publishable else None


def team_pages(vacancies: Vacancies | None, settings: MetricsSettings | None, jobs: tuple[Vacancy, ...],
               today: dt.date) -> list[TeamPage]:
    if vacancies is None:
        return []
    rule = rules(settings)
    places = {p.id: p for p in vacancies.places}
    return [TeamPage(team=t, place=places.get(t.location) if t.location else None,
                     manager_name=_manager_name(t, today),
                     stability=stability_shown(t.stability, rule) if t.stability else None,
                     jobs=tuple(j for j in jobs if j.team == t.id))
            for t in vacancies.teams]


@dataclass(frozen=True)
class HearBackShown:
    item: HearBack
    median: Shown | None  # the measured median wait, suppressed over few candidates
    candidates: Shown | None


def hear_back_shown(items: list[HearBack], settings: MetricsSettings | None) -> list[HearBackShown]:
    rule = rules(settings)
    shown = []
    for h in items:
        m = h.measured
        if m is None:
            shown.append(HearBackShown(h, None, None))
            continue
        candidates = suppression.count(m.candidates, rule.min_count)
        days = m.median_working_days
        # A fraction of a day takes the plural, in English and in Welsh's "other" form alike.
        unit = " " + ngettext("working day", "working days", int(days) if days == int(days) else 100)
        median = _rate(m.median_working_days, candidates, m.candidates, rule, unit)
        shown.append(HearBackShown(h, median, candidates))
    return shown
