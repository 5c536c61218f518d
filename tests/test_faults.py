"""Faults and odd input, through the real command line: one bad story never stops the
site; the user's settings and theme get the error contract; the machine's faults are
named as such; only a fault in cswork itself is "internal" (exit 70)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from .helpers import CONSENT_LINES, copy_site, cswork, own_theme, tree_digest

LINE = re.compile(r"^[^:\s][^:]*:\d+: \S+: .+$")
SUMMARY = re.compile(r"^cswork: |^\d+ errors?, \d+ warnings?(, \d+ notes?)?\.$")
STORY = "content/stories/2025-05-01-a-bad-story.md"
GOOD_HEAD = ("Title: A bad story\nDate: 2025-05-01\nSummary: A summary.\nKind: news\nTags: careers\n"
             "Author_role: Communications officer\n")


def _lines_ok(stderr: str) -> None:
    assert "Traceback" not in stderr
    for line in stderr.splitlines():
        assert LINE.match(line) or SUMMARY.match(line) or line.startswith("warning: "), line


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of the demo site, built once: the previous output every failure must leave."""
    site = copy_site(tmp_path_factory.mktemp("faults") / "site")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def site(built, tmp_path):
    """A fresh copy of the built site, output included, for one test to break."""
    copy = tmp_path / "site"
    subprocess.run(["cp", "-a", str(built), str(copy)], check=True)
    return copy


# --- one bad story never stops the site --------------------------------------------------

BAD_STORIES = {
    "no-kind": GOOD_HEAD.replace("Kind: news\n", ""),
    "picture-without-alt": GOOD_HEAD + "Image: content/images/walking-together.jpg\n",
    "date-that-does-not-parse": GOOD_HEAD.replace("Date: 2025-05-01", "Date: the first of May"),
    "bad-related-id": GOOD_HEAD + "Related_role: no-such-role\n",
}


@pytest.mark.parametrize("case", sorted(BAD_STORIES))
@pytest.mark.slow
def test_a_story_with_errors_is_held_back_and_the_site_builds(site, case):
    (site / STORY).write_text(BAD_STORIES[case] + CONSENT_LINES + "\nzqxbadstory text.\n")
    check = cswork("check", str(site))
    assert check.returncode == 1
    _lines_ok(check.stderr)
    assert any(line.startswith(STORY + ":") for line in check.stderr.splitlines()), check.stderr
    build = cswork("build", str(site))
    assert build.returncode == 0, build.stderr
    _lines_ok(build.stderr)
    assert "1 story held back" in build.stderr
    output = site / "output"
    assert (output / "our-offer" / "index.html").is_file() and (output / "jobs" / "index.html").is_file()
    assert not any("zqxbadstory" in p.read_text(errors="replace") for p in output.rglob("*.html"))
    strict = cswork("build", "--strict", str(site))
    assert strict.returncode == 2
    _lines_ok(strict.stderr)


@pytest.mark.slow
def test_an_expired_job_goes_even_while_a_story_is_unfinished(site):
    """The reason this matters: a job past its closing date must come down at the next build."""
    (site / STORY).write_text(BAD_STORIES["no-kind"] + "\nUnfinished.\n")
    jobs = site / "data" / "vacancies.yaml"
    text = jobs.read_text()
    # The first job: posted and closed before the build date (2026-11-01).
    posted = re.search(r"posted: (\d{4}-\d{2}-\d{2})", text).group(1)
    closes = re.search(r"closes: (\d{4}-\d{2}-\d{2})", text).group(1)
    text = text.replace(f"posted: {posted}", "posted: 2026-09-01", 1)
    jobs.write_text(text.replace(f"closes: {closes}", "closes: 2026-10-01", 1))
    before = {p.name for p in (site / "output" / "jobs").iterdir()}
    build = cswork("build", str(site))
    assert build.returncode == 0, build.stderr
    after = {p.name for p in (site / "output" / "jobs").iterdir()}
    assert len(after) == len(before) - 1


@pytest.mark.slow
def test_an_error_in_a_data_file_still_stops_the_build(site):
    before = tree_digest(site / "output")
    offer = site / "data" / "offer.yaml"
    offer.write_text(offer.read_text().replace("pay_year:", "pay_yeer:", 1))
    build = cswork("build", str(site))
    assert build.returncode == 2
    _lines_ok(build.stderr)
    assert tree_digest(site / "output") == before


@pytest.mark.slow
def test_a_draft_waiting_for_consent_is_a_note_not_a_fault(site):
    (site / STORY).write_text(GOOD_HEAD + "\nWaiting for consent.\n")
    check = cswork("check", str(site))
    assert check.returncode == 0, check.stderr
    assert any(line.startswith(STORY) and ": note: " in line for line in check.stderr.splitlines()), check.stderr
    assert "Nothing to fix" in check.stdout
    assert cswork("build", "--strict", str(site)).returncode == 0


