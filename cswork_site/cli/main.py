"""The `cswork` command line. Internal errors become clean messages here, and only here."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

import click

from cswork_site.cli.report import FORMATS, Report
from cswork_site.clock import BadEpoch
from cswork_site.data.models.nation import nations
from cswork_site.languages import DEFAULT_LANGUAGE, LANGUAGES, speaking
from cswork_site.output.swap import OutputRefused
from cswork_site.plugin.pelican_api import pelican_version
from cswork_site.problems import InputError, ProblemsFound, errors
from cswork_site.stories.meta import KIND_SHORT_NAMES, StoryKind, kind_named
from cswork_site.translation import gettext, ngettext

# As in sysexits.h: EX_SOFTWARE (70) is a fault in cswork itself, and only that.
EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 70

SITE_DIR = click.argument(
    "site_dir", required=False, default=".",
    type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
)


class KindChoice(click.Choice):
    """A story's kind by its short name (shown in help and offered by shell completion), or
    by its full name, in any case; the value is the StoryKind."""

    def __init__(self) -> None:
        super().__init__(list(KIND_SHORT_NAMES.values()), case_sensitive=False)

    def convert(self, value, param, ctx):
        if isinstance(value, StoryKind):
            return value
        kind = kind_named(str(value))
        if kind is None:
            return super().convert(value, param, ctx)  # fails, listing the short names
        return kind


def _report(lines) -> None:
    for line in lines:
        click.echo(str(line), err=True)


def _site(site_dir: Path) -> Path:
    if not site_dir.is_dir():
        raise click.BadParameter(f"{site_dir} is not a folder", param_hint="SITE_DIR")
    return site_dir.resolve()


REPORT = "cswork.report"  # the running command's Report, in the click context's meta


def _report_of(ctx: click.Context) -> Report:
    report = ctx.meta.get(REPORT)
    return report if isinstance(report, Report) else Report()


def _reporting(ctx: click.Context, site_dir: Path, quiet: bool, verbose: bool, output_format: str = "text",
               language: str = DEFAULT_LANGUAGE) -> Report:
    """The command's Report, kept where the group finds it if the command stops."""
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together", ctx)
    report = Report(output_format, "quiet" if quiet else "verbose" if verbose else "normal",
                    site_given=site_dir.as_posix(), site=site_dir.resolve(), language=language)
    ctx.meta[REPORT] = report
    return report


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ProblemsFound as exc:
            report = _report_of(ctx)
            with speaking(report.language):  # the problems were written in it
                where = gettext(" to the output folder") if ctx.invoked_subcommand == "build" else ""
                report.stopped(exc.problems, EXIT_BAD_INPUT, where)
            ctx.exit(EXIT_BAD_INPUT)
        except (OutputRefused, BadEpoch, InputError) as exc:
            _report_of(ctx).failed(str(exc), EXIT_BAD_INPUT)
            ctx.exit(EXIT_BAD_INPUT)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # the boundary: a bug in cswork, not the user's input
            if os.environ.get("CSWORK_DEBUG"):
                traceback.print_exc()
            report = _report_of(ctx)
            if report.format != "text":
                report.failed(f"internal error: {type(exc).__name__}: {exc}; this is a fault in cswork, "
                              "not in your files", EXIT_INTERNAL, fault=True)
            click.echo(f"cswork: internal error: {type(exc).__name__}: {exc}\n"
                       "This is a fault in cswork, not in your files. Set CSWORK_DEBUG=1 to see details.",
                       err=True)
            ctx.exit(EXIT_INTERNAL)


def _language(command):
    """--language (or CSWORK_LANGUAGE): the language problems and summaries are written in."""
    return click.option("--language", type=click.Choice(sorted(LANGUAGES)), default=DEFAULT_LANGUAGE,
                        envvar="CSWORK_LANGUAGE", show_default=True, show_envvar=True,
                        help="The language of the problems and summaries cswork writes: "
                             + ", ".join(f"{code} ({lang.name})" for code, lang in sorted(LANGUAGES.items()))
                             + ". Field names and paths stay as they are in your files.")(command)


def _verbosity(command):
    """-q/--quiet and -v/--verbose, which cannot be used together."""
    command = click.option("-v", "--verbose", is_flag=True,
                           help="Say more: Pelican's own messages and how long each step took.")(command)
    return click.option("-q", "--quiet", is_flag=True,
                        help="Say less: only errors (no warnings or notes), and no progress display.")(command)


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
@_verbosity
@_language
@click.pass_context
def build(ctx: click.Context, site_dir: Path, output: Path | None, production: bool, strict: bool,
          no_cache: bool, quiet: bool, verbose: bool, language: str) -> None:
    """Check everything, then build the site into the output folder.

    The previous output stays exactly as it was unless the whole build succeeds. A
    story with a problem is held back and the rest of the site is built; a problem in
    a data file or the settings stops the build. On a terminal, the steps are shown
    as they go.
    """
    from cswork_site.build.run import PRODUCTION_SETTINGS_FILE, SETTINGS_FILE, build_site

    report = _reporting(ctx, site_dir, quiet, verbose, language=language)
    site = _site(site_dir)
    # The problems are written as the check finds them, so the language is chosen first.
    with speaking(language), report.running() as progress:
        result = build_site(site, output, PRODUCTION_SETTINGS_FILE if production else SETTINGS_FILE,
                            strict=strict, use_cache=not no_cache, progress=progress)
    if quiet:
        report.problems(errors(result.problems))
    else:
        _report(result.warnings)
    held = sorted({p.path for p in result.problems if p.holds_back_one_item})
    if held:
        with speaking(language):
            click.echo(ngettext("cswork: %(num)d story held back until the problems above are fixed; "
                                "the rest of the site is built.",
                                "cswork: %(num)d stories held back until the problems above are fixed; "
                                "the rest of the site is built.", len(held)), err=True)
    if not quiet:
        shown = os.path.relpath(result.output) if result.output.is_relative_to(Path.cwd()) else str(result.output)
        click.echo(f"Built {result.pages} pages into {shown}/")
        if result.nginx_snippet is not None:
            snippet = result.nginx_snippet
            named = os.path.relpath(snippet) if snippet.is_relative_to(Path.cwd()) else str(snippet)
            click.echo(f"Security headers for nginx (never published): {named}")
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
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: one line per problem on stderr. json: one JSON document on stdout. "
                   "github: GitHub Actions annotations on stdout.")
