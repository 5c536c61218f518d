"""Checks that span fields or files: ids, references, the pathway graph, files, contrast."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cswork_site.data.models import Careers, Offer, PracticeFramework, Service, Testimonials
from cswork_site.data.models.agency import Agency
from cswork_site.data.models.events import Events
from cswork_site.data.models.nation import nations
from cswork_site.data.models.vacancies import Vacancies
from cswork_site.data.yamlfile import YamlDocument
from cswork_site.output.pictures import image_problems, logo_problems, not_a_file
from cswork_site.pages.colours import contrast
from cswork_site.problems import Problem, dotted

if TYPE_CHECKING:
    from cswork_site.data.loading import Loaded

MIN_TEXT_CONTRAST = 4.5  # WCAG 2.2 AA, 1.4.3 for normal-size text
WHITE = "#ffffff"


def _unknown(doc: YamlDocument, loc: tuple, ref: str, what: str, known: Iterable[str]) -> Problem:
    """`what` says what the reference should name, e.g. 'the id of a role in data/offer.yaml'."""
    choices = ", ".join(sorted(known)) or "none are defined"
    return doc.problem(loc, f"expected {what}; found {ref!r}, which does not exist (known: {choices})")


def _check_offer(doc: YamlDocument, offer: Offer, stage_ids: set[str] | None) -> list[Problem]:
    problems = doc.duplicate_ids("roles", (r.id for r in offer.roles))
    if stage_ids is not None:
        for i, role in enumerate(offer.roles):
            if role.pathway_stage and role.pathway_stage not in stage_ids:
                problems.append(_unknown(doc, ("roles", i, "pathway_stage"), role.pathway_stage,
                                         "the id of a pathway stage in data/careers.yaml", stage_ids))
    return problems


def _check_careers(doc: YamlDocument, careers: Careers, role_ids: set[str] | None) -> list[Problem]:
    problems = doc.duplicate_ids("stages", (s.id for s in careers.stages))
    problems += doc.duplicate_ids("entry_routes", (r.id for r in careers.entry_routes))
    stage_ids = {s.id for s in careers.stages}
    for i, stage in enumerate(careers.stages):
        if role_ids is not None and stage.role and stage.role not in role_ids:
            problems.append(_unknown(doc, ("stages", i, "role"), stage.role,
                                     "the id of a role in data/offer.yaml", role_ids))
        for j, target in enumerate(stage.leads_to):
            if target not in stage_ids:
                problems.append(_unknown(doc, ("stages", i, "leads_to", j), target,
                                         "the id of a pathway stage", stage_ids))
            elif target == stage.id:
                problems.append(doc.problem(("stages", i, "leads_to", j),
                                            f"a stage cannot lead to itself; found {target!r}"))
    for i, route in enumerate(careers.entry_routes):
        if route.leads_to not in stage_ids:
            problems.append(_unknown(doc, ("entry_routes", i, "leads_to"), route.leads_to,
                                     "the id of a pathway stage", stage_ids))
    return problems + _check_cycles(doc, careers)


def _check_cycles(doc: YamlDocument, careers: Careers) -> list[Problem]:
    """Report each cycle once, at the link that closes it."""
    index = {s.id: i for i, s in enumerate(careers.stages)}
    graph = {s.id: [t for t in s.leads_to if t in index and t != s.id] for s in careers.stages}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    problems: list[Problem] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in graph[node]:
            if state.get(target) == 1:
                loop = (" -> ".join(path[path.index(target):] + [node, target]) if target in path
                        else f"{node} -> {target}")
                problems.append(doc.problem(
                    ("stages", index[node], "leads_to", careers.stages[index[node]].leads_to.index(target)),
                    f"the pathway goes round in a circle ({loop}); a stage cannot lead back to an earlier one"))
            elif target not in state:
                visit(target, path + [node])
        state[node] = 2

    for stage in careers.stages:
        if stage.id not in state:
            visit(stage.id, [])
    return problems


def _check_service(site: Path, doc: YamlDocument, service: Service) -> list[Problem]:
    problems = []
    brand = service.brand
    pairs = [
        (("brand", "primary_text"), brand.primary_text, brand.primary, "primary_text on primary"),
        (("brand", "link"), brand.link, WHITE, "link on white"),
    ]
    for loc, fg, bg, what in pairs:
        ratio = contrast(fg, bg)
        if ratio < MIN_TEXT_CONTRAST:
            problems.append(doc.problem(loc, f"expected text contrast of at least {MIN_TEXT_CONTRAST}:1 "
                                             f"for {what}; found {ratio:.2f}:1 ({fg} on {bg})"))
    loc = ("logo", "path")
    problems += _check_file(site, doc, loc, service.logo.path) or logo_problems(
        doc.path, doc.line_of(loc), dotted(loc), site / service.logo.path, service.logo.path)
    return problems + _check_inspection_grades(doc, service)


def _check_inspection_grades(doc: YamlDocument, service: Service) -> list[Problem]:
    """No grade on an inspection by an inspectorate that gives none (Care Inspectorate Wales),
    nor on any inspection of a site whose nation's inspectorate gives none."""
    home = service.profile.inspectorate
    ungraded = [n.inspectorate for n in nations().values() if not n.inspectorate.graded]
    problems = []
    for i, inspection in enumerate(service.inspections):
        by = next((insp for insp in ungraded if insp.is_named(inspection.inspected_by)), None)
        if by is None and not home.graded:
            by = home
        if by is None:
            continue
        raw = doc.value["inspections"][i] if isinstance(doc.value, dict) else {}
        for key in ("overall", "judgement", "judgements"):
            if isinstance(raw, dict) and key in raw and (inspection.overall if key != "judgements"
                                                         else inspection.judgements):
                problems.append(doc.problem(("inspections", i, key), (
                    f"{by.name} gives no grades: its reports have findings and areas for improvement; "
                    f"leave out {key!r} and write 'findings'")))
    return problems