@pytest.mark.slow
def test_strict_turns_a_warning_into_exit_2_and_writes_nothing(site):
    before = tree_digest(site / "output")
    (site / STORY).write_text(GOOD_HEAD + "Image: content/images/walking-together.jpg\nImage_alt: Three people\n"
                              + CONSENT_LINES + "\nOur team met Kieran Walsh.\n")
    assert cswork("build", str(site)).returncode == 0  # held back, the rest published
    before = tree_digest(site / "output")
    strict = cswork("build", "--strict", str(site))
    assert strict.returncode == 2
    _lines_ok(strict.stderr)
    assert tree_digest(site / "output") == before


# --- odd but valid stories ----------------------------------------------------------------

@pytest.mark.slow
def test_a_story_dated_in_the_future_waits_for_its_day(site):
    (site / "content/stories/2027-01-05-next-year.md").write_text(
        GOOD_HEAD.replace("Title: A bad story", "Title: Next year zqxfuture").replace("2025-05-01", "2027-01-05")
        + CONSENT_LINES + "\nLater.\n")
    check = cswork("check", str(site))
    assert check.returncode == 0
    assert "held back until then" in check.stderr
    assert cswork("build", str(site)).returncode == 0
    assert not any("zqxfuture" in p.read_text() for p in (site / "output").rglob("*.html"))
    later = cswork("build", str(site), env={"SOURCE_DATE_EPOCH": "1799366400"})  # 2027-01-08
    assert later.returncode == 0, later.stderr
    assert (site / "output/stories/2027/next-year-zqxfuture/index.html").is_file()


@pytest.mark.slow
def test_a_story_of_50_mb_is_held_back_at_once(site):
    path = site / STORY
    with path.open("w") as f:
        f.write(GOOD_HEAD + CONSENT_LINES + "\n")
        f.write(("A very long paragraph about supervision. " * 1000 + "\n\n") * 1250)
    assert path.stat().st_size > 50_000_000
    started = time.monotonic()
    build = cswork("build", str(site))
    assert time.monotonic() - started < 120
    assert build.returncode == 0, build.stderr
    _lines_ok(build.stderr)
    assert f"{STORY}:1: (file): is 48.9 MB" in build.stderr and "1 story held back" in build.stderr


@pytest.mark.slow
def test_emoji_titles_and_symbol_tags_build(site):
    (site / "content/stories/2025-05-01-celebrations.md").write_text(
        GOOD_HEAD.replace("Title: A bad story", "Title: 🎉🎉").replace("Tags: careers", "Tags: careers, 🎉, ★")
        + CONSENT_LINES + "\nzqxemoji party.\n")
    check = cswork("check", str(site))
    assert "no letters or digits for a web address" in check.stderr
    build = cswork("build", str(site))
    assert build.returncode == 0, build.stderr
    page = site / "output/stories/2025/celebrations/index.html"
    assert page.is_file() and "zqxemoji" in page.read_text()
    assert not (site / "output/stories/tag/index.html").exists()


# --- the user's settings and theme ---------------------------------------------------------

def _append(path: Path, text: str) -> int:
    """Append text to path; the line number it starts on."""
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines) + "\n" + text)
    return len(lines) + 1


SETTINGS_CASES = {
    "pelicanconf-syntax": ("pelicanconf.py", 'SITENAME = "unclosed\n', "(settings)", []),
    "publishconf-syntax": ("publishconf.py", "FEED_ALL_ATOM = (\n", "(settings)", ["--production"]),
    "settings-import": ("pelicanconf.py", "import no_such_module_here\n", "(settings)", []),
    "missing-theme": ("pelicanconf.py", 'THEME = "no-such-theme"\n', "THEME", []),
}


@pytest.mark.parametrize("case", sorted(SETTINGS_CASES))
@pytest.mark.slow
def test_settings_mistakes_are_reported_at_their_line(site, case):
    name, text, field, args = SETTINGS_CASES[case]
    before = tree_digest(site / "output")
    line = _append(site / name, text)
    build = cswork("build", *args, str(site))
    assert build.returncode == 2
    _lines_ok(build.stderr)
    assert re.search(rf"^{re.escape(name)}:{line}: {re.escape(field)}: ", build.stderr, re.M), build.stderr
    assert tree_digest(site / "output") == before
    if name == "pelicanconf.py":
        check = cswork("check", str(site))
        assert check.returncode == 1
        assert re.search(rf"^{re.escape(name)}:{line}: ", check.stderr, re.M), check.stderr


