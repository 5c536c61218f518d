"""The publishing set-ups `cswork init` writes (cswork_site/newsite/ci.py): the GitHub
Actions workflow and the GitLab CI file are valid by the schemas GitHub's and GitLab's
files must follow (check-jsonschema's vendored copies, offline); every `cswork` command
in them and in the Dockerfile is a real command with real options (parsed by the real
click command tree, so a renamed option breaks this test); the metrics step, run for
real by bash against a real site, skips, stores, passes over and fails as documented.
Docker is not needed."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from cswork_site.cli.main import main as cswork_cli
from cswork_site.metrics.store import exists_message
from cswork_site.newsite.ci import ci_files, cswork_version

from .helpers import EPOCH, copy_site

BIN = Path(sys.executable).parent
GITHUB, GITLAB, DOCKER = ".github/workflows/publish.yml", ".gitlab-ci.yml", "Dockerfile"
SITE_URLS = ["https://careers.castlebrook.example.org", "https://example.gov.uk/careers/"]


@pytest.fixture(params=SITE_URLS)
def generated(request, tmp_path) -> Path:
    folder = tmp_path / "generated"
    for path, text in ci_files(request.param).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    return folder


def _workflow(folder: Path) -> dict:
    return yaml.safe_load((folder / GITHUB).read_text(encoding="utf-8"))


def _gitlab(folder: Path) -> dict:
    return yaml.safe_load((folder / GITLAB).read_text(encoding="utf-8"))


def _github_scripts(folder: Path) -> dict[str, str]:
    """Every `run:` of the workflow, by job and step name (or index)."""
    scripts = {}
    for job_name, job in _workflow(folder)["jobs"].items():
        for i, step in enumerate(job.get("steps", [])):
            if "run" in step:
                scripts[f"{job_name}/{step.get('name', step.get('id', i))}"] = step["run"]
    return scripts


def _gitlab_scripts(folder: Path) -> dict[str, str]:
    scripts = {}
    for job_name, job in _gitlab(folder).items():
        if isinstance(job, dict) and "script" in job:
            for i, item in enumerate(job["script"]):
                scripts[f"{job_name}/{i}"] = item
    return scripts


def _check_schema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120)


def test_the_workflow_files_are_valid_by_their_schemas(generated):
    for schema, path in (("vendor.github-workflows", GITHUB), ("vendor.gitlab-ci", GITLAB)):
        result = _check_schema(schema, generated / path)
        assert result.returncode == 0, f"{path}: {result.stdout}{result.stderr}"


def test_the_schema_check_catches_a_broken_workflow(generated):
    """The validator is really checking: a misspelt key in each file is refused."""
    workflow = (generated / GITHUB).read_text(encoding="utf-8")
    assert "    runs-on: ubuntu-latest\n" in workflow
    (generated / GITHUB).write_text(workflow.replace("    runs-on: ubuntu-latest\n", "    runs_on: ubuntu-latest\n", 1))
    assert _check_schema("vendor.github-workflows", generated / GITHUB).returncode != 0
    gitlab = (generated / GITLAB).read_text(encoding="utf-8")
    assert "  stage: deploy\n" in gitlab
    (generated / GITLAB).write_text(gitlab.replace("  stage: deploy\n", "  stage: deploy\n  when: sometimes\n", 1))
    assert _check_schema("vendor.gitlab-ci", generated / GITLAB).returncode != 0


# ---------------------------------------------------------------------------
# Every cswork command is real


_OPERATORS = {";", "&&", "||", "|", "(", ")", "&", ">", ">>", "<", "2>", "<<"}


def _cswork_invocations(script: str) -> list[list[str]]:
    """The arguments of each `cswork ...` command in a shell script (line continuations
    joined; a command ends at a shell operator or a redirection)."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        try:
            tokens = list(lexer)
        except ValueError:  # a heredoc's Python lines: no cswork command there
            continue
        for i, token in enumerate(tokens):
            if token == "cswork" and (i == 0 or tokens[i - 1] in _OPERATORS | {"if", "then", "elif", "!"}):
                args = []
                rest = tokens[i + 1:]
                for j, arg in enumerate(rest):
                    if arg in _OPERATORS or re.fullmatch(r"[<>]+&?[0-9]*", arg):
                        break
                    if arg.isdigit() and j + 1 < len(rest) and rest[j + 1][:1] in "<>":
                        break  # the 2 of 2> (shlex splits it off)
                    args.append(arg)
                found.append(args)
    return found


