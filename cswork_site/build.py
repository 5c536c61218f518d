"""Run a whole build: check input, run Pelican into a fresh folder, swap it in."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican import Pelican
from pelican.settings import read_settings

from .checks import check_site
from .cachefiles import CACHE_DIR, for_output
from .output import building, check_replaceable
from .reader import markdown_settings
from .reuse import PageReuse, inputs_digest
from .articlecache import ArticleCache
from .aside import Aside
from .problems import WHOLE_FILE, Problem, ProblemsFound, errors
from .search import SearchIndexer
from .site import SiteData
from .stories import StoryStatus

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
    data, problems = check_site(site, preview=preview, markdown=markdown_settings(settings))
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
            inputs = inputs_digest(site, settings_file, data.build_date.isoformat(), preview, [target, tmp])
            reuse = PageReuse(site, target, tmp, inputs)
            indexer = SearchIndexer(tmp, reuse.previous, expected=_published_by_year(data),
                                    pages=lambda: list(reuse.written),
                                    memory=for_output(site, "search", target))
            aside = Aside()
            articles = ArticleCache(for_output(site, "articles", target, ".pickle"), inputs,
                                    {path: story.digest for path, story in data.stories.items()},
                                    unneeded=lambda key: data.story_markdown.pop(key, None))
            settings = load_settings(site, settings_file, {
                "OUTPUT_PATH": str(tmp), "CSWORK_DATA": data, "CSWORK_SITE_DIR": str(site),
                "CSWORK_REUSE": reuse, "CSWORK_INDEXER": indexer, "CSWORK_ASIDE": aside,
                "CSWORK_ARTICLES": articles,
                "JINJA_ENVIRONMENT": _with_template_cache(settings["JINJA_ENVIRONMENT"], site),
                "DELETE_OUTPUT_DIRECTORY": False, "CSWORK_INDEX_AFTER_RUN": True,
                **(PREVIEW_SETTINGS if preview else {}),
            })
            try:
                Pelican(settings).run()
                failures = [r for r in collector.records if r.levelno >= logging.ERROR]
                if failures:
                    raise ProblemsFound(_as_problems(failures, site))
                # Before the swap: a site whose search failed is not put in place.
                indexer.finish()
            finally:
                indexer.close()
                aside.wait()
    finally:
        pelican_logger.removeHandler(collector)
        pelican_logger.propagate = True
    reuse.save(target)
    notes = [f"warning: {r.getMessage().splitlines()[0]}" for r in collector.records
             if r.levelno == logging.WARNING]
    pages = len({f for f in reuse.written if f.endswith(".html")})
    return BuildResult(target, pages, data, problems, notes)


def _with_template_cache(environment: dict[str, Any], site: Path) -> dict[str, Any]:
    """Compiled templates are kept in the site's cache (by each template's source), so a
    build does not compile every template again."""
    if "bytecode_cache" in environment:
        return environment
    folder = site / CACHE_DIR / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return environment
    return {**environment, "bytecode_cache": FileSystemBytecodeCache(str(folder))}


def _published_by_year(data: SiteData) -> dict[int, int]:
    """How many published stories each year has: the search index of a year can start as
    soon as that many of its pages are written."""
    years: dict[int, int] = {}
    for story in data.stories.values():
        if story.cleared and story.meta.status == StoryStatus.published:
            years[story.meta.date.year] = years.get(story.meta.date.year, 0) + 1
    return years


def _as_problems(records: list[logging.LogRecord], site: Path) -> list[Problem]:
    problems = []
    for r in records:
        message = r.getMessage().replace(str(site) + "/", "")
        first, *rest = message.splitlines() or [""]
        detail = f"{first} {rest[0]}".strip() if rest else first
        problems.append(Problem(SETTINGS_FILE, 1, "(build)", detail))
    return errors(problems)
