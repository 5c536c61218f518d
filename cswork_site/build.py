"""Run a whole build: check input, run Pelican into a fresh folder, swap it in."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.settings import read_settings

from .checks import check_site
from .output import building, check_replaceable
from .problems import WHOLE_FILE, Problem, ProblemsFound, errors
from .search import index_site
from .site import SiteData

SETTINGS_FILE = "pelicanconf.py"
PRODUCTION_SETTINGS_FILE = "publishconf.py"


class _Collect(logging.Handler):
    """Keeps what Pelican logs at WARNING and above, so we can report it our way."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class BuildResult:
    output: Path
    pages: int
    data: SiteData
    problems: list[Problem] = field(default_factory=list)  # warnings from our checks
    notes: list[str] = field(default_factory=list)  # warnings Pelican logged

    @property
    def warnings(self) -> list[str]:
        return [str(p) for p in self.problems] + self.notes


def load_settings(site: Path, settings_file: str = SETTINGS_FILE, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    path = site / settings_file
    if not path.is_file():
        raise ProblemsFound([Problem(settings_file, 1, WHOLE_FILE,
                                     f"is missing; expected Pelican settings in {settings_file} "
                                     "(is this a cswork site folder?)")])
    return read_settings(str(path), override=overrides or {})


# In the preview only, drafts get a page of their own so their writers can see them.
PREVIEW_SETTINGS = {"DRAFT_URL": "stories/drafts/{slug}/", "DRAFT_SAVE_AS": "stories/drafts/{slug}/index.html"}


def build_site(site: Path, output: Path | None = None, settings_file: str = SETTINGS_FILE,
               preview: bool = False) -> BuildResult:
    """Build site/ into output (default: the settings' OUTPUT_PATH). Raises ProblemsFound."""
    site = site.resolve()
    settings = load_settings(site, settings_file)  # first: without it this is no site folder
    data, problems = check_site(site, preview=preview)
    if data is None:
        raise ProblemsFound(problems)
    target = Path(output).resolve() if output else Path(settings["OUTPUT_PATH"])
    check_replaceable(target, site)
    collector = _Collect()
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(collector)
    pelican_logger.propagate = False  # what users see is ours, one line each
    try:
        with building(target) as tmp:
            settings = load_settings(site, settings_file, {
                "OUTPUT_PATH": str(tmp), "CSWORK_DATA": data, "CSWORK_SITE_DIR": str(site),
                "DELETE_OUTPUT_DIRECTORY": False, "CSWORK_INDEX_AFTER_RUN": True,
                **(PREVIEW_SETTINGS if preview else {}),
            })
            Pelican(settings).run()
            failures = [r for r in collector.records if r.levelno >= logging.ERROR]
            if failures:
                raise ProblemsFound(_as_problems(failures, site))
            index_site(tmp)  # before the swap: a site whose search failed is not put in place
    finally:
        pelican_logger.removeHandler(collector)
        pelican_logger.propagate = True
    notes = [f"warning: {r.getMessage().splitlines()[0]}" for r in collector.records
             if r.levelno == logging.WARNING]
    pages = sum(1 for _ in target.rglob("*.html"))
    return BuildResult(target, pages, data, problems, notes)


def _as_problems(records: list[logging.LogRecord], site: Path) -> list[Problem]:
    problems = []
    for r in records:
        message = r.getMessage().replace(str(site) + "/", "")
        first, *rest = message.splitlines() or [""]
        detail = f"{first} {rest[0]}".strip() if rest else first
        problems.append(Problem(SETTINGS_FILE, 1, "(build)", detail))
    return errors(problems)