def _resolve(args: list[str], cwd: Path) -> str:
    """Parse args as the real `cswork` would (click's own parser, nothing run) and
    return the command's full name; raises click.UsageError for an unknown command or
    option, a missing argument or one too many."""
    command: click.Command = cswork_cli
    names = []
    ctx = None
    while isinstance(command, click.Group):
        assert args, f"`cswork {' '.join(names)}` names no command"
        sub = command.get_command(click.Context(command, info_name=" ".join(names) or "cswork"), args[0])
        if sub is None:
            raise click.UsageError(f"no such command: cswork {' '.join(names)} {args[0]}")
        names.append(args[0])
        args = args[1:]
        command = sub
    old = Path.cwd()
    os.chdir(cwd)
    try:
        ctx = command.make_context(" ".join(names), list(args))
    finally:
        os.chdir(old)
    assert ctx is not None
    return " ".join(names)


def test_every_cswork_command_in_the_ci_files_is_real(generated, tmp_path):
    site = copy_site(tmp_path / "site")
    for path, scripts in ((GITHUB, _github_scripts(generated)), (GITLAB, _gitlab_scripts(generated))):
        commands = []
        for where, script in scripts.items():
            for args in _cswork_invocations(script):
                try:
                    commands.append((_resolve(args, site), args))
                except click.UsageError as exc:
                    pytest.fail(f"{path} {where}: `cswork {' '.join(args)}`: {exc.format_message()}")
        names = [name for name, _ in commands]
        # Each file pulls the figures, checks and builds for production, strictly.
        assert names == ["metrics pull", "check", "build"], (path, commands)
        build = commands[2][1]
        assert "--production" in build and "--strict" in build, (path, build)
        if path == GITLAB:
            assert build[build.index("-o") + 1] == "public", "GitLab Pages publishes the public/ folder"


def test_a_renamed_option_would_be_caught(tmp_path):
    """The parser used above refuses what the real command line refuses."""
    site = copy_site(tmp_path / "site")
    assert _resolve(["build", ".", "--production", "--strict", "-o", "public"], site) == "build"
    for wrong in (["build", ".", "--prod"], ["metrics", "fetch", "."], ["check", ".", "extra"], ["bild", "."]):
        with pytest.raises(click.UsageError):
            _resolve(wrong, site)


def test_the_version_of_cswork_is_pinned_the_same_everywhere(generated):
    version = cswork_version()
    assert re.fullmatch(r"[0-9]+(\.[0-9]+)*([a-z0-9.+-]*)", version)
    assert _workflow(generated)["env"]["CSWORK_VERSION"] == version
    assert _gitlab(generated)["variables"]["CSWORK_VERSION"] == version
    installs = [s for s in _github_scripts(generated).values() if "pip install" in s]
    installs += [s for s in _gitlab_scripts(generated).values() if "pip install" in s]
    assert installs and all('"cswork-site==${CSWORK_VERSION}"' in s for s in installs), installs
    docker = _instructions(generated / DOCKER)
    assert ("RUN", f'python -m pip install "cswork-site=={version}"') in docker


def test_every_shell_script_parses(generated):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    for where, script in {**_github_scripts(generated), **_gitlab_scripts(generated)}.items():
        result = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, f"{where}: {result.stderr}"


# ---------------------------------------------------------------------------
# GitHub Actions: the triggers, the cache, the deployment


