"""How the command line reports problems: as text (one `PATH:LINE: FIELD: MESSAGE` line
each on stderr), as one JSON document on stdout, or as GitHub Actions workflow commands
(annotations) on stdout; and how much it says (--quiet, --verbose). The formats are
described for users in docs/command-line.md."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import click

from cswork_site.cli.progress import Phases, can_display
from cswork_site.languages import DEFAULT_LANGUAGE
from cswork_site.problems import Problem, errors, stopping, to_fix
from cswork_site.translation import gettext, ngettext

FORMATS = ("text", "json", "github")
JSON_VERSION = 1  # raised only when a key changes meaning or goes; new keys may be added
Verbosity = Literal["quiet", "normal", "verbose"]
Outcome = Literal["fine", "problems", "stopped", "fault"]
_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}




def counts(problems: Iterable[Problem]) -> dict[str, int]:
    found = list(problems)
    n_err = sum(1 for p in found if p.is_error)
    n_notes = sum(1 for p in found if p.is_note)
    return {"errors": n_err, "warnings": len(found) - n_err - n_notes, "notes": n_notes}


def summary(problems: list[Problem], quiet: bool = False) -> str:
    """The last line of `cswork check` when something needs fixing."""
    n = counts(problems)
    notes = ", " + _notes(n["notes"]) if n["notes"] and not quiet else ""
    return (ngettext("%(num)d error", "%(num)d errors", n["errors"]) + ", "
            + ngettext("%(num)d warning", "%(num)d warnings", n["warnings"]) + notes + ".")


def _notes(n: int) -> str:
    return ngettext("%(num)d note", "%(num)d notes", n)


def as_json(problems: list[Problem], outcome: Outcome, exit_code: int, site: str | None,
            failure: str | None = None) -> str:
    """The JSON document of `cswork check --format json` (docs/command-line.md)."""
    return json.dumps({
        "version": JSON_VERSION,
        "site": site,
        "outcome": outcome,
        "exit_code": exit_code,
        "counts": counts(problems),
        "problems": [{"path": p.path, "line": p.line, "field": p.field, "severity": p.severity,
                      "message": p.message, "holds_back": p.holds_back_one_item} for p in problems],
        "failure": failure,
    }, ensure_ascii=False, indent=2)


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and : and , too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(severity: str, message: str, **properties: str | int) -> str:
    """One GitHub Actions workflow command: `::error file=F,line=L,title=T::message`."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{_COMMANDS[severity]}{' ' + props if props else ''}::{escape_data(message)}"


def repository_root() -> Path:
    """What annotation paths are relative to: the repository GitHub checked out
    (GITHUB_WORKSPACE), else the current folder."""
    return Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()


def as_annotation(problem: Problem, site: Path | None, root: Path) -> str:
    """A problem as a GitHub annotation, at its file relative to the repository root (the
    site folder may be a folder within the repository)."""
    where = site / problem.path if site is not None else Path(problem.path)
    properties: dict[str, str | int] = {"file": Path(os.path.relpath(where, root)).as_posix()}
    if problem.line >= 1:
        properties["line"] = problem.line
    properties["title"] = problem.field
    return workflow_command(problem.severity, problem.message, **properties)


