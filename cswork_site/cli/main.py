"""The `cswork` command line. Internal errors become clean messages here, and only here."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

import click

from cswork_site.clock import BadEpoch
from cswork_site.output.swap import OutputRefused
from cswork_site.plugin.pelican_api import pelican_version
from cswork_site.problems import InputError, ProblemsFound, stopping, to_fix
from cswork_site.stories.meta import StoryKind

# As in sysexits.h: EX_SOFTWARE (70) is a fault in cswork itself, and only that.
EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 70

SITE_DIR = click.argument(
    "site_dir", required=False, default=".",
    type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
)


def _report(lines) -> None:
    for line in lines:
        click.echo(str(line), err=True)


def _site(site_dir: Path) -> Path:
    if not site_dir.is_dir():
        raise click.BadParameter(f"{site_dir} is not a folder", param_hint="SITE_DIR")
    return site_dir.resolve()


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ProblemsFound as exc:
            _report(exc.problems)
            n = len(stopping(exc.problems)) or len(to_fix(exc.problems))
            where = " to the output folder" if ctx.invoked_subcommand == "build" else ""
            click.echo(f"cswork: stopped: {n} problem{'s' if n != 1 else ''} to fix; "
                       f"nothing was written{where}.", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except (OutputRefused, BadEpoch, InputError) as exc:
            for line in str(exc).splitlines():
                click.echo(f"cswork: {line}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # the boundary: a bug in cswork, not the user's input
            if os.environ.get("CSWORK_DEBUG"):
                traceback.print_exc()
            click.echo(f"cswork: internal error: {type(exc).__name__}: {exc}\n"
                       "This is a fault in cswork, not in your files. Set CSWORK_DEBUG=1 to see details.",
                       err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cswork-site", prog_name="cswork",
                      message=f"%(prog)s %(version)s (Pelican {pelican_version()})")
def main() -> None:
    """Build a social work recruitment and reputation site from YAML facts,
    workforce figures and Markdown stories.

    SITE_DIR is a site folder holding data/, content/, theme/ and pelicanconf.py;
    it defaults to the current folder.

    \b
    Exit codes: 0 all fine (notes only); 1 problems found by `check`;
                2 bad input or usage (nothing is written);
                70 a fault in cswork itself.
    """


@main.command()
@SITE_DIR
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the site into (default: output/ in SITE_DIR).")
@click.option("--production", is_flag=True,
              help="Use publishconf.py (absolute URLs, feeds) instead of pelicanconf.py.")
@click.option("--strict", is_flag=True,
              help="Stop (exit 2, nothing written) on any warning or any story held back.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Do all the work again: read nothing from the build cache or the last build, "
                   "and write nothing to the cache.")
def build(site_dir: Path, output: Path | None, production: bool, strict: bool, no_cache: bool) -> None:
    """Check everything, then build the site into the output folder.

    The previous output stays exactly as it was unless the whole build succeeds. A
    story with a problem is held back and the rest of the site is built; a problem in
    a data file or the settings stops the build.
    """
    from cswork_site.build.run import PRODUCTION_SETTINGS_FILE, SETTINGS_FILE, build_site

    site = _site(site_dir)
    result = build_site(site, output, PRODUCTION_SETTINGS_FILE if production else SETTINGS_FILE,
                        strict=strict, use_cache=not no_cache)
    _report(result.warnings)
    held = sorted({p.path for p in result.problems if p.holds_back_one_item})
    if held:
        click.echo(f"cswork: {len(held)} stor{'ies' if len(held) != 1 else 'y'} held back until "
                   "the problems above are fixed; the rest of the site is built.", err=True)
    shown = os.path.relpath(result.output) if result.output.is_relative_to(Path.cwd()) else str(result.output)
    click.echo(f"Built {result.pages} pages into {shown}/")
    click.echo(f"Preview it with: cswork serve {os.path.relpath(site)}  (then open http://127.0.0.1:8000/)")
    if _as_program:
        _end_now()


_as_program = False  # set by run(): this process is the `cswork` program, and ends with the command


def run() -> None:
    """The `cswork` program (and `python -m cswork_site`)."""
    global _as_program
    _as_program = True
    main(prog_name="cswork")


def _end_now() -> None:
    """End the program once a build is done. Python would otherwise free the build's objects
    one by one before exiting, a noticeable part of a rebuild, for nothing: everything is
    written, the output is in place, and there is nothing left to clean up."""
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(EXIT_OK)


@main.command(short_help="List every problem in data and stories; write nothing.")
@SITE_DIR
def check(site_dir: Path) -> None:
    """List every problem in the data and stories, with file, line and field.

    Writes nothing. Exits 0 when all is well (or there are only notes, such as a
    draft waiting for consent), 1 when something needs fixing.
    """
    from cswork_site.build.check import check_site
    from cswork_site.build.run import settings_problems

    site = _site(site_dir)
    _, problems = check_site(site)
    problems = sorted(problems + settings_problems(site))
    _report(problems)
    n_err = sum(1 for p in problems if p.is_error)
    n_notes = sum(1 for p in problems if p.is_note)
    n_warn = len(problems) - n_err - n_notes
    if to_fix(problems):
        click.echo(f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} "
                   f"warning{'s' if n_warn != 1 else ''}"
                   + (f", {n_notes} note{'s' if n_notes != 1 else ''}." if n_notes else "."), err=True)
        sys.exit(EXIT_PROBLEMS)
    if n_notes:
        click.echo(f"Nothing to fix; {n_notes} note{'s' if n_notes != 1 else ''} above.")
    else:
        click.echo("No problems found.")


@main.group(short_help="Start a story from a skeleton.")
def new() -> None:
    """Start something new from a skeleton."""


@new.command("story")
@click.argument("title")
@click.option("--kind", type=click.Choice([k.value for k in StoryKind]), default=StoryKind.news.value,
              show_default=True, help="What kind of story it is.")
@click.option("--site", "site_dir", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="The site folder (default: the current folder).")
def new_story(title: str, kind: str, site_dir: Path) -> None:
    """Write a story skeleton to content/stories/YYYY-MM-DD-slug.md (or the story
    folder the site's settings name).

    Every metadata line is there with a hint; the story stays a draft until
    consent and approval are recorded and Status is set to published.
    """
    from cswork_site.stories.skeleton import write_skeleton

    path = write_skeleton(_site(site_dir), title, kind)
    click.echo(f"Wrote {path}. Preview it with: cswork serve")


@main.group(short_help="Bring in workforce figures and official benchmarks.")
def metrics() -> None:
    """Workforce figures: store the latest snapshot, or import England's official statistics."""


@metrics.command("pull", short_help="Fetch, check and store the latest figures.")
@SITE_DIR
@click.option("--from", "source", metavar="URL_OR_PATH",
              help="Where to fetch from (default: source.url in data/metrics.yaml).")
def metrics_pull(site_dir: Path, source: str | None) -> None:
    """Fetch the latest figures, check them, and store them as a new snapshot.

    A snapshot is never overwritten, and nothing is written unless every check passes:
    the figures already stored stay exactly as they were.
    """
    from cswork_site.metrics.pull import pull

    result = pull(_site(site_dir), source)
    click.echo(f"Stored the figures as at {result.snapshot.as_at:%-d %B %Y} in "
               f"{result.path.relative_to(_site(site_dir))} (from {result.fetched_from}).")


@metrics.command("import-dfe", short_help="Import the DfE workforce CSV as benchmarks.")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@SITE_DIR
def metrics_import_dfe(csv_file: Path, site_dir: Path) -> None:
    """Import the DfE's children's social work workforce CSV into data/benchmarks.yaml.

    Keeps England, the region and the comparator authorities named in data/metrics.yaml,
    with the release each figure came from; a newer release replaces an older one.
    """
    from cswork_site.metrics.dfe import import_dfe

    result = import_dfe(csv_file, _site(site_dir))
    for warning in result.warnings:
        click.echo(warning, err=True)  # already in PATH:LINE: FIELD: warning: form
    click.echo(f"Imported release {result.release} into {result.path}.")



# What `cswork init` asks, in order, when an answer is not given as an option.
_QUESTIONS = {
    "council": "Your council's full name (e.g. Northfield Borough Council)",
    "service": "Your children's services department (e.g. Northfield Children's Services)",
    "url": "The address the site will be published at (e.g. https://careers.northfield.gov.uk)",
    "email": "The email address people write to about jobs",
    "nation": "Nation (england or wales)",
    "colour": "Your brand's main colour, # and 6 hex digits",
}


@main.command(short_help="Start a new site for your council.")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--council", help="The council's full name.")
@click.option("--service", help="The children's services department's name.")
@click.option("--url", help="Where the site will be published, starting https://.")
@click.option("--email", help="The address people write to about jobs.")
@click.option("--nation", type=click.Choice(["england", "wales"], case_sensitive=False),
              help="Where the council is, for its regulator and inspectorate (default: england).")
@click.option("--colour", help="The brand's main colour, such as #1d4f6e (the default).")
@click.option("--ci", "ci", multiple=True, type=click.Choice(["github", "gitlab", "docker"]),
              help="Also write an example of publishing every night: a GitHub Actions workflow, "
                   "a GitLab CI file or a Dockerfile (repeat for more than one).")
def init(folder: Path, council: str | None, service: str | None, url: str | None, email: str | None,
         nation: str | None, colour: str | None, ci: tuple[str, ...]) -> None:
    """Start a new site in FOLDER (a new or empty folder) from a few answers.

    In a terminal, asks for each answer not given as an option; in a script, give
    --council, --service, --url and --email (--nation and --colour have defaults).
    Every data file is written with hints, and every value cswork makes up is marked
    EXAMPLE: `cswork check` lists those left to replace. The site builds at once.
    """
    given = {"council": council, "service": service, "url": url, "email": email, "nation": nation,
             "colour": colour}
    defaults = {"nation": "england", "colour": "#1d4f6e"}
    if sys.stdin.isatty():
        for name, question in _QUESTIONS.items():
            if given[name] is None:
                given[name] = click.prompt(question, default=defaults.get(name))
    missing = [f"--{name}" for name, value in given.items() if value is None and name not in defaults]
    if missing:
        raise click.UsageError(f"give {', '.join(missing)} (or run cswork init in a terminal, which asks)")
    values: dict[str, str] = {name: value if value is not None else defaults[name] for name, value in given.items()}
    from cswork_site.clock import build_date
    from cswork_site.newsite import Answers, check_answers, starter_files, write_site

    answers = Answers(council=" ".join(values["council"].split()), service=" ".join(values["service"].split()),
                      url=values["url"].strip(), email=values["email"].strip(), nation=values["nation"].lower(),
                      colour=values["colour"].strip())
    wrong = check_answers(answers)
    if wrong:
        raise InputError("\n".join(wrong))
    files = starter_files(answers, build_date())
    if ci:
        from cswork_site.newsite.ci import ci_files

        wanted = {"github": ".github/", "gitlab": ".gitlab-ci", "docker": "Dockerfile"}
        files.update({rel: text for rel, text in ci_files(answers.url).items()
                      if any(rel.startswith(wanted[c]) for c in ci)})
    write_site(folder, files)
    shown = os.path.relpath(folder)
    click.echo(f"Started a site for {answers.council} in {shown}/ ({len(files)} files).")
    click.echo(f"Next: cswork check {shown}   (lists every EXAMPLE value to replace)")
    click.echo(f"      cswork serve {shown}   (preview it at http://127.0.0.1:8000/)")


@main.command()
@SITE_DIR
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0 picks a free one).")
def serve(site_dir: Path, port: int) -> None:
    """Preview the site on http://127.0.0.1 (this computer only).

    Rebuilds when anything under content/, data/ or theme/ changes, and reloads the
    page open in your browser. Problems are shown in the terminal and at the top of
    the page. Stop with Ctrl+C.
    """
    from cswork_site.cli.serve import run_preview

    run_preview(_site(site_dir), port)


@main.command()
@SITE_DIR
def schema(site_dir: Path) -> None:
    """Write a JSON Schema for every data file, for help from your editor.

    Writes SITE_DIR/schemas/NAME.schema.json for each data file and points VS Code's
    YAML extension at them in .vscode/settings.json (keeping every other setting): your
    editor then completes field names, describes each field and marks mistakes as you type.
    """
    from cswork_site.data.schema import write_editor_help

    site = _site(site_dir)
    try:
        written = write_editor_help(site)
    except OSError as exc:
        raise InputError(f"could not write the schemas into {site}: {exc.strerror or exc}") from exc
    for path in written.paths:
        click.echo(f"Wrote {path.relative_to(site).as_posix()}")
    if written.by_hand:
        click.echo(written.by_hand, err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
