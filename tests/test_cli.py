"""The command line as a user meets it: help, exit codes, outputs, and plain Pelican."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .helpers import (
    CONSENT_LINES,
    EPOCH,
    cswork,
    http_get,
    start_serve,
    tree_digest,
    wait_for_version,
)

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["serve", "--help"], ["check", "--help"]])
def test_help_reads_well(args):
    result = cswork(*args)
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: cswork")
    assert "SITE_DIR" in result.stdout
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(tmp_path):
    assert cswork("no-such-command").returncode == 2
    missing = cswork("build", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    empty = cswork("build", str(tmp_path))
    assert empty.returncode == 2
    assert "pelicanconf.py:1: (file): is missing" in empty.stderr


def test_check_writes_nothing_and_exits_0_when_clean(site):
    result = cswork("check", str(site))
    assert result.returncode == 0, result.stderr
    assert "No problems found." in result.stdout
    assert not (site / "output").exists()


def test_check_exits_1_on_problems_and_lists_them_all(site):
    offer = site / "data" / "offer.yaml"
    offer.write_text(offer.read_text().replace("group: social work", "group: social wurk", 1))
    careers = site / "data" / "careers.yaml"
    careers.write_text("summary: x\nstages: []\n")
    result = cswork("check", str(site))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("data/")]
    assert any(line.startswith("data/offer.yaml:") and ".group:" in line for line in lines)
    assert any(line.startswith("data/careers.yaml:2: stages:") for line in lines)
    assert not (site / "output").exists()


def test_build_into_chosen_folder_and_say_where_to_open(site, tmp_path):
    out = tmp_path / "elsewhere"
    result = cswork("build", str(site), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file() and (out / "our-offer" / "index.html").is_file()
    pages = sum(1 for _ in out.rglob("*.html"))
    assert f"Built {pages} pages into " in result.stdout and "http://127.0.0.1:8000/" in result.stdout
    assert not (site / "output").exists()


def test_build_defaults_to_current_folder(site):
    result = cswork("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "output" / "index.html").is_file()


def test_build_refuses_to_replace_a_folder_it_did_not_make(site, tmp_path):
    precious = tmp_path / "my-documents"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    result = cswork("build", str(site), "-o", str(precious))
    assert result.returncode == 2
    assert "not made by cswork" in result.stderr
    assert (precious / "notes.txt").read_text() == "mine"


def test_rebuild_replaces_output_whole(site):
    assert cswork("build", str(site)).returncode == 0
    stray = site / "output" / "stray.html"
    stray.write_text("<p>left from an old build</p>")
    assert cswork("build", str(site)).returncode == 0
    assert not stray.exists()
    assert not list(site.glob(".output.building-*")), "no half-built folders are left behind"


def test_build_date_comes_from_source_date_epoch(site):
    result = cswork("build", str(site), env={"SOURCE_DATE_EPOCH": "1794992400"})  # 18 Nov 2026, 09:00
    assert result.returncode == 0, result.stderr
    footer = BeautifulSoup((site / "output" / "index.html").read_text(), "html.parser").find("footer")
    assert "Page built 18 November 2026" in footer.get_text(" ")
    bad = cswork("build", str(site), env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert bad.returncode == 2
    assert "SOURCE_DATE_EPOCH" in bad.stderr and "Traceback" not in bad.stderr


def test_plain_pelican_builds_the_same_site(site):
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    pelican = Path(sys.executable).parent / "pelican"
    result = subprocess.run([str(pelican), "content", "-s", "pelicanconf.py", "-o", "plain-output"],
                            cwd=site, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert cswork("build", str(site)).returncode == 0
    plain, ours = tree_digest(site / "plain-output"), tree_digest(site / "output")
    ours.pop(".cswork-output")
    assert plain.keys() == ours.keys()
    assert plain == ours


def test_plain_pelican_reports_bad_data_in_our_format(site):
    service = site / "data" / "service.yaml"
    service.write_text(service.read_text().replace("region: South East", "region: South East\nregion: North", 1))
    pelican = Path(sys.executable).parent / "pelican"
    result = subprocess.run([str(pelican), "content", "-s", "pelicanconf.py", "-o", "plain-output"],
                            cwd=site, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert re.search(r"^data/service\.yaml:\d+: region: duplicate key", result.stdout + result.stderr, re.M)


def test_folder_urls_keep_tag_pages_apart(site):
    """Page 2 of tag u1 must not overwrite tag u12, as Pelican's default pattern would."""
    stories = site / "content" / "stories"
    for n in range(12):
        (stories / f"2025-01-{n + 1:02d}-u1-{n}.md").write_text(
            f"Title: Story u1 number {n}\nDate: 2025-01-{n + 1:02d}\nSummary: A test story.\n"
            f"Kind: news\nTags: u1\n{CONSENT_LINES}\nBody text {n}.\n")
    (stories / "2025-02-01-u12.md").write_text(
        "Title: The u12 story\nDate: 2025-02-01\nSummary: A test story.\nKind: news\nTags: u12\n"
        + CONSENT_LINES + "\nBody.\n")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    out = site / "output" / "stories" / "tag"
    page2 = (out / "u1" / "page" / "2" / "index.html").read_text()
    assert "Story u1 number 1" in page2
    assert 'rel="prev" href="/stories/tag/u1/"' in page2
    assert 'rel="next" href="/stories/tag/u1/page/2/"' in (out / "u1" / "index.html").read_text()
    u12 = (out / "u12" / "index.html").read_text()
    assert "The u12 story" in u12 and "Story u1 number" not in u12