@dataclass
class Report:
    """How one command reports: its format, how much it says, and the site it is about."""

    format: str = "text"
    verbosity: Verbosity = "normal"
    site_given: str | None = None  # SITE_DIR as typed, for the JSON document
    site: Path | None = None  # resolved, for annotation paths
    language: str = DEFAULT_LANGUAGE  # what the problems and summaries are written in (--language)
    phases: Phases | None = field(default=None, repr=False)

    @property
    def quiet(self) -> bool:
        return self.verbosity == "quiet"

    @property
    def verbose(self) -> bool:
        return self.verbosity == "verbose"

    def echo_err(self, line: str) -> None:
        if self.phases is not None:
            self.phases.echo(line)
        else:
            click.echo(line, err=True)

    def problems(self, problems: Iterable[Problem]) -> None:
        """Problem lines, as text on stderr or as annotations on stdout (JSON is written whole
        by `checked` and `stopped`)."""
        if self.format == "github":
            root = repository_root()
            for p in problems:
                click.echo(as_annotation(p, self.site, root))
        elif self.format == "text":
            for p in problems:
                click.echo(str(p), err=True)

    def checked(self, problems: list[Problem], exit_problems: int) -> int:
        """`cswork check` is done: report, and give the exit code."""
        code = exit_problems if to_fix(problems) else 0
        if self.format == "json":
            click.echo(as_json(problems, "problems" if code else "fine", code, self.site_given))
            return code
        self.problems(errors(problems) if self.quiet else problems)
        n_notes = counts(problems)["notes"]
        if code:
            click.echo(summary(problems, self.quiet), err=True)
        elif self.quiet:
            pass
        elif n_notes:
            click.echo(gettext("Nothing to fix; %(notes)s above.", notes=_notes(n_notes)))
        else:
            click.echo(gettext("No problems found."))
        return code

    def stopped(self, problems: list[Problem], exit_code: int, where: str) -> None:
        """Problems that stopped the command before it could finish."""
        n = len(stopping(problems)) or len(to_fix(problems))
        if self.format == "json":
            click.echo(as_json(problems, "stopped", exit_code, self.site_given))
            return
        # Quiet: only what stopped it (under --strict, a warning does).
        self.problems((stopping(problems) or to_fix(problems)) if self.quiet else problems)
        click.echo(ngettext("cswork: stopped: %(num)d problem to fix; nothing was written%(where)s.",
                            "cswork: stopped: %(num)d problems to fix; nothing was written%(where)s.", n,
                            where=where), err=True)

    def failed(self, message: str, exit_code: int, fault: bool = False) -> None:
        """A failure that is about no one line of one file (a folder that cannot be written,
        a bad SOURCE_DATE_EPOCH; with fault, a fault in cswork itself)."""
        if self.format == "json":
            click.echo(as_json([], "fault" if fault else "stopped", exit_code, self.site_given, failure=message))
        elif self.format == "github":
            click.echo(workflow_command("error", message, title="cswork"))
        else:
            for line in message.splitlines():
                click.echo(f"cswork: {line}", err=True)

    @contextlib.contextmanager
    def running(self) -> Iterator[Phases]:
        """Around a check or build: the progress display, Pelican's own logs with --verbose,
        and the phases' times with --verbose. What Pelican prints on stdout (a line when it
        is done) is dropped with --quiet, and held back while the display is drawn, so the
        two never write over each other (Pelican's console bypasses rich's redirection)."""
        self.phases = Phases(can_display(self.quiet), lambda line: click.echo(line, err=True))
        held = io.StringIO() if self.quiet or self.phases.displayed else None
        try:
            with contextlib.ExitStack() as stack:
                if self.verbose:
                    stack.enter_context(_pelican_info(self.echo_err))
                if held is not None:
                    stack.enter_context(contextlib.redirect_stdout(held))
                yield self.phases
        finally:
            timed = self.phases.close()
            self.phases = None
            if held is not None and not self.quiet:
                click.echo(held.getvalue(), nl=False)
            if self.verbose:
                for t in timed:
                    count = f" ({t.count} {t.unit})" if t.unit else ""
                    click.echo(f"cswork: {t.seconds:7.2f} s  {t.name}{count}", err=True)
                click.echo(f"cswork: {sum(t.seconds for t in timed):7.2f} s  in all", err=True)


@contextlib.contextmanager
def _pelican_info(echo: Any) -> Iterator[None]:
    """What Pelican logs below a warning, one line each on stderr (its warnings and errors
    are reported by the build, once, in our form)."""
    class _Info(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno < logging.WARNING:
                first, *_ = record.getMessage().splitlines() or [""]
                echo(f"pelican: {first}")

    logger = logging.getLogger("pelican")
    handler, level = _Info(logging.INFO), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
