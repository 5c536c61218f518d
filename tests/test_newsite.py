"""`cswork init` through the real command line: a council that is not the demo starts a
site, builds it and finds nothing of the demo in it; answers of every shape; nothing a
user has is replaced; and the package, built as a wheel and installed into a new virtual
environment, does all of it with nothing from this repository."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import EPOCH, PACKAGE_THEME, REPO, cswork, html_pages, tree_digest

LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
NORTHFIELD = ["--council", "Northfield Borough Council", "--service", "Northfield Children's Services",
              "--url", "https://careers.northfield.gov.uk", "--email", "socialworkjobs@northfield.gov.uk"]
DEMO_WORD = re.compile(r"castlebrook", re.IGNORECASE)


def _example_lines(site: Path) -> set[tuple[str, int]]:
    """Every line of a data file that holds EXAMPLE outside a whole-line comment, found
    here by reading the files, not by cswork."""
    found = set()
    for path in sorted((site / "data").rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\bEXAMPLE\b", line) and not line.lstrip().startswith("#"):
                found.add((path.relative_to(site).as_posix(), number))
    return found


def _text_files(output: Path):
    for path in sorted(output.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".css", ".js", ".txt", ".ics", ".svg", ""}:
            yield path, path.read_text(encoding="utf-8", errors="replace")


def _assert_nothing_of_the_demo(output: Path) -> None:
    leaks = [path.relative_to(output).as_posix() for path, text in _text_files(output) if DEMO_WORD.search(text)]
    assert not leaks, f"the demo council reached {leaks}"


@pytest.mark.slow
def test_a_new_council_starts_builds_and_finds_only_its_own_name(tmp_path: Path) -> None:
    site = tmp_path / "northfield"
    result = cswork("init", str(site), *NORTHFIELD, "--colour", "#2a6f3b")
    assert result.returncode == 0, result.stderr
    assert "Started a site for Northfield Borough Council" in result.stdout
    for needed in ("pelicanconf.py", "publishconf.py", ".gitignore", "README.md", "data/service.yaml",
                   "content/images/logo.svg"):
        assert (site / needed).is_file(), needed
    assert not (site / "theme").exists()  # the theme comes from the package
    stories = list((site / "content" / "stories").glob("*.md"))
    assert len(stories) == 1 and "Status: draft" in stories[0].read_text()

    build = cswork("build", str(site))
    assert build.returncode == 0, build.stderr
    output = site / "output"
    home = BeautifulSoup((output / "index.html").read_text(), "html.parser")
    assert "Northfield" in home.title.get_text()
    privacy = BeautifulSoup((output / "privacy" / "index.html").read_text(), "html.parser")
    assert "Northfield Borough Council" in privacy.get_text()
    _assert_nothing_of_the_demo(output)
    # The example story is a draft: it is never published.
    assert "EXAMPLE: the first story" not in "".join(t for _, t in _text_files(output))

    production = cswork("build", str(site), "--production", "-o", str(tmp_path / "public"))
    assert production.returncode == 0, production.stderr
    assert "https://careers.northfield.gov.uk/" in (tmp_path / "public" / "sitemap.xml").read_text()
    _assert_nothing_of_the_demo(tmp_path / "public")

    # Every value cswork made up is reported, at its line, once; nothing else is a warning.
    check = cswork("check", str(site))
    assert check.returncode == 1
    lines = [LINE.match(line) for line in check.stderr.splitlines() if LINE.match(line)]
    examples = {(m["path"], int(m["line"])) for m in lines if "cswork init made up" in m["message"]}
    assert examples == _example_lines(site)
    assert len(examples) == len([m for m in lines if "cswork init made up" in m["message"]])
    assert cswork("build", str(site), "--strict").returncode == 2


@pytest.mark.slow
def test_a_site_with_every_example_replaced_has_nothing_left_to_fix(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert cswork("init", str(site), *NORTHFIELD).returncode == 0
    for path in (site / "data").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        # What an HR lead does: write their own words over each example.
        text = re.sub(r"\s*# EXAMPLE:[^\n]*", "", text)
        text = text.replace("EXAMPLE: ", "Our own words: ")
        path.write_text(text, encoding="utf-8")
    for story in (site / "content" / "stories").glob("*.md"):
        story.unlink()
    check = cswork("check", str(site))
    assert check.returncode == 0, check.stderr
    assert cswork("build", str(site), "--strict").returncode == 0


NAMES = [
    ("Cyngor Sir Ynys Môn", "Gwasanaethau Plant Ynys Môn", "https://gwaith.ynysmon.llyw.cymru/careers/", "wales",
     "#f0e68c"),
    ('O\'Brien: "Test" #1 Council', "Services: for children & families", "https://careers.example-council.gov.uk",
     "england", "#000000"),
    ("St Mary's City Council", "Children's Services {{ not a template }}", "https://jobs.stmarys.gov.uk",
     "england", "#FFFFFF"),
]


@pytest.mark.slow
@pytest.mark.parametrize("council,service,url,nation,colour", NAMES)
def test_answers_of_every_shape_are_kept_as_written(tmp_path: Path, council, service, url, nation, colour) -> None:
    site = tmp_path / "site"
    result = cswork("init", str(site), "--council", council, "--service", service, "--url", url,
                    "--email", "jobs@council.gov.uk", "--nation", nation, "--colour", colour)
    assert result.returncode == 0, result.stderr
    service_yaml = yaml.safe_load((site / "data" / "service.yaml").read_text(encoding="utf-8"))
    assert service_yaml["authority"] == council and service_yaml["service"] == service
    assert service_yaml["brand"]["primary"] == colour.lower()
    build = cswork("build", str(site))  # the colour contrast checks pass for any colour
    assert build.returncode == 0, build.stderr
    privacy = BeautifulSoup((site / "output" / "privacy" / "index.html").read_text(), "html.parser")
    assert council in privacy.get_text()
    assert service in BeautifulSoup((site / "output" / "index.html").read_text(), "html.parser").title.get_text()
    regulator = "Social Care Wales" if nation == "wales" else "Social Work England"
    assert regulator in (site / "data" / "careers.yaml").read_text()


@pytest.mark.slow
def test_init_never_replaces_a_file_and_writes_nothing_when_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "data" / "offer.yaml").write_text("mine: true\n")
    (site / "notes.txt").write_text("my notes\n")
    before = tree_digest(site)
    result = cswork("init", str(site), *NORTHFIELD)
    assert result.returncode == 2
    assert "data/offer.yaml" in result.stderr and "never replaces" in result.stderr
    assert "Traceback" not in result.stderr and "fault in cswork" not in result.stderr
    assert tree_digest(site) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left behind

    # Into a folder that already has other things (a new git repository): fine.
    (site / "data" / "offer.yaml").unlink()
    result = cswork("init", str(site), *NORTHFIELD)
    assert result.returncode == 0, result.stderr
    assert (site / "notes.txt").read_text() == "my notes\n"


@pytest.mark.slow
def test_bad_answers_are_each_told_and_nothing_is_written(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = cswork("init", str(site), "--council", " ", "--service", "x" * 201, "--url", "http://insecure.gov.uk",
                    "--email", "not-an-address", "--colour", "teal")
    assert result.returncode == 2
    said = [line for line in result.stderr.splitlines() if line.startswith("cswork: --")]
    assert [line.split(":")[1].strip() for line in said] == ["--council", "--service", "--url", "--email", "--colour"]
    assert not site.exists()
    missing = cswork("init", str(site), "--council", "Northfield Borough Council")
    assert missing.returncode == 2 and "--service, --url, --email" in missing.stderr
    assert not site.exists()


@pytest.mark.slow
def test_init_asks_its_questions_in_a_terminal(tmp_path: Path) -> None:
    site = tmp_path / "asked"
    answers = ["Westmoor County Council", "Westmoor Children's Services", "https://careers.westmoor.gov.uk",
               "jobs@westmoor.gov.uk", "", "#5b2a86"]  # "" takes the default nation
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "cswork_site", "init", str(site)], stdin=secondary,
                            stdout=secondary, stderr=secondary, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
                            close_fds=True)
    os.close(secondary)
    said = b""
    deadline = time.monotonic() + 120
    try:
        for answer in answers:
            asked = said.count(b": ")
            while said.count(b": ") == asked and time.monotonic() < deadline:
                ready, _, _ = select.select([primary], [], [], 1)
                if ready:
                    said += os.read(primary, 4096)
            os.write(primary, answer.encode() + b"\n")
        while proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 1)
            if ready:
                try:
                    said += os.read(primary, 4096)
                except OSError:
                    break
        proc.wait(timeout=60)
    finally:
        os.close(primary)
        if proc.poll() is None:
            proc.kill()
    text = said.decode(errors="replace")
    assert proc.returncode == 0, text
    assert "Your council's full name" in text and "Nation" in text
    service = yaml.safe_load((site / "data" / "service.yaml").read_text())
    assert service["authority"] == "Westmoor County Council" and service["short_name"] == "Westmoor"
    assert service["brand"]["primary"] == "#5b2a86"
    assert "Social Work England" in (site / "data" / "careers.yaml").read_text()


# --- the package as a council installs it -------------------------------------------------

# What a checkout may hold beside the source, at its top only (cswork_site/output/ and
# cswork_site/build/ are packages).
_NOT_SOURCE = {".git", ".venv", "output", ".cswork-cache", "build", "dist", ".mypy_cache", ".ruff_cache",
               ".pytest_cache", ".docs-site", "public"}


def _not_packaged(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == REPO
    return {n for n in names if n == "__pycache__" or n.endswith(".egg-info") or (top and n in _NOT_SOURCE)}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The package built as a wheel, from a copy of the repository (so nothing is built in it)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=_not_packaged)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"),
                            str(source)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    (found,) = (work / "dist").glob("cswork_site-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_holds_the_theme_the_starter_and_nothing_of_the_demo(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "cswork_site"
    for folder in (PACKAGE_THEME, package / "newsite" / "files", package / "assets"):
        for path in folder.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert path.relative_to(REPO).as_posix() in names, path
    assert not [n for n in names if n.split("/")[0] in {"tests", "data", "content", "docs", "benchmarks"}]
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Classifier: Framework :: Pelican :: Plugins" in text
    assert re.search(r"^Requires-Dist: pelican<5,>=4\.11", text, re.M), text


@pytest.mark.slow
def test_a_council_with_only_pip_starts_builds_and_previews_its_site(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    work = tmp_path / "work"  # not the repository: nothing of it is on the path
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(venv / "bin" / "cswork"), *args], cwd=work, env=env, capture_output=True,
                              text=True, timeout=600)

    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import cswork_site; print(cswork_site.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    version = run("--version")
    assert re.fullmatch(r"cswork \S+ \(Pelican \S+\)\n", version.stdout), version.stdout
    assert run("init", "site", *NORTHFIELD).returncode == 0
    build = run("build", "site")
    assert build.returncode == 0, build.stderr
    output = work / "site" / "output"
    assert len(html_pages(output)) > 15
    _assert_nothing_of_the_demo(output)
    assert "Northfield" in (output / "index.html").read_text()

    serve = subprocess.Popen([str(venv / "bin" / "cswork"), "serve", "site", "--port", "0"], cwd=work, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = None
        deadline = time.monotonic() + 120
        while base is None and time.monotonic() < deadline and serve.poll() is None:
            match = re.search(r"Serving on (http://127\.0\.0\.1:\d+)/", serve.stdout.readline())
            base = match.group(1) if match else None
        assert base, "the preview did not start"
        with urllib.request.urlopen(base + "/", timeout=30) as response:
            assert "Northfield" in response.read().decode()
    finally:
        serve.terminate()
        serve.wait(timeout=30)


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_the_starter_is_a_valid_site_and_valid_to_an_editor(tmp_path: Path, nation: str) -> None:
    """Without a build: every data file passes cswork's checks (warnings only: the
    EXAMPLE values) and its own schema, which its first line names."""
    import datetime as dt
    import json

    from cswork_site.build.check import check_site
    from cswork_site.data.schema import SCHEMA_FILES, schema_comment
    from cswork_site.newsite import Answers, starter_files, write_site

    from .test_schema import _as_editor_reads, _errors

    answers = Answers("Northfield Borough Council", "Northfield Children's Services",
                      "https://careers.northfield.gov.uk", "jobs@northfield.gov.uk", nation, "#2a6f3b")
    site = tmp_path / "site"
    write_site(site, starter_files(answers, dt.date(2026, 12, 2)))
    data, problems = check_site(site)
    assert data is not None and not [p for p in problems if p.is_error], problems
    settings = json.loads((site / ".vscode" / "settings.json").read_text())["yaml.schemas"]
    for file in SCHEMA_FILES:
        assert (site / file.relpath).is_file()
        assert settings[f"./{file.relpath}"] == file.glob
        schema = json.loads((site / file.relpath).read_text())
        for path in sorted(site.glob(file.glob)):
            text = path.read_text(encoding="utf-8")
            assert text.splitlines()[0] == schema_comment(path.relative_to(site).as_posix())
            value = yaml.safe_load(text)
            if value is not None:  # a file of comments only is not in use
                assert _errors(schema, _as_editor_reads(value)) == [], path


@pytest.mark.slow
@pytest.mark.parametrize("chosen", [("github",), ("gitlab", "docker"), ("github", "gitlab", "docker")])
def test_init_writes_the_publishing_examples_asked_for_and_they_are_valid(tmp_path: Path, chosen) -> None:
    from cswork_site.newsite.ci import ci_files

    from .test_ci_templates import _check_schema

    site = tmp_path / "site"
    result = cswork("init", str(site), *NORTHFIELD, *[arg for c in chosen for arg in ("--ci", c)])
    assert result.returncode == 0, result.stderr
    expected = {"github": ".github/workflows/publish.yml", "gitlab": ".gitlab-ci.yml", "docker": "Dockerfile"}
    every = ci_files("https://careers.northfield.gov.uk")
    for name, rel in expected.items():
        assert (site / rel).is_file() == (name in chosen), rel
        if name in chosen:
            assert (site / rel).read_text() == every[rel]
    if "github" in chosen:
        assert _check_schema("vendor.github-workflows", site / expected["github"]).returncode == 0
    if "gitlab" in chosen:
        assert _check_schema("vendor.gitlab-ci", site / expected["gitlab"]).returncode == 0
