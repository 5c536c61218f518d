"""The site folder itself: its settings files, theme and content folder.

They are read here the one way every command reads them, and checked by `cswork check`
(and before every build) in the error format, so a missing theme or content folder is
the user's problem at its line, never a fault in cswork. A site uses the theme that
comes with cswork unless it has a theme/ folder of its own; THEME_TEMPLATES_OVERRIDES
folders (relative to the site folder) replace single templates.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2

from cswork_site import settings as shared
from cswork_site.data.yamlfile import read_data_file
from cswork_site.faults import _line_setting, settings_problem
from cswork_site.problems import WHOLE_FILE, Problem, ProblemsFound

SETTINGS_FILE = "pelicanconf.py"
PRODUCTION_SETTINGS_FILE = "publishconf.py"
PACKAGE_THEME = Path(shared.THEME)
SITE_THEME = "theme"  # a folder of this name in the site replaces the package's theme

# Every template a build renders: the data pages (plugin/generator.py's page_specs), the
# brand stylesheet and what Pelican itself writes with these settings.
NEEDED_TEMPLATES = (
    "home.html", "offer.html", "careers.html", "practice.html", "testimonials.html", "events.html",
    "agency.html", "improvement.html", "accessibility.html", "privacy.html", "search.html", "404.html",
    "role.html", "stage.html", "story_kind.html", "jobs.html", "job.html", "brand.css.html",
    "article.html", "index.html", "tag.html", "tags.html",
    # Since 0.2: the printable offer on every site, and the pages of applying.yaml and the teams.
    "role_print.html", "applying.html", "teams.html", "team.html",
)


def load_settings(site: Path, settings_file: str = SETTINGS_FILE,
                  overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The site's settings as Pelican reads them, with the site's own theme (if any) and
    template overrides found in the site folder; ProblemsFound if they cannot be read."""
    from cswork_site.plugin.pelican_api import read_settings

    path = site / settings_file
    if not path.is_file():
        raise ProblemsFound([Problem(settings_file, 1, WHOLE_FILE,
                                     f"is missing; expected Pelican settings in {settings_file} "
                                     "(is this a cswork site folder? `cswork init` starts one)")])
    # publishconf.py imports pelicanconf.py by name: a module of that name kept from
    # reading another site (or this one before an edit) must not stand in for it.
    for name in (Path(SETTINGS_FILE).stem, Path(PRODUCTION_SETTINGS_FILE).stem):
        sys.modules.pop(name, None)
    try:
        with quiet("pelican"):
            settings = read_settings(str(path), overrides)
    except Exception as exc:  # the user's settings file runs as Python: its faults are theirs
        problem = settings_problem(exc, site, settings_file)
        if problem is None:
            raise
        raise ProblemsFound([problem]) from None
    return _site_theme(settings, site)


@contextlib.contextmanager
def quiet(name: str) -> Iterator[None]:
    """Pelican's own remarks while reading settings (feeds without SITEURL and the like)
    are not for the user: what matters is reported as problems."""
    logger = logging.getLogger(name)  # its children (pelican.settings) take its level
    was = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(was)


def _site_theme(settings: dict[str, Any], site: Path) -> dict[str, Any]:
    if Path(settings["THEME"]) == PACKAGE_THEME and (site / SITE_THEME).is_dir():
        settings["THEME"] = str(site / SITE_THEME)
    # Pelican hands these folders to Jinja as they are, relative to wherever the command
    # runs: make them the site's.
    settings["THEME_TEMPLATES_OVERRIDES"] = [str(site / p) for p in settings.get("THEME_TEMPLATES_OVERRIDES") or []]
    return settings


def template_folders(settings: dict[str, Any]) -> list[Path]:
    """Where templates are looked for, first match wins: the overrides, then the theme."""
    return [Path(p) for p in settings["THEME_TEMPLATES_OVERRIDES"]] + [Path(settings["THEME"]) / "templates"]


