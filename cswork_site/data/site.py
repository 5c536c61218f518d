"""SiteData: everything the templates need, typed, with the lookups pages use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from cswork_site.addresses import SiteAddresses
from cswork_site.data.models import (
    Careers,
    Offer,
    PracticeFramework,
    Role,
    Service,
    Stage,
    Testimonial,
    Testimonials,
)
from cswork_site.data.models.agency import Agency
from cswork_site.data.models.applying import Applying
from cswork_site.data.models.careers import EntryRoute
from cswork_site.data.models.events import Event, EventKind, Events
from cswork_site.data.models.metrics import Benchmarks, MetricsSettings, Snapshot
from cswork_site.data.models.nation import Nation
from cswork_site.data.models.pay_rules import PayRules
from cswork_site.data.models.strategy import Strategy
from cswork_site.data.models.vacancies import Place, Salary, Team, Vacancies, Vacancy
from cswork_site.languages import current
from cswork_site.pages.agency import AgencyComparison, compare
from cswork_site.pages.improvement import ImprovementStory, improvement_story
from cswork_site.pages.pathway import Pathway, lay_out
from cswork_site.pages.teams import HearBackShown, TeamPage, hear_back_shown, team_pages
from cswork_site.stories.meta import StoryHeader, versions
from cswork_site.stories.work import PreparedMarkdown


@dataclass(frozen=True)
class SiteData:
    service: Service
    offer: Offer
    careers: Careers
    testimonials: Testimonials
    practice: PracticeFramework
    build_date: dt.date
    addresses: SiteAddresses  # where stories are and the address of each, from the settings
    stories: dict[str, StoryHeader] = field(default_factory=dict)  # by path within the site
    # Story files too broken to check (no title, a date that does not parse): held back,
    # and kept from Pelican's reader too, which would stop the whole build on them.
    unreadable_stories: tuple[str, ...] = ()
    draft_testimonials: frozenset[str] = frozenset()  # shown only in the preview, marked DRAFT
    vacancies: Vacancies | None = None  # teams, places, and how to register interest
    jobs: tuple[Vacancy, ...] = ()  # open on the build date, closing soonest first
    events: Events | None = None
    agency: Agency | None = None
    pay_rules: PayRules | None = None
    metrics_settings: MetricsSettings | None = None
    benchmarks: Benchmarks | None = None
    strategy: Strategy | None = None
    applying: Applying | None = None
    snapshots: tuple[Snapshot, ...] = ()  # oldest first; history is kept
    # The stories' Markdown already converted, for Pelican's reader (not for templates).
    story_markdown: dict[str, PreparedMarkdown] = field(default_factory=dict, repr=False)  # let go once used
    # The same data in each other language of the site, its two-language text read in that
    # language (build/check.py); empty for a site in one language.
    other_languages: dict[str, SiteData] = field(default_factory=dict, repr=False)

    def in_language(self, code: str) -> SiteData:
        """The data as the pages in language `code` show it."""
        return self.other_languages.get(code, self)

    @property
    def nation(self) -> Nation:
        """The nation's regulator, inspectorate, statistics and wording (data/service.yaml's nation)."""
        return self.service.profile

    @cached_property
    def _roles(self) -> dict[str, Role]:
        return {r.id: r for r in self.offer.roles}

    @cached_property
    def _stages(self) -> dict[str, Stage]:
        return {s.id: s for s in self.careers.stages}

    def role(self, role_id: str | None) -> Role | None:
        return self._roles.get(role_id) if role_id else None

    def stage(self, stage_id: str | None) -> Stage | None:
        return self._stages.get(stage_id) if stage_id else None

    def next_stages(self, stage: Stage) -> list[Stage]:
        return [self._stages[i] for i in stage.leads_to]

    def previous_stages(self, stage: Stage) -> list[Stage]:
        return [s for s in self.careers.stages if stage.id in s.leads_to]

    def routes_into(self, stage: Stage) -> list[EntryRoute]:
        return [r for r in self.careers.entry_routes if r.leads_to == stage.id]

    def stage_for_role(self, role: Role) -> Stage | None:
        return self.stage(role.pathway_stage) or next(
            (s for s in self.careers.stages if s.role == role.id), None)

    def testimonials_for_role(self, role: Role) -> list[Testimonial]:
        return [t for t in self.testimonials.testimonials if t.related_role == role.id]

    def testimonials_for_stage(self, stage: Stage) -> list[Testimonial]:
        return [t for t in self.testimonials.testimonials if t.related_stage == stage.id]

    def testimonials_related(self, role: Role | None, stage: Stage | None) -> list[Testimonial]:
        return [t for t in self.testimonials.testimonials
                if (role and t.related_role == role.id) or (stage and t.related_stage == stage.id)]

    def team(self, team_id: str) -> Team | None:
        return next((t for t in self.vacancies.teams if t.id == team_id), None) if self.vacancies else None

    def place(self, place_id: str) -> Place | None:
        return next((p for p in self.vacancies.places if p.id == place_id), None) if self.vacancies else None

    def salary_for(self, job: Vacancy) -> Salary:
        """The job's own salary, or else its role's pay range from the offer."""
        if job.salary:
            return job.salary
        role = self.role(job.role)
        return Salary(min=role.pay.min, max=role.pay.max) if role else Salary(min=0, max=0)

    def jobs_where(self, key: str, value: str) -> list[Vacancy]:
        return [j for j in self.jobs if getattr(j, key) == value]

    @cached_property
    def improvement(self) -> ImprovementStory:
        return improvement_story(list(self.snapshots), self.metrics_settings, self.benchmarks, self.strategy,
                                 self.service.short_name, self.build_date, self.nation)

    @cached_property
    def agency_comparison(self) -> AgencyComparison | None:
        """Permanent against locum pay, when the site has the agency page's data."""
        if not (self.agency and self.pay_rules):
            return None
        role = self.role(self.agency.comparison.role)
        return compare(self.agency, role, self.offer, self.pay_rules, self.nation) if role else None

    def story_url(self, header: StoryHeader) -> str:
        """The address of a published story's page, relative to SITEURL."""
        return self.addresses.story_url(header)

    @cached_property
    def _versions(self) -> dict[str, dict[str, str]]:
        return versions(self.stories.values())

    def translations_of(self, path: str) -> dict[str, str]:
        """The story at path's versions in the site's other languages, by language code
        (its own language is StoryHeader.lang): the stories with its slug and year in
        another language, each published or not (see their publishable)."""
        return self._versions.get(path, {})

    def stories_of_kind(self, kind: str) -> list[StoryHeader]:
        """The published stories of a kind, newest first, as the pages in the language being
        written list them: each in that language's version where it has one published."""
        code = current().code
        return sorted((h for h in self.stories.values()
                       if h.publishable and h.meta.kind.value == kind and self.listed_in(h, code)),
                      key=lambda h: h.meta.date, reverse=True)

    def listed_in(self, header: StoryHeader, code: str) -> bool:
        """Whether a story's lists in language `code` show this version of it: its own
        language's, or where that has no published version, this one (as Pelican picks
        the story's original for a language's pages)."""
        if header.lang == code:
            return True
        own = self.translations_of(header.path).get(code)
        return own is None or not self.stories[own].publishable

    @cached_property
    def upcoming_events(self) -> list[Event]:
        """Events not yet over on the build date, soonest first."""
        items = self.events.events if self.events else []
        return sorted((e for e in items if e.ends.date() >= self.build_date), key=lambda e: e.starts)

    @cached_property
    def past_events(self) -> list[Event]:
        items = self.events.events if self.events else []
        return sorted((e for e in items if e.ends.date() < self.build_date), key=lambda e: e.starts, reverse=True)

    @staticmethod
    def event_kind(value: str) -> EventKind:
        return EventKind(value)

    def next_event(self, kind: EventKind) -> Event | None:
        return next((e for e in self.upcoming_events if e.kind == kind), None)

    @cached_property
    def team_pages(self) -> list[TeamPage]:
        """Every team in data/vacancies.yaml, as its page shows it (at Team.url)."""
        return team_pages(self.vacancies, self.metrics_settings, self.jobs, self.build_date)

    @cached_property
    def hear_back(self) -> list[HearBackShown]:
        """How soon candidates hear back (data/applying.yaml), measured waits suppressed over few people."""
        return hear_back_shown(self.applying.hear_back if self.applying else [], self.metrics_settings)

    @cached_property
    def pathway(self) -> Pathway:
        return lay_out(self.careers.stages)
