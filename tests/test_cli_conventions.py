"""Command line conventions: `check --format text|json|github`, -q/-v, the progress display
on a terminal, `new story [SITE_DIR] TITLE`, --kind's short names, shell completion, and
docs/command-line.md naming every command and option."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from cswork_site.cli.main import main
from cswork_site.cli.report import FORMATS, as_annotation, workflow_command
from cswork_site.problems import Problem
from cswork_site.stories.meta import KIND_SHORT_NAMES, StoryKind, story_slug

from .helpers import EPOCH, REPO, copy_site, cswork, tree_digest

DOC = REPO / "docs" / "command-line.md"

# GitHub's workflow command syntax: ::COMMAND PARAMETERS::MESSAGE, the parameters being
# comma-separated key=value pairs (docs.github.com, "Workflow commands for GitHub Actions").
WORKFLOW_COMMAND = re.compile(r"^::(?P<command>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")
_UNESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}
SEVERITY_OF = {"error": "error", "warning": "warning", "notice": "note"}


def _unescape(text: str, in_property: bool) -> str:
    allowed = "25|0D|0A|3A|2C" if in_property else "25|0D|0A"
    return re.sub(f"%({allowed})", lambda m: _UNESCAPES[m.group(0)], text)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """(command, properties, message) of one workflow command, unescaped as GitHub does."""
    match = WORKFLOW_COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    props: dict[str, str] = {}
    if match.group("props"):
        for pair in match.group("props").split(","):
            key, _, value = pair.partition("=")
            props[key] = _unescape(value, in_property=True)
    return match.group("command"), props, _unescape(match.group("message"), in_property=False)


# ---------------------------------------------------------------------------
# The docs cannot fall behind the commands


def _commands(command: click.Command, path: tuple[str, ...]):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))


def test_every_command_option_and_choice_is_in_the_command_line_docs():
    doc = DOC.read_text(encoding="utf-8")
    missing = []
    for path, command in _commands(main, ("cswork",)):
        name = " ".join(path)
        if f"`{name}" not in doc:
            missing.append(f"command {name}")
        ctx = click.Context(command, info_name=path[-1])
        params = [*command.params, command.get_help_option(ctx)]
        for param in params:
            if param is None:
                continue
            if isinstance(param, click.Argument):
                metavar = param.metavar or param.name.upper()
                for word in metavar.replace("[", " ").replace("]", " ").split():
                    if word not in doc:
                        missing.append(f"{name}: argument {word}")
                continue
            for opt in (*param.opts, *param.secondary_opts):
                if not re.search(rf"`[^`\n]*{re.escape(opt)}\b", doc):
                    missing.append(f"{name}: option {opt}")
            if isinstance(param.type, click.Choice):
                for choice in param.type.choices:
                    if f"`{choice}`" not in doc and f"{choice}|" not in doc and f"|{choice}" not in doc:
                        missing.append(f"{name}: {param.name} choice {choice}")
    assert not missing, "docs/command-line.md does not mention: " + ", ".join(missing)


def test_the_docs_index_links_the_command_line_page():
    assert "(command-line.md)" in (REPO / "docs" / "README.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# GitHub annotations: escaping and paths

# The characters GitHub's syntax gives a meaning to, text that looks already escaped, and Unicode.
_AWKWARD = st.lists(st.sampled_from([*"%\r\n,:=; ab/é😀\u2028\t", "::", "%0A", "%25", "%3A"]),
                    max_size=20).map("".join) | st.text(max_size=20)


@settings(max_examples=300, deadline=None)
@given(message=_AWKWARD, field=_AWKWARD, path=_AWKWARD, line=st.integers(min_value=0, max_value=10**6),
       severity=st.sampled_from(["error", "warning", "note"]))
def test_an_annotation_gives_back_exactly_the_problem(message, field, path, line, severity):
    site = Path("/repo/site")
    line_text = as_annotation(Problem(path or "x", line, field, message, severity), site, Path("/repo"))
    assert "\n" not in line_text and "\r" not in line_text, "one command is one line"
    command, props, got = parse_command(line_text)
    assert got == message
    assert SEVERITY_OF[command] == severity
    assert props["title"] == field
    assert props["file"] == os.path.relpath(site / (path or "x"), "/repo").replace(os.sep, "/")
    assert props.get("line") == (str(line) if line >= 1 else None)


@given(st.text(max_size=60), st.text(max_size=30))
def test_a_workflow_command_escapes_what_github_requires(message, title):
    command, props, got = parse_command(workflow_command("warning", message, title=title))
    assert (command, props, got) == ("warning", {"title": title}, message)


# ---------------------------------------------------------------------------
# --kind's short names and `new story [SITE_DIR] TITLE` (in process, through the real code)


def _new_story(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    here = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return runner.invoke(main, ["new", "story", *args], env={"SOURCE_DATE_EPOCH": EPOCH},
                             catch_exceptions=False)
    finally:
        os.chdir(here)


def _kind_line(site: Path, title: str) -> str:
    path = site / "content" / "stories" / f"2026-11-01-{story_slug(title)}.md"
    match = re.search(r"^Kind: (.*)$", path.read_text(encoding="utf-8"), re.M)
    assert match
    return match.group(1)


def test_kind_takes_short_names_in_any_case_and_full_names(tmp_path):
    site = copy_site(tmp_path / "site")
    for n, kind in enumerate(StoryKind):
        for m, given_as in enumerate([KIND_SHORT_NAMES[kind], KIND_SHORT_NAMES[kind].upper(), kind.value,
                                      kind.value.title()]):
            title = f"Kind test {n} {m}"
            result = _new_story(str(site), title, "--kind", given_as)
            assert result.exit_code == 0, result.output
            assert _kind_line(site, title) == kind.value, "the Kind: line has the full name"
    wrong = _new_story(str(site), "Wrong kind", "--kind", "gossip")
    assert wrong.exit_code == 2
    for short in KIND_SHORT_NAMES.values():
        assert repr(short) in wrong.output
    default = _new_story(str(site), "No kind given")
    assert default.exit_code == 0 and _kind_line(site, "No kind given") == StoryKind.news.value


def test_new_story_help_shows_the_short_names():
    result = CliRunner().invoke(main, ["new", "story", "--help"])
    assert result.exit_code == 0
    assert "[" + "|".join(KIND_SHORT_NAMES.values()) + "]" in result.output
    assert "[SITE_DIR] TITLE" in result.output


def test_new_story_takes_site_dir_first_like_every_command(tmp_path):
    site = copy_site(tmp_path / "site")
    stories = site / "content" / "stories"
    assert _new_story("Only a title", cwd=site).exit_code == 0
    assert _new_story(str(site), "Site then title").exit_code == 0
    assert _new_story("With the old option", "--site", str(site)).exit_code == 0
    same = _new_story(str(site), "Both the same", "--site", str(site / "." / "content" / ".."))
    assert same.exit_code == 0, same.output
    for title in ("Only a title", "Site then title", "With the old option", "Both the same"):
        assert (stories / f"2026-11-01-{story_slug(title)}.md").is_file(), title

    other = tmp_path / "other"
    other.mkdir()
    both = _new_story(str(site), "Two folders", "--site", str(other))
    assert both.exit_code == 2 and "name different folders" in both.output
    none = _new_story()
    assert none.exit_code == 2 and "give the story a title" in none.output
    three = _new_story("My", "first", "week", cwd=site)
    assert three.exit_code == 2 and 'put a title of several words in quotes' in three.output
    assert '"My first week"' in three.output
    unquoted = _new_story("My", "week", cwd=site)
    assert unquoted.exit_code == 2 and "My is not a folder" in unquoted.output and "quotes" in unquoted.output
    assert "Traceback" not in none.output + three.output + unquoted.output + both.output
    assert not list(stories.glob("*two-folders*")) and not list(stories.glob("*my-first-week*"))
    assert not list(stories.glob("*-week.md"))


# ---------------------------------------------------------------------------
# check --format: the same problems, in the same order, in every format


def _with_mistakes(site: Path) -> None:
    """Deliberate mistakes in four files: errors, a warning, a note, and a story held back;
    the values hold %, a comma, colons and Unicode, so the messages and fields do too."""
    offer = site / "data" / "offer.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace(
        "group: social work", 'group: "social wurk: 100%, ünïcode ✓"', 1), encoding="utf-8")
    service = site / "data" / "service.yaml"
    service.write_text(service.read_text(encoding="utf-8") + '"tag:line, 50%": x\n', encoding="utf-8")
    story = sorted((site / "content" / "stories").glob("*.md"))[0]
    story.write_text(re.sub(r"(?m)^Kind: .*$", "Kind: gossip", story.read_text(encoding="utf-8"), count=1),
                     encoding="utf-8")
    items = site / "data" / "testimonials.yaml"
    items.write_text(re.sub(r"(?m)^    approval:\n      approver_role: .*\n      date: .*\n", "",
                            items.read_text(encoding="utf-8"), count=1), encoding="utf-8")


@pytest.fixture(scope="module")
def mistaken(tmp_path_factory) -> Path:
    """A folder holding a copy of the demo (at site/) with several mistakes."""
    root = tmp_path_factory.mktemp("repo")
    _with_mistakes(copy_site(root / "site"))
    return root


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _text_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.match(r"^[^:\s]+:\d+: ", line)]


@pytest.mark.slow
def test_json_and_github_list_the_same_problems_as_text_in_the_same_order(mistaken):
    env = {"GITHUB_WORKSPACE": ""}
    text = cswork("check", "site", cwd=mistaken, env=env)
    as_json = cswork("check", "site", "--format", "json", cwd=mistaken, env=env)
    github = cswork("check", "site", "--format", "github", cwd=mistaken, env=env)
    assert text.returncode == as_json.returncode == github.returncode == 1, text.stderr

    lines = _text_lines(text.stderr)
    doc = json.loads(as_json.stdout)  # stdout is the document and nothing else
    assert doc["version"] == 1 and doc["site"] == "site"
    assert doc["outcome"] == "problems" and doc["exit_code"] == 1 and doc["failure"] is None
    problems = doc["problems"]
    rebuilt = [str(Problem(p["path"], p["line"], p["field"], p["message"], p["severity"])) for p in problems]
    assert rebuilt == lines
    severities = {p["severity"] for p in problems}
    assert severities == {"error", "warning", "note"}, "the mistakes give every severity"
    assert {p["path"].split("/")[0] for p in problems} == {"data", "content"}
    assert doc["counts"] == {f"{s}s": sum(1 for p in problems if p["severity"] == s)
                             for s in ("error", "warning", "note")}
    for p in problems:
        assert p["holds_back"] == (p["severity"] == "error" and p["path"].startswith("content/"))
    assert any(p["holds_back"] for p in problems)
    n = doc["counts"]
    assert text.stderr.splitlines()[-1] == (f"{_plural(n['errors'], 'error')}, {_plural(n['warnings'], 'warning')}, "
                                            f"{_plural(n['notes'], 'note')}.")
    # The awkward characters are in the messages and fields, as the user typed them.
    assert any("social wurk: 100%, ünïcode ✓" in p["message"] for p in problems)
    assert any("tag:line, 50%" in p["field"] + p["message"] for p in problems)

    commands = [parse_command(line) for line in github.stdout.splitlines() if line.startswith("::")]
    assert [(SEVERITY_OF[c], props["file"], int(props["line"]), props["title"], message)
            for c, props, message in commands] == [
        (p["severity"], f"site/{p['path']}", p["line"], p["field"], p["message"]) for p in problems]
    assert github.stderr.splitlines()[-1] == text.stderr.splitlines()[-1], "the summary is kept"


@pytest.mark.slow
def test_github_paths_are_relative_to_the_repository(mistaken):
    inside = mistaken / "sites"
    inside.mkdir(exist_ok=True)
    site = inside / "castlebrook"
    if not site.exists():
        (mistaken / "site").rename(site)
    try:
        from_workspace = cswork("check", str(site), "--format", "github", cwd=REPO,
                                env={"GITHUB_WORKSPACE": str(mistaken)})
        from_here = cswork("check", "castlebrook", "--format", "github", cwd=inside, env={"GITHUB_WORKSPACE": ""})
    finally:
        site.rename(mistaken / "site")
    for result, prefix in ((from_workspace, "sites/castlebrook/"), (from_here, "castlebrook/")):
        files = [parse_command(line)[1]["file"] for line in result.stdout.splitlines()]
        assert files and all(f.startswith(prefix) for f in files), (prefix, files)
        assert {f[len(prefix):].split("/")[0] for f in files} == {"data", "content"}


@pytest.mark.slow
def test_quiet_lists_only_errors_and_verbose_adds_the_steps(mistaken):
    full = cswork("check", "site", "--format", "json", cwd=mistaken)
    problems = json.loads(full.stdout)["problems"]
    errors = [str(Problem(p["path"], p["line"], p["field"], p["message"])) for p in problems
              if p["severity"] == "error"]
    quiet = cswork("check", "site", "-q", cwd=mistaken)
    assert quiet.returncode == 1
    assert _text_lines(quiet.stderr) == errors
    n_err = len(errors)
    n_warn = sum(1 for p in problems if p["severity"] == "warning")
    assert quiet.stderr.splitlines()[-1] == f"{_plural(n_err, 'error')}, {_plural(n_warn, 'warning')}."
    assert quiet.stdout == ""
    quiet_github = cswork("check", "site", "--quiet", "--format", "github", cwd=mistaken)
    assert [parse_command(line)[0] for line in quiet_github.stdout.splitlines()] == ["error"] * n_err

    verbose = cswork("check", "site", "--verbose", cwd=mistaken)
    assert verbose.returncode == 1
    assert _text_lines(verbose.stderr) == _text_lines(cswork("check", "site", cwd=mistaken).stderr)
    for step in ("Checking the data files", "Checking the stories", "Screening what will be published"):
        assert re.search(rf"^cswork: +[\d.]+ s  {step}$", verbose.stderr, re.M), step

    both = cswork("check", "site", "-q", "-v", cwd=mistaken)
    assert both.returncode == 2 and "cannot be used together" in both.stderr


@pytest.mark.slow
def test_a_check_that_cannot_start_says_why_in_the_chosen_format(tmp_path):
    site = copy_site(tmp_path / "site")
    env = {"SOURCE_DATE_EPOCH": "yesterday"}
    text = cswork("check", str(site), env=env)
    as_json = cswork("check", str(site), "--format", "json", env=env)
    github = cswork("check", str(site), "--format", "github", env=env)
    assert text.returncode == as_json.returncode == github.returncode == 2
    (why,) = [line.removeprefix("cswork: ") for line in text.stderr.splitlines()]
    assert "SOURCE_DATE_EPOCH" in why
    doc = json.loads(as_json.stdout)
    assert (doc["outcome"], doc["exit_code"], doc["failure"], doc["problems"]) == ("stopped", 2, why, [])
    (line,) = github.stdout.splitlines()
    assert parse_command(line) == ("error", {"title": "cswork"}, why)
    # No settings at all: the missing file is a problem like any other, in each format.
    empty = tmp_path / "empty"
    empty.mkdir()
    doc = json.loads(cswork("check", str(empty), "--format", "json").stdout)
    assert {"path": "pelicanconf.py", "line": 1, "field": "(file)", "severity": "error", "holds_back": False,
            "message": "is missing; expected Pelican settings in pelicanconf.py (is this a cswork site folder? "
                       "`cswork init` starts one)"
            } in doc["problems"]


# ---------------------------------------------------------------------------
# build -q and -v


@pytest.mark.slow
def test_build_quiet_says_nothing_but_errors_and_verbose_says_more(tmp_path):
    site = copy_site(tmp_path / "site")
    clean = cswork("build", str(site), "-q")
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout == "" and clean.stderr == ""
    assert (site / "output" / "index.html").is_file()

    _with_mistakes(site)
    offer = site / "data" / "offer.yaml"
    good_offer = offer.read_text(encoding="utf-8").replace('"social wurk: 100%, ünïcode ✓"', "social work")
    offer.write_text(good_offer, encoding="utf-8")  # a story held back, a warning and a note remain
    normal = cswork("build", str(site))
    quiet = cswork("build", str(site), "--quiet")
    verbose = cswork("build", str(site), "--verbose")
    assert normal.returncode == quiet.returncode == verbose.returncode == 0, normal.stderr
    held_line = "cswork: 1 story held back until the problems above are fixed; the rest of the site is built."
    story_errors = [line for line in _text_lines(normal.stderr) if line.startswith("content/")]
    assert story_errors and any("warning: " in line for line in _text_lines(normal.stderr))
    assert quiet.stderr.splitlines() == [*story_errors, held_line]
    assert quiet.stdout == ""
    assert "Built " in normal.stdout and "Built " in verbose.stdout
    assert "pelican: " not in normal.stderr
    assert re.search(r"^pelican: \S", verbose.stderr, re.M), "Pelican's own messages"
    assert re.search(r"^cswork: +[\d.]+ s  Writing pages \(\d+ pages\)$", verbose.stderr, re.M)
    assert _text_lines(verbose.stderr) == _text_lines(normal.stderr)

    offer.write_text(good_offer.replace("group: social work", "group: social wurk", 1), encoding="utf-8")
    stopped = cswork("build", str(site), "-q")
    assert stopped.returncode == 2
    (*lines, last) = stopped.stderr.splitlines()
    assert lines and all(line.startswith("data/") and "warning: " not in line for line in lines)
    assert last.startswith("cswork: stopped: ")


# ---------------------------------------------------------------------------
# The progress display: on a terminal only


def _run_on_terminal(*args: str, env: dict[str, str]) -> tuple[int, str, bytes]:
    """Run cswork with stderr on a pseudo-terminal and stdout on a pipe: (exit code,
    stdout, what the terminal received)."""
    master, slave = pty.openpty()
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TERM": "xterm-256color", **env}
    for name in ("NO_COLOR", "CSWORK_DEBUG"):
        if name not in env:
            full_env.pop(name, None)
    proc = subprocess.Popen([sys.executable, "-m", "cswork_site", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave, env=full_env)
    os.close(slave)
    received = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the program is done
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    return proc.wait(timeout=300), stdout, received


def _same_stdout(text: str) -> str:
    return re.sub(r"in \d+\.\d+ seconds", "in N seconds", text)  # Pelican's own line says how long it took


@pytest.mark.slow
def test_progress_shows_on_a_terminal_only_and_changes_nothing_built(tmp_path):
    site = copy_site(tmp_path / "site")
    code, on_terminal_stdout, shown = _run_on_terminal("build", str(site), "-o", str(tmp_path / "a"), env={})
    assert code == 0, shown.decode(errors="replace")
    text = shown.decode(errors="replace")
    for step in ("Checking the data files", "Checking the stories", "Writing pages", "Indexing for search"):
        assert step in text, step
    assert re.search(r"\d+ pages", text), "the pages are counted as they are written"
    assert "\x1b[" in text, "drawn with the terminal's escape codes"

    piped = cswork("build", str(site), "-o", str(tmp_path / "b"))
    assert piped.returncode == 0, piped.stderr
    assert "\x1b" not in piped.stderr and "Checking the data files" not in piped.stderr
    assert _same_stdout(on_terminal_stdout) == _same_stdout(piped.stdout).replace(str(tmp_path / "b"),
                                                                                  str(tmp_path / "a"))
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b"), "the same site either way"

    for env, args in (({"NO_COLOR": "1"}, ()), ({"TERM": "dumb"}, ()), ({}, ("--quiet",))):
        code, _, shown = _run_on_terminal("check", str(site), *args, env=env)
        assert code == 0
        assert b"\x1b" not in shown and b"Checking the data files" not in shown, (env, args)
    code, _, shown = _run_on_terminal("check", str(site), env={})
    assert code == 0 and b"Checking the data files" in shown, "check shows its steps too"


# ---------------------------------------------------------------------------
# Shell completion, through click's own protocol


def _complete(words: str, cword: int) -> list[tuple[str, str]]:
    result = cswork(env={"_CSWORK_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    assert result.returncode == 0, result.stderr
    return [tuple(line.split(",", 1)) for line in result.stdout.splitlines()]  # type: ignore[misc]


@pytest.mark.slow
def test_shell_completion_offers_the_kinds_and_formats():
    assert _complete("cswork new story --kind ", 4) == [("plain", k) for k in KIND_SHORT_NAMES.values()]
    assert _complete("cswork new story --kind ca", 4) == [("plain", "career")]
    assert _complete("cswork check --format ", 3) == [("plain", f) for f in FORMATS]
    commands = {value for _, value in _complete("cswork ", 1)}
    assert {"build", "check", "serve", "new", "metrics"} <= commands
    script = cswork(env={"_CSWORK_COMPLETE": "bash_source"})
    assert script.returncode == 0 and "complete " in script.stdout and "_CSWORK_COMPLETE" in script.stdout
