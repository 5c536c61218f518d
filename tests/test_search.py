"""Site search: Pagefind indexes exactly the published stories, offer, pathway, practice
and job pages; the search page finds words from a story's body in a real Chromium, says
what to do without JavaScript, and never finds drafts or hidden stories."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .helpers import CONSENT_LINES, cswork, html_pages, serving, start_serve, tree_digest

# A word from the body of one demo story, in no title and on no other page.
BODY_WORD = "grandad"
BODY_STORY = "content/stories/2025-06-16-a-plan-made-around-the-kitchen-table.md"
BODY_STORY_URL = "/stories/2025/a-plan-made-around-the-kitchen-table/"
DRAFT_WORD = "quokkaspondence"
HIDDEN_WORD = "marmalizard"
INDEXED = [
    r"stories/\d{4}/[^/]+/index\.html",  # published stories (drafts are written nowhere)
    r"our-offer/(?:[^/]+/)?index\.html",  # our offer and each role
    r"careers/(?:[^/]+/)?index\.html",  # careers and each stage of the pathway
    r"our-practice/index\.html",
    r"jobs/[^/]+/index\.html",  # each job; the lists (jobs/, jobs/team/x/...) are not
    r"applying/index\.html",  # applying to us
    r"teams/[^/]+/index\.html",  # each team's page; the list of teams is not
]


def _indexed(output: Path) -> set[str]:
    found = set()
    for page in html_pages(output):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        marked = soup.find_all(attrs={"data-pagefind-body": True})
        assert len(marked) <= 1, page
        if marked:
            found.add(page.relative_to(output).as_posix())
    return found


def _search(page, base: str, word: str) -> list[str]:
    """Type word into the search box; the hrefs of the results, once the search has answered."""
    page.goto(base + "/search/")
    box = page.get_by_label("Search stories, jobs, our offer, careers and our practice")
    box.fill(word)
    status = page.locator("[data-search-status]")
    status.filter(has_text=word).wait_for(timeout=15000)
    return page.locator(".search-results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def _bundles(output: Path) -> list[Path]:
    listed = json.loads((output / "pagefind" / "shards.json").read_text())
    return [output / "pagefind" / b for b in listed["bundles"]]


def test_the_build_writes_the_search_bundles_and_index(built_demo):
    _, output = built_demo
    bundles = _bundles(output)
    # The site's own pages first, then a part for each year of stories, newest first.
    years = sorted({rel.split("/")[1] for rel in _indexed(output) if rel.startswith("stories/")}, reverse=True)
    assert [b.name for b in bundles] == ["site"] + [f"stories-{y}" for y in years]
    pages = 0
    for bundle in bundles:
        assert (bundle / "pagefind.js").is_file()
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        pages += sum(lang["page_count"] for lang in entry["languages"].values())
        assert list((bundle / "index").iterdir()) and list((bundle / "fragment").iterdir())
    assert pages == len(_indexed(output))


def test_only_stories_offer_pathway_practice_and_job_pages_are_indexed(built_demo):
    site, output = built_demo
    pages = {p.relative_to(output).as_posix() for p in html_pages(output)}
    allowed = {rel for rel in pages if any(re.fullmatch(pattern, rel) for pattern in INDEXED)}
    assert _indexed(output) == allowed
    stories = list((site / "content" / "stories").glob("*.md"))
    assert len([rel for rel in allowed if rel.startswith("stories/")]) == len(stories)
    for listing in ("index.html", "stories/index.html", "jobs/index.html", "search/index.html",
                    "testimonials/index.html", "events/index.html", "stories/tags/index.html"):
        assert listing in pages and listing not in allowed
    # What is indexed is the page's own content, not the navigation around it.
    soup = BeautifulSoup((output / BODY_STORY_URL.strip("/") / "index.html").read_text(), "html.parser")
    body = soup.find(attrs={"data-pagefind-body": True})
    assert body.find_parent("main") is not None and body.find("nav") is None


@pytest.mark.slow
def test_typing_a_word_from_a_story_body_finds_that_story(browser, built_demo):
    site, output = built_demo
    story = (site / BODY_STORY).read_text(encoding="utf-8")
    header, body = story.split("\n\n", 1)
    assert BODY_WORD not in header.lower() and BODY_WORD in body.lower()
    page = browser.new_page()
    problems: list[str] = []
    # Errors such as a refused script or style (the page's security policy); a missing file is
    # caught by its response below (the browser's own favicon request is no concern of ours).
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    with serving(output) as base:
        assert _search(page, base, BODY_WORD) == [BODY_STORY_URL]
        assert page.locator("[data-search-status]").inner_text().startswith("1 result")
        assert page.locator(".search-results mark").first.inner_text().lower().startswith(BODY_WORD)
        page.locator(f".search-results a[href='{BODY_STORY_URL}']").click()
        page.wait_for_url(base + BODY_STORY_URL)
        # A search can be linked to, and works through the policy on the page (no inline script).
        page.goto(base + f"/search/?q={BODY_WORD}")
        page.locator(f".search-results a[href='{BODY_STORY_URL}']").wait_for(timeout=15000)
        assert page.get_by_label("Search stories, jobs, our offer, careers and our practice").input_value() == BODY_WORD
        assert not [u for u in requested if not u.startswith(base)], "search loads nothing from elsewhere"
    page.close()
    assert problems == []


@pytest.mark.slow
def test_without_javascript_the_search_page_says_so_and_links_to_the_lists(browser, built_demo):
    _, output = built_demo
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    with serving(output) as base:
        page.goto(base + "/search/")
        note = page.locator("[data-search-nojs]")
        assert note.is_visible() and "needs JavaScript" in note.inner_text()
        assert not page.locator("form[role=search]").is_visible()
        for href in ("/stories/", "/jobs/", "/our-offer/", "/careers/"):
            assert page.locator(f"main a[href='{href}']").is_visible(), href
    context.close()


def test_search_is_in_the_main_navigation_last(built_demo):
    _, output = built_demo
    soup = BeautifulSoup((output / "index.html").read_text(), "html.parser")
    last = soup.select("nav.site-nav a")[-1]
    assert last.get_text(strip=True) == "Search" and last["href"] == "/search/"


@pytest.fixture(scope="module")
def with_draft_and_hidden(tmp_path_factory) -> Path:
    from .helpers import copy_site

    site = copy_site(tmp_path_factory.mktemp("search") / "site")
    stories = site / "content" / "stories"
    (stories / "2025-05-10-not-ready-yet.md").write_text(
        f"Title: Not ready yet\nDate: 2025-05-10\nSummary: A draft.\nKind: career story\n{CONSENT_LINES}"
        f"Status: draft\n\nThe {DRAFT_WORD} of this story is not for the public yet.\n")
    (stories / "2025-05-11-for-one-link.md").write_text(
        f"Title: For one link\nDate: 2025-05-11\nSummary: A hidden story.\nKind: career story\n{CONSENT_LINES}"
        f"Status: hidden\n\nThe {HIDDEN_WORD} in this story is shared by link only.\n")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.slow
def test_drafts_and_hidden_stories_are_never_found(browser, with_draft_and_hidden):
    output = with_draft_and_hidden / "output"
    hidden = output / "stories" / "2025" / "for-one-link" / "index.html"
    assert hidden.is_file() and "data-pagefind-body" not in hidden.read_text()
    assert not (output / "stories" / "2025" / "not-ready-yet").exists()
    page = browser.new_page()
    with serving(output) as base:
        assert _search(page, base, DRAFT_WORD) == []
        assert page.locator("[data-search-status]").inner_text().startswith("No results")
        assert _search(page, base, HIDDEN_WORD) == []
        assert _search(page, base, BODY_WORD) == [BODY_STORY_URL]  # the index works
    page.close()


@pytest.mark.slow
def test_a_draft_in_the_preview_is_not_indexed(with_draft_and_hidden):
    from .helpers import http_get

    proc, base = start_serve(with_draft_and_hidden)
    try:
        draft = http_get(base + "/stories/drafts/not-ready-yet/")
        assert DRAFT_WORD in draft and "data-pagefind-body" not in draft
        assert "data-pagefind-body" in http_get(base + BODY_STORY_URL)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize("broken", ["missing", "failing"])
@pytest.mark.slow
def test_a_failing_indexer_is_a_clean_error_and_keeps_the_old_site(site, tmp_path, broken):
    assert cswork("build", str(site)).returncode == 0
    before = tree_digest(site / "output")
    story = site / BODY_STORY
    story.write_text(story.read_text() + "\nOne more line, so that its year is indexed again.\n")
    program = tmp_path / "pagefind"
    if broken == "failing":
        program.write_text("#!/bin/sh\necho 'Error: the index could not be written' >&2\nexit 1\n")
        program.chmod(program.stat().st_mode | stat.S_IXUSR)
    result = cswork("build", str(site), env={"PAGEFIND_BINARY_PATH": str(program)})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stderr.startswith("cswork: the search index was not built: ")
    if broken == "failing":
        assert "Error: the index could not be written" in result.stderr
    assert tree_digest(site / "output") == before, "output/ must be left exactly as it was"


@pytest.mark.slow
def test_a_changed_story_reindexes_its_own_year_and_search_finds_it(browser, site):
    assert cswork("build", str(site)).returncode == 0
    output = site / "output"
    inodes = {b.name: (b / "pagefind.js").stat().st_ino for b in _bundles(output)}
    story = site / BODY_STORY
    story.write_text(story.read_text() + "\nOur new wombatician joined the team this week.\n")
    assert cswork("build", str(site)).returncode == 0
    after = {b.name: (b / "pagefind.js").stat().st_ino for b in _bundles(output)}
    assert after.keys() == inodes.keys()
    # The story's year was indexed anew; every other part was kept from the last build.
    changed = {name for name in after if after[name] != inodes[name]}
    assert changed == {"stories-2025"}
    page = browser.new_page()
    with serving(output) as base:
        assert _search(page, base, "wombatician") == [BODY_STORY_URL]
        # A word from a page in the kept "site" part (the practice framework) is still found.
        assert "/our-practice/" in _search(page, base, "Bridge")
    page.close()