@pytest.mark.slow
def test_a_missing_content_folder_is_reported(site):
    before = tree_digest(site / "output")
    subprocess.run(["rm", "-r", str(site / "content")], check=True)
    build = cswork("build", str(site))
    assert build.returncode == 2
    _lines_ok(build.stderr)
    assert "content folder" in build.stderr and "pelicanconf.py:" in build.stderr
    assert tree_digest(site / "output") == before


TEMPLATE_CASES = {
    "syntax": ("offer.html", "{% if %}\n", "is not a valid template"),
    "undefined": ("offer.html", "{{ no_such_thing.attribute }}\n", "'no_such_thing' is undefined"),
    "missing-include": ("offer.html", '{% include "no-such-part.html" %}\n', "no-such-part.html"),
}


@pytest.mark.parametrize("case", sorted(TEMPLATE_CASES))
@pytest.mark.slow
def test_template_mistakes_are_reported_at_the_template_line(site, case):
    name, text, words = TEMPLATE_CASES[case]
    before = tree_digest(site / "output")
    template = own_theme(site) / "templates" / name
    source = template.read_text()
    # Inside the page's main block, so the line is rendered.
    anchor = source.index("{% block content %}") + len("{% block content %}")
    line = source[:anchor].count("\n") + 2
    template.write_text(source[:anchor] + "\n" + text + source[anchor:])
    build = cswork("build", str(site))
    assert build.returncode == 2
    _lines_ok(build.stderr)
    assert f"theme/templates/{name}:{line}: (template): " in build.stderr, build.stderr
    assert words in build.stderr
    assert tree_digest(site / "output") == before


def test_only_a_fault_in_cswork_is_internal_and_exits_70():
    """The one boundary (cli._Group) turns an exception it does not know into exit 70."""
    from cswork_site.cli import main as cli

    @cli.main.command("explode-for-test", hidden=True)
    def explode() -> None:
        raise RuntimeError("a bug")

    try:
        result = CliRunner().invoke(cli.main, ["explode-for-test"])
    finally:
        cli.main.commands.pop("explode-for-test", None)
    assert result.exit_code == 70
    assert "internal error: RuntimeError: a bug" in result.output
    assert "fault in cswork" in result.output


# --- the machine's faults --------------------------------------------------------------------

@contextlib.contextmanager
def _tmpfs(where: Path, options: str):
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        if os.environ.get("CI") or os.environ.get("CSWORK_REQUIRE_BROWSER"):
            pytest.fail(f"cannot mount a tmpfs to test with: {mounted.stderr}")
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        for _ in range(20):
            if subprocess.run(["umount", str(where)], capture_output=True).returncode == 0:
                break
            time.sleep(0.2)


@pytest.mark.slow
def test_a_full_disk_is_named_and_the_previous_output_is_kept(site, tmp_path):
    with _tmpfs(tmp_path / "small", "size=6m") as disk:
        out = disk / "out"
        first = cswork("build", str(site), "-o", str(out))
        assert first.returncode == 0, first.stderr
        before = tree_digest(out)
        (site / STORY).write_text(GOOD_HEAD + CONSENT_LINES + "\nA new story.\n")
        filler = disk / "filler"
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        filler.write_bytes(b"\0" * max(0, free - 200_000))
        second = cswork("build", str(site), "-o", str(out))
        assert second.returncode == 2, second.stderr
        _lines_ok(second.stderr)
        assert "the disk is full" in second.stderr and str(out) in second.stderr
        filler.unlink()
        assert tree_digest(out) == before
        assert not list(disk.glob(".out.building-*"))


@pytest.mark.slow
def test_a_read_only_output_folder_is_named(site, tmp_path):
    with _tmpfs(tmp_path / "ro", "ro,size=1m") as disk:
        result = cswork("build", str(site), "-o", str(disk / "out"))
        assert result.returncode == 2
        _lines_ok(result.stderr)
        assert "cannot write in" in result.stderr and "read-only" in result.stderr


@pytest.mark.slow
def test_an_unwritable_cache_is_skipped_with_a_warning(site, tmp_path):
    subprocess.run(["rm", "-rf", str(site / ".cswork-cache")], check=True)
    with _tmpfs(site / ".cswork-cache", "ro,size=1m"):
        result = cswork("build", str(site))
        assert result.returncode == 0, result.stderr
        assert "build cache" in result.stderr and "cannot be written" in result.stderr
        assert (site / "output" / "our-offer" / "index.html").is_file()


@pytest.mark.slow
def test_the_picture_cache_is_in_the_site_cache_not_where_the_command_ran(site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cswork("build", str(site), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert list(elsewhere.iterdir()) == []
    assert any((site / ".cswork-cache" / "images").iterdir())