def _check_file(site: Path, doc: YamlDocument, loc: tuple, relpath: str) -> list[Problem]:
    """The file a picture field names must be an ordinary file inside the site folder;
    what it holds is checked next, by images.py."""
    try:
        target = (site / relpath).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        target = None
    if target is not None and not target.is_relative_to(site.resolve()):
        return [doc.problem(loc, f"expected a file inside the site folder; found {relpath!r}, which is outside it")]
    if target is None or not target.is_file():
        if not os.path.lexists(site / relpath):
            return [doc.problem(loc, f"expected a file at {relpath!r}; there is no such file")]
        return [doc.problem(loc, not_a_file(site / relpath, relpath)
                            or f"expected a file at {relpath!r}; found something that is not a file")]
    return []


def _check_testimonials(site: Path, doc: YamlDocument, items: Testimonials,
                        role_ids: set[str] | None, stage_ids: set[str] | None) -> list[Problem]:
    problems = doc.duplicate_ids("testimonials", (t.id for t in items.testimonials))
    for i, t in enumerate(items.testimonials):
        if role_ids is not None and t.related_role and t.related_role not in role_ids:
            problems.append(_unknown(doc, ("testimonials", i, "related_role"), t.related_role,
                                     "the id of a role in data/offer.yaml", role_ids))
        if stage_ids is not None and t.related_stage and t.related_stage not in stage_ids:
            problems.append(_unknown(doc, ("testimonials", i, "related_stage"), t.related_stage,
                                     "the id of a pathway stage in data/careers.yaml", stage_ids))
        if t.consent and t.consent.expires < t.consent.date:
            problems.append(doc.problem(("testimonials", i, "consent", "expires"),
                                        f"expected a date after consent was given ({t.consent.date}); "
                                        f"found {t.consent.expires}"))
        if t.photo:
            loc = ("testimonials", i, "photo")
            outside = _check_file(site, doc, loc + ("path",), t.photo.path)
            problems += outside or image_problems(doc.path, doc.line_of(loc), dotted(loc), site / t.photo.path,
                                                  t.photo.path, t.photo.alt, t.photo.decorative)
    return problems