def test_serve_binds_loopback_rebuilds_on_change_and_shows_problems(site):
    proc, base = start_serve(site)
    try:
        assert base.startswith("http://127.0.0.1:")
        home = http_get(base + "/")
        assert "/__cswork/reload.js" in home
        version = json.loads(http_get(base + "/__cswork/version"))["version"]
        service = site / "data" / "service.yaml"
        text = service.read_text()
        service.write_text(re.sub(r"^tagline: .*$", "tagline: Freshly changed tagline", text, count=1, flags=re.M))
        version = wait_for_version(base, version)
        assert "Freshly changed tagline" in http_get(base + "/")
        # A broken edit keeps the last good site and shows the problem at the top of the page.
        service.write_text(re.sub(r"^region: .*$", "region: [", text, count=1, flags=re.M))
        wait_for_version(base, version)
        page = http_get(base + "/")
        assert "Freshly changed tagline" in page
        assert "data/service.yaml, line" in page and "could not be built" in page
        with pytest.raises(urllib.error.HTTPError) as missing:
            http_get(base + "/no-such-page/")
        assert missing.value.code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_reloads_the_open_page_in_a_browser(site, browser):
    proc, base = start_serve(site)
    try:
        page = browser.new_page()
        page.goto(base + "/our-practice/")
        service = site / "data" / "practice.yaml"
        text = service.read_text()
        service.write_text(re.sub(r"^name: .*$", "name: The Reloaded Framework", text, count=1, flags=re.M))
        # A locator, not wait_for_function: the page's security policy forbids evaluating strings.
        page.locator("h1", has_text="The Reloaded Framework").wait_for(timeout=120_000)
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_draft_story_builds_but_is_published_nowhere(site):
    story = site / "content" / "stories" / "2025-03-03-draft-test.md"
    story.write_text("Title: A draft not yet approved\nDate: 2025-03-03\nSummary: Not ready.\n"
                     "Kind: news\nTags: draft-only-tag\nStatus: draft\n" + CONSENT_LINES + "\nSecret words.\n")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    everything = "".join(p.read_text(errors="ignore") for p in (site / "output").rglob("*") if p.is_file())
    assert "A draft not yet approved" not in everything and "draft-only-tag" not in everything
    bad = story.read_text().replace("Status: draft", "Status: pending")
    story.write_text(bad)
    result = cswork("check", str(site))
    assert result.returncode == 1
    assert ("content/stories/2025-03-03-draft-test.md:6: status: expected 'published', 'draft' or 'hidden'"
            in result.stderr)


