"""Every check of a site's input, data and stories together, in one list of problems."""

from __future__ import annotations

from pathlib import Path

from .clock import build_date
from .loading import load_data
from .problems import Problem, errors
from .site import SiteData
from .stories import check_stories


def check_site(site: Path) -> tuple[SiteData | None, list[Problem]]:
    """Load and check the site at site/. SiteData is None when any error was found."""
    loaded = load_data(site)
    offer, careers = loaded.models.get("offer"), loaded.models.get("careers")
    role_ids = {r.id for r in offer.roles} if offer is not None else None  # type: ignore[attr-defined]
    stage_ids = {s.id for s in careers.stages} if careers is not None else None  # type: ignore[attr-defined]
    _, story_problems = check_stories(site, role_ids, stage_ids)
    problems = sorted(loaded.problems + story_problems)
    if errors(problems):
        return None, problems
    return SiteData(build_date=build_date(), **loaded.models), problems  # type: ignore[arg-type]