def test_the_github_workflow_publishes_on_change_every_night_and_by_hand(generated):
    workflow = _workflow(generated)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    (schedule,) = triggers["schedule"]
    minute, hour, *every = schedule["cron"].split()
    assert every == ["*", "*", "*"] and 0 <= int(hour) < 24 and 0 <= int(minute) < 60
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    uses = [s.get("uses", "") for job in workflow["jobs"].values() for s in job.get("steps", [])]
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    upload = next(s for s in workflow["jobs"]["build"]["steps"]
                  if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    build = next(s["run"] for s in workflow["jobs"]["build"]["steps"] if s.get("name") == "Build the site")
    assert upload["with"]["path"].rstrip("/") == build.split("-o", 1)[1].strip()


def test_the_build_cache_is_saved_only_by_the_main_branch(generated):
    steps = _workflow(generated)["jobs"]["build"]["steps"]
    restore = next(s for s in steps if s.get("uses", "").startswith("actions/cache/restore@"))
    save = next(s for s in steps if s.get("uses", "").startswith("actions/cache/save@"))
    assert not any(s.get("uses", "").startswith("actions/cache@") for s in steps), \
        "actions/cache saves from any branch; restore and save are separate steps"
    assert restore["with"]["path"] == save["with"]["path"] == ".cswork-cache"
    key = restore["with"]["key"]
    assert "env.CSWORK_VERSION" in key and "hashFiles(" in key
    assert key.startswith(restore["with"]["restore-keys"].strip())
    assert save["with"]["key"] == "${{ steps." + restore["id"] + ".outputs.cache-primary-key }}"
    assert "github.ref == 'refs/heads/main'" in save["if"]
    # Pull requests cannot run this workflow at all (they could write a cache of their own).
    triggers = _workflow(generated).get("on", _workflow(generated).get(True))
    assert not {"pull_request", "pull_request_target"} & set(triggers)


def test_the_gitlab_pages_job(generated):
    gitlab = _gitlab(generated)
    pages = gitlab["pages"]
    assert pages["artifacts"]["paths"][0] == "public"
    assert pages["image"] == "python:3.11-slim"
    assert "$CI_COMMIT_REF_SLUG" in pages["cache"]["key"] and pages["cache"]["paths"] == [".cswork-cache/"]
    sources = {re.search(r'\$CI_PIPELINE_SOURCE == "(\w+)"', r["if"]).group(1) for r in gitlab["workflow"]["rules"]}
    assert {"push", "schedule"} <= sources
    assert all("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in r["if"] for r in gitlab["workflow"]["rules"])


def test_the_python_version_and_address_are_those_asked_for():
    files = ci_files("https://example.gov.uk/careers/", python_version="3.12")
    assert 'python-version: "3.12"' in files[GITHUB] and "image: python:3.12-slim" in files[GITLAB]
    assert files[DOCKER].count("FROM python:3.12-slim") == 1
    assert "https://example.gov.uk/careers/" in files[GITHUB] and "https://example.gov.uk/careers/" in files[GITLAB]
    assert not any(re.search(r"@[A-Z_]+@", text) for text in files.values())
    for bad in ("careers.example.gov.uk", "https://example.gov.uk/\"; rm -rf /", "https://exa mple.gov.uk"):
        with pytest.raises(ValueError):
            ci_files(bad)
    with pytest.raises(ValueError):
        ci_files("https://example.gov.uk", python_version="3.11; echo")


# ---------------------------------------------------------------------------
# The Dockerfile


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction: comments and blank lines dropped,
    continuation lines joined, as Docker reads a Dockerfile."""
    instructions, pending = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        text = (pending + line).strip()
        pending = ""
        word, _, rest = text.partition(" ")
        instructions.append((word.upper(), " ".join(rest.split())))
    assert not pending, f"{path} ends in a continuation line"
    return instructions


def test_the_dockerfile_builds_the_mounted_site(generated, tmp_path):
    instructions = _instructions(generated / DOCKER)
    known = {"FROM", "ARG", "ENV", "RUN", "WORKDIR", "ENTRYPOINT", "CMD", "USER", "LABEL", "COPY"}
    assert {word for word, _ in instructions} <= known
    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert ("WORKDIR", "/site") in instructions
    entrypoint = json.loads(dict(instructions)["ENTRYPOINT"])  # exec form: JSON, so no shell in between
    cmd = json.loads(dict(instructions)["CMD"])
    assert entrypoint == ["cswork"] and cmd[:2] == ["build", "/site"]
    site = copy_site(tmp_path / "site")
    assert _resolve([site.as_posix() if a == "/site" else a for a in cmd], site) == "build"
    assert "--production" in cmd


# ---------------------------------------------------------------------------
# The metrics step, run for real


NEW_FIGURES = {"as_at": "2026-10-31", "source": "Castlebrook HR workforce dashboard",
               "figures": {"vacancy_rate": {"value": 14.2, "unit": "percent", "denominator": 180},
                           "average_caseload": {"value": 15, "unit": "children per worker"}}}


def _pull_script(kind: str, folder: Path) -> str:
    if kind == "github":
        return next(s for where, s in _github_scripts(folder).items() if "cswork metrics pull" in s)
    return next(s for s in _gitlab_scripts(folder).values() if "cswork metrics pull" in s)


def _set_source(site: Path, url: str | None) -> None:
    metrics = site / "data" / "metrics.yaml"
    text = metrics.read_text(encoding="utf-8")
    block = re.search(r"^source:\n(  .*\n)+", text, re.M)
    if block:
        text = text[: block.start()] + text[block.end():]
    if url is not None:
        text += f"\nsource:\n  url: {url}\n  format: json\n"
    metrics.write_text(text, encoding="utf-8")


def _run_step(kind: str, script: str, site: Path, tmp: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run the step as the CI system would: bash -e, in the site folder, with the CI's
    variables; return what it printed and the outputs it set."""
    outputs = tmp / "github-output"
    outputs.write_text("")
    (tmp / "runner").mkdir(exist_ok=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "SOURCE_DATE_EPOCH": EPOCH,
           "GITHUB_OUTPUT": str(outputs), "RUNNER_TEMP": str(tmp / "runner")}
    env.pop("CSWORK_METRICS_TOKEN", None)
    result = subprocess.run(["bash", "-e", "-c", script], cwd=site, env=env, capture_output=True, text=True,
                            timeout=300)
    text = outputs.read_text() if kind == "github" else (site / "figures.env").read_text() \
        if (site / "figures.env").exists() else ""
    return result, dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_the_metrics_step_skips_stores_passes_over_and_fails_as_documented(kind, tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    files = ci_files(SITE_URLS[0])
    (tmp_path / GITHUB).parent.mkdir(parents=True)
    (tmp_path / GITHUB).write_text(files[GITHUB])
    (tmp_path / GITLAB).write_text(files[GITLAB])
    script = _pull_script(kind, tmp_path)
    site = copy_site(tmp_path / "site")
    before = sorted(p.name for p in (site / "data" / "metrics").iterdir())
    new_folder = site / "new-figures"

    # No source: nothing is pulled, and the step passes.
    assert "source:" in (site / "data" / "metrics.yaml").read_text(encoding="utf-8")
    _set_source(site, None)
    result, outputs = _run_step(kind, script, site, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "names no source" in result.stdout
    assert outputs.get("failed", outputs.get("PULL_FAILED", "false")) == "false" and "new_figures" not in outputs
    assert sorted(p.name for p in (site / "data" / "metrics").iterdir()) == before

    # New figures: stored, and set aside for the commit that keeps them.
    (site / "figures.json").write_text(json.dumps(NEW_FIGURES), encoding="utf-8")
    _set_source(site, "figures.json")
    result, outputs = _run_step(kind, script, site, tmp_path)
    assert result.returncode == 0, result.stderr
    stored = f"{dt.date.fromisoformat(NEW_FIGURES['as_at'])}.yaml"
    assert sorted(p.name for p in (site / "data" / "metrics").iterdir()) == sorted([*before, stored])
    assert sorted(p.name for p in new_folder.iterdir()) == [stored]
    assert (new_folder / stored).read_bytes() == (site / "data" / "metrics" / stored).read_bytes()
    if kind == "github":
        assert outputs.get("new_figures") == "true" and "failed" not in outputs
    else:
        assert outputs == {"PULL_FAILED": "false"}

    # The same figures again (the dashboard has nothing newer): no news, not a failure.
    shutil.rmtree(new_folder)
    result, outputs = _run_step(kind, script, site, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No new figures" in result.stdout
    assert "new_figures" not in outputs and outputs.get("failed", outputs.get("PULL_FAILED", "false")) == "false"
    assert not new_folder.exists() or not any(new_folder.iterdir())

    # The source is gone: the step passes (the site is still built), but says the pull failed.
    (site / "figures.json").unlink()
    result, outputs = _run_step(kind, script, site, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "figures.json" in result.stderr  # cswork's own message, shown in the log
    assert outputs.get("failed", outputs.get("PULL_FAILED")) == "true"


def test_no_news_is_told_apart_by_cswork_s_own_wording(generated):
    """The steps tell "no newer figures" from a failure by the words cswork uses for it."""
    phrase = 'grep -q "already exists"'
    assert phrase in _pull_script("github", generated) and phrase in _pull_script("gitlab", generated)
    assert "already exists" in exists_message(dt.date(2026, 9, 30))


@pytest.mark.slow
def test_the_nightly_build_withdraws_a_story_whose_consent_expired_rather_than_stopping(tmp_path):
    """The workflow's own check and build steps, run by bash: --strict stops on problems to
    fix, but expired consent is not one, so the story comes off the site that night."""
    folder = tmp_path / "generated"
    (folder / GITHUB).parent.mkdir(parents=True)
    (folder / GITHUB).write_text(ci_files(SITE_URLS[0])[GITHUB])
    scripts = _github_scripts(folder)
    steps = [scripts["build/Check the data and stories"], scripts["build/Build the site"]]
    site = copy_site(tmp_path / "site")
    story = site / "content" / "stories" / "2025-02-03-launching-our-enhanced-year-in-practice.md"
    text = story.read_text(encoding="utf-8")
    assert re.search(r"^Consent_expires: 2027-02-01$", text, re.M)
    story.write_text(text.replace("Consent_expires: 2027-02-01", "Consent_expires: 2026-10-01"), encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "SOURCE_DATE_EPOCH": EPOCH}
    for step in steps:
        result = subprocess.run(["bash", "-e", "-c", step], cwd=site, env=env, capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, f"{step}: {result.stderr}"
    assert "consent expired on 2026-10-01" in result.stderr
    upload = next(s for s in _workflow(folder)["jobs"]["build"]["steps"]
                  if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    published = site / upload["with"]["path"]
    assert (published / "index.html").is_file()
    assert not list(published.rglob("*launching-our-enhanced-year-in-practice*"))
    assert (site / "output.nginx.conf").is_file()


def test_the_gitlab_figures_job_fails_only_when_the_pull_failed(generated, tmp_path):
    """Run by sh, as the job's Alpine image would: without a push token it commits nothing
    (no git is needed), and it fails exactly when the pages job said the pull failed."""
    shell = shutil.which("sh")
    if shell is None:
        pytest.skip("no POSIX shell")
    scripts = _gitlab(generated)["figures"]["script"]
    (tmp_path / "new-figures").mkdir()
    (tmp_path / "new-figures" / "2026-10-31.yaml").write_text("as_at: 2026-10-31\n")
    for failed, expected in (("false", 0), ("true", 1)):
        env = {"PATH": os.environ.get("PATH", ""), "PULL_FAILED": failed, "CSWORK_PUSH_TOKEN": ""}
        codes = [subprocess.run([shell, "-e", "-c", s], cwd=tmp_path, env=env, capture_output=True, text=True,
                                timeout=30).returncode for s in scripts]
        assert codes[-1] == expected and all(c == 0 for c in codes[:-1]), (failed, codes)
    assert not (tmp_path / ".git").exists()