def test_gate_withdraws_expired_and_unapproved_testimonials_with_a_warning(site):
    items = site / "data" / "testimonials.yaml"
    text = items.read_text()
    first_expiry = re.search(r"expires: (\S+)", text).group(1)
    text = text.replace(f"expires: {first_expiry}", "expires: 2026-10-01", 1)  # before the build date
    items.write_text(text)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^data/testimonials\.yaml:\d+: testimonials\[0\]\.consent\.expires: note: "
                     r"testimonial '[a-z-]+' consent expired on 2026-10-01, so it is withdrawn", result.stderr, re.M)
    import yaml
    first = yaml.safe_load(text)["testimonials"][0]
    everything = "".join(p.read_text() for p in (site / "output").rglob("*.html"))
    assert " ".join(first["quote"].split())[:60] not in " ".join(everything.split())


def test_new_story_skeleton_is_a_draft_that_says_what_is_missing(site):
    result = cswork("new", "story", "My first week here", "--kind", "career story", "--site", str(site))
    assert result.returncode == 0, result.stderr
    path = site / "content" / "stories" / "2026-11-01-my-first-week-here.md"
    text = path.read_text()
    for key in ("Title", "Date", "Summary", "Kind", "Tags", "Consent_given_by", "Consent_date", "Consent_scope",
                "Consent_expires", "Consent_reference", "Approved_by", "Approved_on", "Pseudonyms", "Status"):
        assert re.search(rf"^{key}:", text, re.M), key
        assert re.search(rf"^{key}: .+", text.split("cswork hints:")[1], re.M), f"no hint for {key}"
    check = cswork("check", str(site))
    assert check.returncode == 1
    assert "2026-11-01-my-first-week-here.md:3: summary: warning: still has the hint text" in check.stderr
    assert "consent is not recorded yet" in check.stderr and "approval is not recorded yet" in check.stderr
    assert cswork("build", str(site)).returncode == 0
    assert "My first week here" not in (site / "output" / "stories" / "index.html").read_text()
    again = cswork("new", "story", "My first week here", "--site", str(site))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert path.read_text() == text, "an existing story is never overwritten"


def test_serve_shows_drafts_with_a_banner_and_each_page_its_own_problems(site):
    made = cswork("new", "story", "Half written", "--site", str(site))
    assert made.returncode == 0, made.stderr
    proc, base = start_serve(site)
    try:
        draft = http_get(base + "/stories/drafts/half-written/")
        assert "DRAFT" in draft
        assert "to fix on this page" in draft
        assert "2026-11-01-half-written.md, line 3</strong> (summary): still has the hint text" in draft
        assert "consent is not recorded yet" in draft
        other = http_get(base + "/stories/2025/launching-our-enhanced-year-in-practice/")
        assert "half-written" not in other and "more problems in other stories" in other
        # A testimonial without approval shows in the preview, marked as a draft.
        items = site / "data" / "testimonials.yaml"
        version = json.loads(http_get(base + "/__cswork/version"))["version"]
        items.write_text(re.sub(r"(?m)^    approval:\n      approver_role: .*\n      date: .*\n", "",
                                items.read_text(), count=1))
        wait_for_version(base, version)
        preview = http_get(base + "/testimonials/")
        assert preview.count("DRAFT") == 1
        # A real build never writes the drafts anywhere.
        assert cswork("build", str(site), "-o", str(site / "real")).returncode == 0
        assert not (site / "real" / "stories" / "drafts").exists()
        assert "DRAFT" not in (site / "real" / "testimonials" / "index.html").read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_new_story_previews_without_empty_placeholders(site):
    assert cswork("new", "story", "Blank lines", "--site", str(site)).returncode == 0
    proc, base = start_serve(site)
    try:
        page = BeautifulSoup(http_get(base + "/stories/drafts/blank-lines/"), "html.parser")
        meta = " ".join(page.select_one(".story__meta").get_text().split())
        assert "by our" not in meta and not re.search(r"\s\.", meta)
        assert page.find("h2", string="Related") is None
    finally:
        proc.terminate()
        proc.wait(timeout=20)