def folder_problems(site: Path, settings: dict[str, Any], settings_file: str = SETTINGS_FILE) -> list[Problem]:
    """A theme, template folder or content folder that is missing or incomplete."""
    def at(name: str) -> int:
        return _line_setting(site, settings_file, name)

    problems = []
    theme = Path(settings["THEME"])
    shown = _shown(theme, site)
    if not (theme / "templates").is_dir():
        problems.append(Problem(settings_file, at("THEME"), "THEME", (
            f"names the theme folder {shown}, which has no templates/ folder: expected the theme's "
            "Jinja templates there; remove the theme/ folder (and any THEME line) to use the theme "
            "that comes with cswork")))
    else:
        if not (theme / "static").is_dir():
            problems.append(Problem(settings_file, at("THEME"), "THEME", (
                f"names the theme folder {shown}, which has no static/ folder: expected its CSS and "
                "JavaScript there (the site would have no styles)"), "warning"))
        folders = template_folders(settings)
        missing = [name for name in NEEDED_TEMPLATES if not any((f / name).is_file() for f in folders)]
        if missing:
            problems.append(Problem(settings_file, at("THEME"), "THEME", (
                f"the theme in {shown} has no {', '.join(missing)}: cswork needs "
                f"{'them' if len(missing) > 1 else 'it'} for its pages; copy "
                f"{'them' if len(missing) > 1 else 'it'} from the theme that comes with cswork "
                f"({PACKAGE_THEME / 'templates'}), or override single templates with "
                "THEME_TEMPLATES_OVERRIDES instead of a whole theme")))
    for folder in settings["THEME_TEMPLATES_OVERRIDES"]:
        if not Path(folder).is_dir():
            problems.append(Problem(settings_file, at("THEME_TEMPLATES_OVERRIDES"), "THEME_TEMPLATES_OVERRIDES",
                                    f"names the folder {_shown(Path(folder), site)}, which is not there: "
                                    "create it and put the templates you change in it"))
    content = Path(settings["PATH"])
    if not content.is_dir():
        problems.append(Problem(settings_file, at("PATH"), "PATH", (
            f"names the content folder {_shown(content, site)}, which is not there: create it, with "
            "stories/ inside for the stories and images/ for pictures, or set PATH to your content folder")))
    return problems


def template_problems(site: Path, settings: dict[str, Any]) -> list[Problem]:
    """A template of the site's own (its theme/ or override folders) that Jinja cannot
    read, at its line. The theme that comes with cswork is tested with cswork."""
    environment = jinja2.Environment(**{k: v for k, v in settings["JINJA_ENVIRONMENT"].items()
                                        if k in ("extensions", "trim_blocks", "lstrip_blocks")})
    problems = []
    for folder in template_folders(settings):
        if not folder.is_dir() or not folder.resolve().is_relative_to(site.resolve()):
            continue
        for path in sorted(folder.rglob("*.html")):
            rel = path.relative_to(site).as_posix()
            data, refused = read_data_file(path, rel)  # never opens a named pipe, never reads a huge file
            if data is None:
                problems += [refused] if refused is not None else []
                continue
            try:
                environment.parse(data.decode("utf-8"))
            except UnicodeDecodeError:
                problems.append(Problem(rel, 1, "(template)", "is not UTF-8 text: save it as UTF-8"))
            except jinja2.TemplateSyntaxError as exc:
                problems.append(Problem(rel, exc.lineno or 1, "(template)", f"is not a valid template: {exc.message}"))
    return problems


def site_folder_problems(site: Path) -> list[Problem]:
    """For `cswork check`: every problem with the settings files, the theme and the
    content folder, as a build with each settings file would meet them."""
    problems: list[Problem] = []
    for settings_file in (SETTINGS_FILE, PRODUCTION_SETTINGS_FILE):
        if settings_file == PRODUCTION_SETTINGS_FILE and not (site / settings_file).is_file():
            continue  # a site may be built for preview only
        try:
            settings = load_settings(site, settings_file)
        except ProblemsFound as exc:
            problems += [p for p in exc.problems if p not in problems and not _same_for_both(p, problems)]
            continue
        found = folder_problems(site, settings, settings_file) + template_problems(site, settings)
        problems += [p for p in found if p not in problems and not _same_for_both(p, problems)]
    return problems


def _same_for_both(problem: Problem, found: list[Problem]) -> bool:
    # publishconf.py usually imports pelicanconf.py: a theme both use is told about once.
    return any(p.field == problem.field and p.message == problem.message for p in found)


def _shown(path: Path, site: Path) -> str:
    try:
        return path.resolve().relative_to(site.resolve()).as_posix() + "/"
    except ValueError:
        return str(path)
