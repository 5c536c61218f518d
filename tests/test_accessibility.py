"""Every generated page in a real Chromium: axe-core (WCAG 2.0/2.1/2.2 A and AA) finds
nothing, pages work without JavaScript and by keyboard, fit 320 px and 200% zoom, and
make no request to any origin but the site's own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import (
    assert_no_axe_violations,
    axe_violations,
    cswork,
    html_pages,
    nu_check,
    page_url,
    serving,
    start_serve,
)

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser



@pytest.fixture(scope="module")
def demo_server(built_demo):
    _, output = built_demo
    with serving(output) as base:
        yield base, output


def _paths(output: Path) -> list[str]:
    return [page_url(output, p) for p in html_pages(output)]


def test_every_page_has_no_axe_violations(browser, demo_server):
    base, output = demo_server
    paths = _paths(output)
    assert len(paths) > 30, "the demo site should have many pages"
    assert_no_axe_violations(browser, base, paths)


def test_every_page_of_a_new_site_has_no_axe_violations(browser, built_starter):
    """A site as `cswork init` starts it: mostly empty lists and example values."""
    _, output = built_starter
    with serving(output) as base:
        assert_no_axe_violations(browser, base, _paths(output))


def test_preview_pages_with_draft_and_problem_banners_have_no_axe_violations(browser, site):

    assert cswork("new", "story", "Preview check", "--site", str(site)).returncode == 0
    proc, base = start_serve(site)
    try:
        page = browser.new_page()
        found = {}
        for path in ("/stories/drafts/preview-check/", "/", "/testimonials/"):
            page.goto(base + path)
            assert page.locator(".preview-banner").count() == 1
            if violations := axe_violations(page):
                found[path] = violations
        page.close()
        assert found == {}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_pages_work_without_javascript_and_request_nothing_from_elsewhere(browser, demo_server):
    base, output = demo_server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for path in _paths(output):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert page.locator("main h1").count() == 1, f"{path} should have exactly one h1 in main"
        assert page.locator("main").inner_text().strip(), f"{path} shows no content without JavaScript"
    context.close()
    foreign = sorted({u for u in requested if not u.startswith(base)})
    assert foreign == []
    assert any(u.endswith(".css") for u in requested), "stylesheets should load from the site itself"


@pytest.mark.parametrize("width", [320, 640])  # 640 CSS px is a 1280 px window at 200% zoom
def test_no_sideways_scrolling_on_small_screens_and_zoom(browser, demo_server, width):
    base, output = demo_server
    page = browser.new_page(viewport={"width": width, "height": 800})
    overflowing = []
    for path in _paths(output):
        page.goto(base + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            overflowing.append((path, scroll_width))
    page.close()
    assert overflowing == []


def test_keyboard_skip_link_then_navigation(browser, demo_server):
    base, _ = demo_server
    page = browser.new_page()
    page.goto(base + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).left") == "0px", "skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # Tabbing on from the main content reaches its first link, and the focus style is visible.
    page.keyboard.press("Tab")
    tag = page.evaluate("document.activeElement.tagName")
    assert tag == "A"
    background = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert background == "rgb(255, 221, 0)", "focused links get the yellow focus state"
    page.close()


def test_every_page_in_the_main_navigation_is_reachable_by_keyboard(browser, demo_server):
    base, _ = demo_server
    page = browser.new_page()
    page.goto(base + "/")
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href')")
        if href:
            reached.add(href)
    for target in ("/our-offer/", "/careers/", "/our-practice/", "/stories/", "/testimonials/"):
        assert target in reached
    page.close()


@pytest.mark.parametrize("which", ["built_demo", "built_starter"])
def test_nu_html_checker_finds_no_errors(request, which):
    # HTML only: the checker's CSS module predates properties such as text-decoration-thickness.
    if shutil.which("java") is None:
        pytest.skip("the Nu HTML Checker needs Java")
    _, output = request.getfixturevalue(which)
    result = nu_check(output)
    assert result.returncode == 0, result.stdout + result.stderr