@_verbosity
@_language
@click.pass_context
def check(ctx: click.Context, site_dir: Path, output_format: str, quiet: bool, verbose: bool, language: str) -> None:
    """List every problem in the data and stories, with file, line and field.

    Writes nothing. Exits 0 when all is well (or there are only notes, such as a
    draft waiting for consent), 1 when something needs fixing.
    """
    from cswork_site.build.check import check_site
    from cswork_site.build.run import settings_problems

    report = _reporting(ctx, site_dir, quiet, verbose, output_format, language)
    site = _site(site_dir)
    with speaking(language):
        with report.running() as progress:
            _, problems = check_site(site, progress=progress)
            progress.phase("Checking the settings and theme")
            problems = sorted(problems + settings_problems(site))
        code = report.checked(problems, EXIT_PROBLEMS)
    if code:
        sys.exit(code)


@main.group(short_help="Start a story from a skeleton.")
def new() -> None:
    """Start something new from a skeleton."""


@new.command("story")
@click.argument("site_and_title", nargs=-1, metavar="[SITE_DIR] TITLE")
@click.option("--kind", type=KindChoice(), default=KIND_SHORT_NAMES[StoryKind.news], show_default=True,
              help="What kind of story it is: " + ", ".join(KIND_SHORT_NAMES.values())
                   + ". The full names (such as \"career story\") work too.")
@click.option("--site", "site_option", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="The site folder, as SITE_DIR does (default: the current folder).")
@click.pass_context
def new_story(ctx: click.Context, site_and_title: tuple[str, ...], kind: StoryKind, site_option: Path | None) -> None:
    """Write a story skeleton to content/stories/YYYY-MM-DD-slug.md (or the story
    folder the site's settings name). SITE_DIR comes first, as in every other
    command, and may be left out: `cswork new story "My first week"`.

    Every metadata line is there with a hint; the story stays a draft until
    consent and approval are recorded and Status is set to published.
    """
    from cswork_site.stories.skeleton import write_skeleton

    site_dir, title = _site_and_title(ctx, site_and_title, site_option)
    path = write_skeleton(_site(site_dir), title, kind.value)
    click.echo(f"Wrote {path}. Preview it with: cswork serve")


def _site_and_title(ctx: click.Context, values: tuple[str, ...], site_option: Path | None) -> tuple[Path, str]:
    """`new story`'s [SITE_DIR] TITLE: one value is the title, two are the site and the title."""
    if not values:
        raise click.UsageError('give the story a title: cswork new story [SITE_DIR] "Title"', ctx)
    if len(values) > 2:
        raise click.UsageError(f"expected [SITE_DIR] TITLE; found {len(values)} words: put a title of "
                               f'several words in quotes, as in cswork new story "{" ".join(values)}"', ctx)
    if len(values) == 1:
        return site_option or Path("."), values[0]
    site_dir, title = Path(values[0]), values[1]
    if not site_dir.is_dir():
        raise click.BadParameter(f"{site_dir} is not a folder; if {' '.join(values)!r} is the title, "
                                 "put it in quotes", ctx, param_hint="SITE_DIR")
    if site_option is not None and site_option.resolve() != site_dir.resolve():
        raise click.UsageError(f"SITE_DIR ({site_dir}) and --site ({site_option}) name different folders; "
                               "give one of them", ctx)
    return site_dir, title


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
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@SITE_DIR
def metrics_import_dfe(csv_file: Path, site_dir: Path) -> None:
    """Import the DfE's children's social work workforce CSV into data/benchmarks.yaml.

    Keeps England, the region and the comparator authorities named in data/metrics.yaml,
    with the release each figure came from; a newer release replaces an older one. The
    figures are England's: a site whose data/service.yaml says `nation: wales` is refused.
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
    "nation": f"Nation ({' or '.join(nations())})",
    "colour": "Your brand's main colour, # and 6 hex digits",
}


@main.command(short_help="Start a new site for your council.")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--council", help="The council's full name.")
@click.option("--service", help="The children's services department's name.")
@click.option("--url", help="Where the site will be published, starting https://.")
@click.option("--email", help="The address people write to about jobs.")
@click.option("--nation", type=click.Choice(list(nations()), case_sensitive=False),
              help="Where the council is, for its regulator, inspectorate, statistics and tax wording "
                   "(default: england).")
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
@_language
def serve(site_dir: Path, port: int, language: str) -> None:
    """Preview the site on http://127.0.0.1 (this computer only).

    Rebuilds when anything under content/, data/ or theme/ changes, and reloads the
    page open in your browser. Problems are shown in the terminal and at the top of
    the page. Stop with Ctrl+C.
    """
    from cswork_site.cli.serve import run_preview

    with speaking(language):
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