def _check_practice(site: Path, doc: YamlDocument, practice: PracticeFramework) -> list[Problem]:
    problems = doc.duplicate_ids("layers", (layer.id for layer in practice.layers))
    if practice.picture.path:
        # Its alt text is the picture's title; the description is on the page beside it.
        loc = ("picture", "path")
        problems += _check_file(site, doc, loc, practice.picture.path) or image_problems(
            doc.path, doc.line_of(loc), "picture", site / practice.picture.path, practice.picture.path,
            practice.picture.title)
    values = {v.name for v in practice.values}
    for i, b in enumerate(practice.behaviours):
        if b.value and b.value not in values:
            problems.append(_unknown(doc, ("behaviours", i, "value"), b.value,
                                     "the exact name of one of the values (capitals count)", values))
    return problems


def _check_events(doc: YamlDocument, events: Events) -> list[Problem]:
    problems = doc.duplicate_ids("events", (e.id for e in events.events))
    for i, e in enumerate(events.events):
        if not e.online and not e.place:
            problems.append(doc.problem(("events", i, "place"), "is required for an event in person: "
                                        "say where it is, or set online: true"))
    return problems


def _check_teams(doc: YamlDocument, vacancies: Vacancies) -> list[Problem]:
    places = {p.id for p in vacancies.places}
    problems = []
    for i, t in enumerate(vacancies.teams):
        if t.location and t.location not in places:
            problems.append(_unknown(doc, ("teams", i, "location"), t.location,
                                     "the id of a place in data/vacancies.yaml places", places))
        consent = t.manager_consent
        if consent and consent.expires < consent.date:
            problems.append(doc.problem(("teams", i, "manager_consent", "expires"),
                                        f"expected a date after consent was given ({consent.date}); "
                                        f"found {consent.expires}"))
    return problems


def _check_agency(doc: YamlDocument, agency: Agency, offer: Offer | None, service: Service | None) -> list[Problem]:
    problems = []
    if service is not None and agency.rules is not None and service.profile.agency_rules is None:
        # The rules section describes the DfE's rules, which apply in England only.
        problems.append(doc.problem(("rules",), (
            f"describes national agency rules, and the site's nation ({service.nation}, in data/service.yaml) "
            "has none the site can describe: the Department for Education's agency rules apply in England "
            "only; leave out 'rules' and say what applies in your own words in 'summary'")))
    return problems + _check_agency_pay(doc, agency, offer)


def _check_agency_pay(doc: YamlDocument, agency: Agency, offer: Offer | None) -> list[Problem]:
    if offer is None:
        return []
    roles = {r.id: r for r in offer.roles}
    role = roles.get(agency.comparison.role)
    if role is None:
        return [_unknown(doc, ("comparison", "role"), agency.comparison.role,
                         "the id of a role in data/offer.yaml", roles)]
    points = [p.point for p in role.pay.points]
    if agency.comparison.pay_point not in points:
        return [doc.problem(("comparison", "pay_point"), f"expected one of {role.id}'s pay points "
                            f"({', '.join(map(str, points)) or 'it lists none'}); found {agency.comparison.pay_point}")]
    return []


def cross_check(site: Path, loaded: Loaded) -> list[Problem]:
    m, d = loaded.models, loaded.documents
    offer, careers = m.get("offer"), m.get("careers")
    role_ids = {r.id for r in offer.roles} if isinstance(offer, Offer) else None
    stage_ids = {s.id for s in careers.stages} if isinstance(careers, Careers) else None
    problems: list[Problem] = []
    if isinstance(offer, Offer):
        problems += _check_offer(d["offer"], offer, stage_ids)
    if isinstance(careers, Careers):
        problems += _check_careers(d["careers"], careers, role_ids)
    if isinstance(service := m.get("service"), Service):
        problems += _check_service(site, d["service"], service)
    if isinstance(testimonials := m.get("testimonials"), Testimonials):
        problems += _check_testimonials(site, d["testimonials"], testimonials, role_ids, stage_ids)
    if isinstance(practice := m.get("practice"), PracticeFramework):
        problems += _check_practice(site, d["practice"], practice)
    if isinstance(agency := m.get("agency"), Agency):
        problems += _check_agency(d["agency"], agency, offer if isinstance(offer, Offer) else None,
                                  service if isinstance(service, Service) else None)
    if isinstance(vacancies := m.get("vacancies"), Vacancies):
        problems += _check_teams(d["vacancies"], vacancies)
    if isinstance(events := m.get("events"), Events):
        problems += _check_events(d["events"], events)
    return problems
