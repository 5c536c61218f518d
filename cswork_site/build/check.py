"""Every check of a site's input, data and stories together, in one list of problems."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from cswork_site.addresses import AddressSettingError, SiteAddresses
from cswork_site.build.leftovers import leftovers
from cswork_site.cache import BuildCache
from cswork_site.clock import build_date
from cswork_site.data.jobs import load_job_entries, open_jobs
from cswork_site.data.loading import (
    AGENCY,
    APPLYING,
    BENCHMARKS,
    CAREERS,
    EVENTS,
    METRICS_SETTINGS,
    OFFER,
    PAY_RULES,
    PRACTICE,
    SERVICE,
    STRATEGY,
    TESTIMONIALS,
    VACANCIES,
    Loaded,
    load_data,
    missing_text,
)
from cswork_site.data.models import Testimonials
from cswork_site.data.models.metrics import PERIOD_FIGURES, STANDARD_FIGURES
from cswork_site.data.models.vacancies import Vacancy
from cswork_site.data.site import SiteData
from cswork_site.metrics.store import check_settings, load_snapshots
from cswork_site.output.pictures import drop_claims
from cswork_site.pages.agency import stale_pay_year
from cswork_site.problems import Problem, did_you_mean, stopping
from cswork_site.progress import SILENT, Progress
from cswork_site.safeguarding.detectors import load_watch_lists
from cswork_site.safeguarding.publication import judge
from cswork_site.safeguarding.screening import screen_data, screen_entries, screen_testimonials, with_own_contacts
from cswork_site.stories.meta import StoryRefs, unchecked_content
from cswork_site.stories.work import MarkdownSettings, StoryContext, do_stories


def check_site(site: Path, preview: bool = False, markdown: MarkdownSettings | None = None,
               cache: BuildCache | None = None,
               settings: dict[str, Any] | None = None,
               progress: Progress = SILENT) -> tuple[SiteData | None, list[Problem]]:
    """Load and check the site at site/. SiteData is None when any error was found.

    With preview, testimonials that may not be published are kept, marked as drafts.
    With markdown, the stories' Markdown is converted too, ready for Pelican's reader.
    cache: the build cache (default: the site's).
    settings: the site's Pelican settings as the build has read them (else read here),
    for where the stories are and their addresses.
    progress: told of each phase of the check."""
    progress.phase("Checking the data files")
    loaded = load_data(site)
    service = loaded.get(SERVICE)
    if settings is None:
        settings = own_settings(site)
    addresses, address_problems = site_addresses(site, settings, getattr(service, "service", ""))
    offer, careers, practice = loaded.get(OFFER), loaded.get(CAREERS), loaded.get(PRACTICE)
    today = build_date()
    refs = StoryRefs(
        today,
        role_ids=frozenset(r.id for r in offer.roles) if offer is not None else None,
        stage_ids=frozenset(s.id for s in careers.stages) if careers is not None else None,
        value_names=frozenset(v.name for v in practice.values) if practice is not None else None,
        languages=loaded.languages,
    )
    # The data in each other language of the site, read from the same documents.
    others = {code: loaded.in_language(code) for code in loaded.languages[1:]}
    every_language = [loaded, *others.values()]
    lists, list_problems = load_watch_lists(site)
    lists = with_own_contacts(lists, [m for each in every_language for m in each.models.values()])
    if markdown is None:
        markdown = site_markdown_settings(site, settings)
    cache = cache if cache is not None else BuildCache(site)
    pictures = cache.folder("images")  # each picture checked is made ready there: decoded once
    if pictures is not None:
        drop_claims(pictures)
    progress.phase("Checking the stories")
    stories = do_stories(StoryContext(site, refs, lists, markdown, addresses, pictures), cache)
    problems = (loaded.problems + address_problems + stories.problems + list_problems
                + unchecked_content(site, addresses) + leftovers(site, loaded))
    progress.phase("Screening what will be published")
    held: set[str] = set()
    testimonials = loaded.get(TESTIMONIALS)
    if testimonials is not None:
        problems += _gate_testimonials(loaded, testimonials, today)
    # Every language's text is screened; a finding in text two languages share is reported once.
    screened: list[Problem] = []
    for each in every_language:
        if (items := each.get(TESTIMONIALS)) is not None:
            held_here, found = screen_testimonials(site, loaded.documents["testimonials"], items, lists)
            held |= held_here
            screened += found
        # Every other string in the data that reaches a page; jobs from a CSV are screened
        # where they were read (the ones in vacancies.yaml are screened with that file).
        screened += screen_data(each.documents, each.models, lists)
    problems += list(dict.fromkeys(screened))
    job_entries, job_problems = load_job_entries(site, loaded)
    jobs = [v for _, _, v in job_entries]
    problems += job_problems + _stale_pay_rules(loaded, today) + stale_pay_year(loaded)
    problems += screen_entries([e for e in job_entries if e[0] is not loaded.documents.get("vacancies")], lists)
    progress.phase("Checking the workforce figures")
    # data/metrics.yaml was read with the other data files: its further checks are made
    # here, and the snapshots are checked against it without reading it again.
    metrics_doc, metrics_settings = loaded.documents.get(METRICS_SETTINGS.key), loaded.get(METRICS_SETTINGS)
    metrics = (check_settings(metrics_doc, metrics_settings)
               if metrics_doc is not None and metrics_settings is not None else (None, []))
    pairs, snapshot_problems = load_snapshots(site, metrics)
    problems += snapshot_problems
    snapshots = tuple(s for _, s in pairs)
    problems += screen_entries([(doc, (), snap) for doc, snap in pairs], lists)
    problems += _stale_snapshot(pairs, loaded, today) + _check_measures(loaded, pairs) + _periods(pairs)
    if others:
        problems += _missing_text(loaded, held, jobs, today)
    problems.sort()
    # An error in a story holds back that story; any other error stops the build.
    if stopping(problems):
        return None, problems
    items = loaded.need(TESTIMONIALS)
    drafts = frozenset(t.id for t in items.testimonials
                       if t.id in held or not judge(t.consent, t.approval, today).publishable)
    site_data = SiteData(**_data_files(loaded, drafts, preview), build_date=today, addresses=addresses,
                         stories={s.path: s for s in stories.headers},
                         unreadable_stories=tuple(stories.unreadable),
                         story_markdown=stories.markdown, jobs=tuple(open_jobs(jobs, today)),
                         snapshots=snapshots,
                         draft_testimonials=drafts if preview else frozenset())
    if others:
        site_data = dataclasses.replace(site_data, other_languages={
            code: dataclasses.replace(site_data, **_data_files(other, drafts, preview),
                                      jobs=tuple(open_jobs(_jobs_in(site, other), today)))
            for code, other in others.items()})
    return site_data, problems


def _data_files(loaded: Loaded, drafts: frozenset[str], preview: bool) -> dict[str, Any]:
    """SiteData's data files from loaded, the testimonials that may not be published left
    out unless preview. Each by name: a file whose model is not what SiteData holds is a
    type error."""
    items = loaded.need(TESTIMONIALS)
    if not preview:
        items = items.model_copy(update={"testimonials": [t for t in items.testimonials if t.id not in drafts]})
    return dict(service=loaded.need(SERVICE), offer=loaded.need(OFFER), careers=loaded.need(CAREERS),
                testimonials=items, practice=loaded.need(PRACTICE),
                vacancies=loaded.get(VACANCIES), events=loaded.get(EVENTS), agency=loaded.get(AGENCY),
                pay_rules=loaded.get(PAY_RULES), metrics_settings=loaded.get(METRICS_SETTINGS),
                benchmarks=loaded.get(BENCHMARKS), strategy=loaded.get(STRATEGY),
                applying=loaded.get(APPLYING))


def _jobs_in(site: Path, other: Loaded) -> list[Vacancy]:
    """The jobs as another language reads them (a recruitment CSV's rows are read again:
    they have one language only; their problems were reported with the main language's)."""
    entries, _ = load_job_entries(site, other)
    return [v for _, _, v in entries]


def _missing_text(loaded: Loaded, held: set[str], jobs: list[Vacancy], today: dt.date) -> list[Problem]:
    """A warning at each published item's text that lacks a language of the site (not at
    testimonials held back or not cleared, nor at jobs not open)."""
    testimonials, vacancies = loaded.get(TESTIMONIALS), loaded.get(VACANCIES)
    items = testimonials.testimonials if testimonials else []
    shown = {j.id for j in open_jobs(jobs, today)}
    return missing_text(loaded, {
        "testimonials": tuple(("testimonials", i) for i, t in enumerate(items)
                              if t.id in held or not judge(t.consent, t.approval, today).publishable),
        "vacancies": tuple(("vacancies", i) for i, v in enumerate(vacancies.vacancies if vacancies else [])
                           if v.id not in shown),
    })


def own_settings(site: Path) -> dict[str, Any] | None:
    """The site's pelicanconf.py as a build reads it, or None if it cannot be read (the
    build says why; check goes on)."""
    from cswork_site.build.sitefolder import load_settings

    try:
        return load_settings(site)
    except Exception:  # a broken settings file (ProblemsFound, or worse) is reported by the build
        return None


def site_markdown_settings(site: Path, own: dict[str, Any] | None = None) -> MarkdownSettings:
    """The Markdown options of the site's own settings (read unless given), as a build
    would use them, so that `cswork check` screens each story exactly as it will be
    published."""
    from cswork_site import settings as shared
    from cswork_site.plugin.pelican_api import read_settings
    from cswork_site.plugin.reader import markdown_settings

    own = own if own is not None else own_settings(site)
    if own is not None:
        return markdown_settings(own)
    from cswork_site.build.sitefolder import quiet

    with quiet("pelican"):  # defaults only: Pelican's remarks on them are not the site's
        return markdown_settings(read_settings(None, {"MARKDOWN": shared.MARKDOWN}))


def site_addresses(site: Path, settings: dict[str, Any] | None,
                   author: str = "") -> tuple[SiteAddresses, list[Problem]]:
    """Where the site's stories are and their addresses, from its settings (None: the
    defaults); a setting no address can be made from is an error at its line, and the
    default addresses stand in for it."""
    from cswork_site.faults import _line_setting

    if settings is None:
        return SiteAddresses.default(site).with_author(author), []
    try:
        return SiteAddresses.from_settings(settings, site).with_author(author), []
    except AddressSettingError as exc:
        line = _line_setting(site, "pelicanconf.py", exc.setting)
        return SiteAddresses.default(site), [Problem("pelicanconf.py", line,
                                                     exc.setting, exc.message)]


def _periods(pairs) -> list[Problem]:
    """A count over time (conversions, intake, turnover, sickness) with no period cannot
    honestly be compared with anything: say so, at the figure, in the newest snapshot."""
    if not pairs:
        return []
    doc, newest = pairs[-1]
    return [doc.problem((name,), f"is counted over a period, but the snapshot does not say which: add "
                        f"period_months under {name} (12 for the 12 months to {newest.as_at:%-d %B %Y}); "
                        "until then the page says \"period not stated\" and compares it with nothing", "warning")
            for name, figure in newest.figures().items()
            if name in PERIOD_FIGURES and figure.period_months is None]


def _check_measures(loaded: Loaded, pairs) -> list[Problem]:
    """Each measure of success must name a figure that can exist, or it would say
    'no data' for ever without anyone noticing a misspelling."""
    strategy = loaded.get(STRATEGY)
    if strategy is None:
        return []
    settings = loaded.get(METRICS_SETTINGS)
    kpis = {k.id for k in settings.local_kpis} if settings is not None else set()
    surveys = {r.id for _, snap in pairs for r in snap.staff_survey}
    known = set(STANDARD_FIGURES) | {f"kpi:{k}" for k in kpis} | {f"survey:{s}" for s in surveys}
    doc = loaded.documents["strategy"]
    problems = []
    for i, strand in enumerate(strategy.strands):
        for j, measure in enumerate(strand.measures):
            if measure.metric not in known:
                hint = (did_you_mean(measure.metric, sorted(known))
                        or "expected a standard figure, kpi:<id> or survey:<id>")
                problems.append(doc.problem(("strands", i, "measures", j, "metric"),
                                            f"names no figure: {measure.metric!r}; {hint}"))
    return problems


def _stale_snapshot(pairs, loaded: Loaded, today: dt.date) -> list[Problem]:
    """Figures older than the settings allow are flagged, so nobody publishes old news as new."""
    settings = loaded.get(METRICS_SETTINGS)
    if not pairs:
        return []
    doc, newest = pairs[-1]
    if newest.as_at > today:
        return [doc.problem(("as_at",), f"expected a date no later than today ({today}); found {newest.as_at}: "
                            "figures cannot describe a day that has not happened")]
    age = (today - newest.as_at).days
    if settings is None or age <= settings.stale_after_days:
        return []
    return [doc.problem(("as_at",), f"the newest figures are {age} days old, more than the "
                        f"{settings.stale_after_days} days data/metrics.yaml allows; pull or add a new snapshot",
                        "warning")]


def _stale_pay_rules(loaded: Loaded, today: dt.date) -> list[Problem]:
    """Take-home figures from a past tax year mislead: warn, naming the year."""
    rules = loaded.get(PAY_RULES)
    if rules is None:
        if "agency" in loaded.documents:
            return [loaded.documents["agency"].problem(("comparison",), (
                "needs data/pay-rules.yaml, the tax year's rates and thresholds; without it the "
                "page shows no take-home comparison"), "warning")]
        return []
    ends = rules.tax_year_starts.replace(year=rules.tax_year_starts.year + 1) - dt.timedelta(days=1)
    if today < rules.tax_year_starts:
        return [loaded.documents["pay_rules"].problem(("tax_year",), (
            f"is {rules.tax_year}, which starts on {rules.tax_year_starts:%-d %B %Y}, after today; "
            "take-home figures use next year's rates"), "warning")]
    if today <= ends:
        return []
    return [loaded.documents["pay_rules"].problem(("tax_year",), (
        f"is {rules.tax_year}, which ended on {ends:%-d %B %Y}; update the rates and thresholds "
        "for the current tax year so take-home figures are right"), "warning")]


def _gate_testimonials(loaded: Loaded, testimonials: Testimonials, today: dt.date) -> list[Problem]:
    """Warn about every testimonial kept off the site, naming it and the reason."""
    doc = loaded.documents["testimonials"]
    problems = []
    for i, t in enumerate(testimonials.testimonials):
        gate = judge(t.consent, t.approval, today)
        if not gate.publishable:
            field = ("consent.scope" if gate.scope is not None else "consent.expires" if gate.expired_on
                     else gate.missing[0] if gate.missing
                     else "approval.date" if gate.not_yet_field == "approval" else "consent.date")
            loc = ("testimonials", i) + tuple(field.split("."))
            problems.append(doc.problem(loc, f"testimonial {t.id!r} {gate.reason}", "note"))
    return problems
