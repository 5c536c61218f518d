"""Run a whole build: check input, run Pelican into a fresh folder, swap it in."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import FileSystemBytecodeCache

from cswork_site.build.check import check_site

# Reading and checking the site folder lives in sitefolder.py; these names are used from here too.
from cswork_site.build.sitefolder import (  # noqa: F401
    PRODUCTION_SETTINGS_FILE,
    SETTINGS_FILE,
    folder_problems,
    load_settings,
    site_folder_problems as settings_problems,
    template_problems,
)
from cswork_site.cache import BuildCache
from cswork_site.data.site import SiteData
from cswork_site.faults import machine_fault, template_problem
from cswork_site.languages import speaking
from cswork_site.output.alternates import LanguageRun, language_runs, other_folders
from cswork_site.output.headers import published_site_url, write_nginx_snippet
from cswork_site.output.reuse import PageReuse, inputs_digest
from cswork_site.output.search import SearchIndexer
from cswork_site.output.swap import building, check_replaceable
from cswork_site.plugin.articles import ArticleCache
from cswork_site.plugin.aside import Aside
from cswork_site.plugin.pelican_api import run_pelican
from cswork_site.plugin.reader import markdown_settings
from cswork_site.plugin.reads import TRACKED
from cswork_site.plugin.session import BuildSession, running
from cswork_site.problems import Problem, ProblemsFound, errors, to_fix
from cswork_site.progress import SILENT, Progress
from cswork_site.stories.meta import StoryStatus


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
    nginx_snippet: Path | None = None  # the headers for nginx, beside the output (published sites)

    @property
    def warnings(self) -> list[str]:
        return [str(p) for p in self.problems] + self.notes


def build_site(site: Path, output: Path | None = None, settings_file: str = SETTINGS_FILE,
               preview: bool = False, strict: bool = False, use_cache: bool = True,
               progress: Progress = SILENT) -> BuildResult:
    """Build site/ into output (default: the settings' OUTPUT_PATH). Raises ProblemsFound
    (with strict, for any warning or held-back story too), or InputError for a folder
    that cannot be written or a full disk; output is then as it was. Without use_cache,
    nothing is taken from the build cache or the last build, and nothing is cached.
    progress is told of each phase as it begins."""
    site = site.resolve()
    progress.phase("Reading the settings")
    settings = load_settings(site, settings_file)  # first: without it this is no site folder
    # The site's own templates are read here too: one Jinja cannot read stops the build at its line.
    folder = folder_problems(site, settings, settings_file) + template_problems(site, settings)
    if errors(folder):
        raise ProblemsFound(folder)
    cache = BuildCache(site, enabled=use_cache)
    data, problems = check_site(site, preview=preview, markdown=markdown_settings(settings), cache=cache,
                                settings=settings, progress=progress)
    problems += folder  # only warnings are left here
    if data is None or (strict and to_fix(problems)):
        raise ProblemsFound(problems)
    target = Path(output).resolve() if output else Path(settings["OUTPUT_PATH"])
    try:
        return _build(site, target, settings_file, settings, data, problems, preview, cache, progress)
    except OSError as exc:
        fault = machine_fault(exc, target)
        if fault is None:
            raise
        raise fault from None


def _build(site: Path, target: Path, settings_file: str, settings: dict[str, Any], data: SiteData,
           problems: list[Problem], preview: bool, cache: BuildCache, progress: Progress) -> BuildResult:
    check_replaceable(target, site)
    collector = _Collect()
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(collector)
    pelican_logger.propagate = False  # what users see is ours, one line each
    try:
        with building(target) as tmp:
            progress.phase("Starting Pelican")
            inputs, data_files = inputs_digest(site, settings_file, data.build_date.isoformat(), preview,
                                               [target, tmp], data.addresses.story_folders, TRACKED)
            staging = _Staging(site, target, tmp, settings_file, settings, preview, cache, progress, collector,
                               PageReuse(cache, target, tmp, inputs, share=_only_cswork(settings), data=data_files),
                               Aside(), inputs, data_files, language_runs(data.service.languages))
            indexers: list[SearchIndexer] = []
            try:
                for run in staging.runs:
                    in_language = data.in_language(run.code)
                    indexers.append(_indexer(staging, in_language, run))  # closed below, whatever happens
                    with speaking(run.code):
                        _run_language(staging, in_language, run, indexers[-1])
                # Before the swap: a site whose search failed is not put in place.
                progress.phase("Indexing for search")
                for indexer in indexers:
                    indexer.finish()
            finally:
                for indexer in indexers:
                    indexer.close()
                staging.aside.wait()
            progress.phase("Putting the new site in place")
    finally:
        pelican_logger.removeHandler(collector)
        pelican_logger.propagate = True
    # Only now the new site is in place: a failed build leaves the snippet as it was too.
    published = not preview and published_site_url(settings)
    snippet = write_nginx_snippet(target, other_folders(staging.runs)) if published else None
    progress.phase("Saving the build cache")
    staging.reuse.save(target)
    notes = [f"warning: {r.getMessage().splitlines()[0]}" for r in collector.records
             if r.levelno == logging.WARNING]
    notes += cache.warnings()
    pages = len({f for f in staging.reuse.written if f.endswith(".html")})
    return BuildResult(target, pages, data, problems, notes, snippet)


@dataclass
class _Staging:
    """What every language's run of one build shares: the folder being built, the settings
    as read, the page reuse, the template compiler and the build cache."""

    site: Path
    target: Path
    tmp: Path
    settings_file: str
    settings: dict[str, Any]
    preview: bool
    cache: BuildCache
    progress: Progress
    collector: _Collect
    reuse: PageReuse
    aside: Aside
    inputs: str
    data_files: dict[str, str]
    runs: tuple[LanguageRun, ...]


def _indexer(staging: _Staging, data: SiteData, run: LanguageRun) -> SearchIndexer:
    """The search index of one language's pages, in its folder (Pagefind indexes by <html lang>)."""
    reuse, cache = staging.reuse, staging.cache
    # A year's index starts as soon as its stories are written: counted for one language only.
    return SearchIndexer(staging.tmp / run.folder, reuse.previous / run.folder if cache.enabled and reuse.previous
                         else None, expected=_published_by_year(data) if len(staging.runs) == 1 else None,
                         pages=lambda: run.pages_within(reuse.written),
                         memory=cache.store("search", target=staging.target / run.folder))


def _run_language(staging: _Staging, data: SiteData, run: LanguageRun, indexer: SearchIndexer) -> None:
    """One Pelican run: the site in one language, into its folder of the output being built
    (the main language at its root, another in a folder of its own, such as cy/). Each run
    has its search index, story objects and data in its language; the page reuse is shared,
    every page known by its path from the root."""
    site, cache, reuse, settings = staging.site, staging.cache, staging.reuse, staging.settings
    output, own_target = staging.tmp / run.folder, staging.target / run.folder
    # A story's object holds what the data made of it (whether it may be published, its
    # author, its run's language): it is kept for this state of all the data.
    articles = ArticleCache(cache, own_target, f"{staging.inputs} {run.code} {sorted(staging.data_files.items())}",
                            {path: story.digest for path, story in data.stories.items()},
                            unneeded=(lambda key: data.story_markdown.pop(key, None)) if run.last else None)
    run_settings = load_settings(site, staging.settings_file, {
        "OUTPUT_PATH": str(output),
        "SITEURL": str(settings.get("SITEURL") or "").rstrip("/") + run.url_prefix,
        "JINJA_ENVIRONMENT": _with_template_cache(settings["JINJA_ENVIRONMENT"], cache),
        "DELETE_OUTPUT_DIRECTORY": False,
        "IGNORE_FILES": ignored_files(settings, data),
        # Drafts get a page in the preview only; caches stay in the site's cache.
        **data.addresses.pelican_settings(staging.preview),
        **run.pelican_settings(),
    })
    build = BuildSession(site, data, preview=staging.preview, reuse=reuse, indexer=indexer, articles=articles,
                         aside=staging.aside, cache=cache, progress=staging.progress, run=run, runs=staging.runs)
    theme = Path(run_settings["THEME"]).name
    try:
        with running(build):
            run_pelican(run_settings)
    except jinja2.TemplateError as exc:
        problem = template_problem(exc, site, theme)
        if problem is None:
            raise
        raise ProblemsFound([problem]) from None
    failures = [r for r in staging.collector.records if r.levelno >= logging.ERROR]
    if failures:
        raise ProblemsFound(_as_problems(failures, site, staging.settings_file, theme))


def _only_cswork(settings: dict[str, Any]) -> bool:
    """Whether cswork is the only plugin: no other can change a page after it is written."""
    return all(getattr(p, "__name__", p) == "cswork_site" for p in settings.get("PLUGINS") or [])


def ignored_files(settings: dict[str, Any], data: SiteData) -> list[str]:
    """Pelican's IGNORE_FILES, with the stories the check could not read at all: they are
    held back, and Pelican must not stop the build trying to read them."""
    return [*settings.get("IGNORE_FILES", []), *(Path(p).name for p in data.unreadable_stories)]


def _with_template_cache(environment: dict[str, Any], cache: BuildCache) -> dict[str, Any]:
    """Compiled templates are kept in the site's cache (by each template's source), so a
    build does not compile every template again."""
    if "bytecode_cache" in environment:
        return environment
    folder = cache.folder("templates")
    if folder is None:
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


_SITE_FILE = re.compile(r"((?:content|theme|data)/[^\s:'\"]+)")


def _as_problems(records: list[logging.LogRecord], site: Path, settings_file: str = SETTINGS_FILE,
                 theme: str = "theme") -> list[Problem]:
    """What Pelican logged as errors, each at the file it was about when it names one."""
    problems = []
    for r in records:
        error = r.exc_info[1] if r.exc_info else None
        if isinstance(error, jinja2.TemplateError):
            problem = template_problem(error, site, theme)
            if problem is not None:
                problems.append(problem)
                continue
        message = r.getMessage().replace(str(site) + "/", "")
        first, *rest = message.splitlines() or [""]
        detail = f"{first} {rest[0]}".strip() if rest else first
        named = _SITE_FILE.search(message)
        problems.append(Problem(named.group(1) if named else settings_file, 1, "(build)", detail))
    return errors(problems)
