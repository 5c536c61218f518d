"""Failures that are the user's or the machine's, told as such.

A settings file that is not valid Python, a theme folder that is missing, a template
with a mistake, a folder that cannot be written or a disk that is full: each becomes one
problem line (``PATH:LINE: FIELD: MESSAGE``, at the user's own file and line) or one
plain sentence, exit 2. Only what is left is "a fault in cswork" (exit 70), at the CLI.
"""

from __future__ import annotations

import errno
import re
import traceback
from pathlib import Path

import jinja2

from cswork_site.problems import InputError, Problem


def _rel(path: str | Path, site: Path) -> str | None:
    """path within the site folder, or None when it is not in it."""
    try:
        return Path(path).resolve().relative_to(site.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return None


def _line_setting(site: Path, settings_file: str, name: str) -> int:
    """The line of the settings file that sets name, or 1."""
    try:
        text = (site / settings_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{name}\s*=", line):
            return number
    return 1


def _deepest_frame_in_site(exc: BaseException, site: Path) -> tuple[str, int] | None:
    """The innermost place in the user's own files (settings, templates) the error passed."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        rel = _rel(frame.filename, site)
        if rel is not None and frame.lineno:
            found = (rel, frame.lineno)
    return found


def settings_problem(exc: BaseException, site: Path, settings_file: str) -> Problem | None:
    """A problem in the user's settings file that stopped Pelican reading it."""
    if isinstance(exc, SyntaxError) and exc.filename and _rel(exc.filename, site) is not None:
        return Problem(_rel(exc.filename, site) or settings_file, exc.lineno or 1, "(settings)",
                       f"is not valid Python: {exc.msg}; fix this line (Python's rules: quotes closed, "
                       "brackets matched, lines indented alike)")
    message = str(exc)
    theme = re.match(r"Could not find the theme (.*)", message)
    if isinstance(exc, ValueError) and theme:
        return Problem(settings_file, _line_setting(site, settings_file, "THEME"), "THEME",
                       f"names the theme {theme.group(1)!r}, which is not there: expected a folder holding "
                       "templates/ and static/; put the theme there, or set THEME to the theme's folder")
    if isinstance(exc, ValueError) and "path containing the content" in message:
        return Problem(settings_file, _line_setting(site, settings_file, "PATH"), "PATH",
                       "names a content folder that does not exist (content/ by default): create it, with "
                       "content/stories/ for the stories, or set PATH to your content folder")
    where = _deepest_frame_in_site(exc, site)
    if where is not None:
        return Problem(where[0], where[1], "(settings)",
                       f"stopped with {type(exc).__name__}: {message or 'no message'}; fix this line")
    return None


def template_problem(exc: BaseException, site: Path, theme: str) -> Problem | None:
    """A mistake in a template of the site's theme: at the template's own line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        rel = _rel(exc.filename, site) if exc.filename else None
        return Problem(rel or f"{theme}/templates/{exc.name}", exc.lineno or 1, "(template)",
                       f"is not a valid template: {exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        where = _deepest_frame_in_site(exc, site)
        path, line = where if where else (f"{theme}/templates", 1)
        return Problem(path, line, "(template)",
                       f"needs the template {exc.name!r}, which the theme does not have: add it to "
                       f"{theme}/templates/, or remove what asks for it")
    if isinstance(exc, jinja2.UndefinedError):
        where = _deepest_frame_in_site(exc, site)
        if where is not None:
            return Problem(where[0], where[1], "(template)",
                           f"uses something the page does not have: {exc.message}; check the name "
                           "against what the template is given")
    return None


# What the machine says when it cannot write, and what to do.
_NO_WRITING = {errno.EACCES: "permission denied", errno.EPERM: "not permitted",
               errno.EROFS: "the disk is read-only"}
_FULL = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up"}


def machine_fault(exc: OSError, output: Path) -> InputError | None:
    """A folder that cannot be written or a full disk: the machine's fault, in one line."""
    where = Path(exc.filename) if exc.filename else output
    folder = where if where.is_dir() else where.parent
    if exc.errno in _FULL:
        return InputError(f"{_FULL[exc.errno]} (writing in {folder}); free some space and build again. "
                          f"The previous site in {output} is unchanged.")
    if exc.errno in _NO_WRITING:
        return InputError(f"cannot write in {folder}: {_NO_WRITING[exc.errno]}; make the folder "
                          "writable for this account, or build elsewhere with -o FOLDER. "
                          f"The previous site in {output} is unchanged.")
    return None
