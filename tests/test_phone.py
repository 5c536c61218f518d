"""Phone first, measured: every page of the demo in Chromium at 320, 390, 768 and 1280 px
wide. No sideways scrolling; no text under 12 px (chart text included, measured as drawn)
and paragraphs at 16 px or more; every table fits, reflows, or scrolls in a labelled box
with its caption outside; chart labels never overlap; the menu button works by keyboard
without JavaScript. A screenshot of each page at each width is kept as a test artefact
($CSWORK_ARTIFACTS/phone, or test-artifacts/phone)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .helpers import REPO, assert_no_axe_violations, html_pages, page_url, serving

pytestmark = pytest.mark.slow  # drives a browser over every page

WIDTHS = (320, 390, 768, 1280)
NARROW = 641  # below this the navigation is behind its menu button (40.0625em)

# Everything measured on one page, in one call: the numbers the tests below judge.
MEASURE = """() => {
  const visible = (el) => {
    const s = getComputedStyle(el); return s.visibility !== 'hidden' && el.getClientRects().length > 0; };
  const hiddenByClip = (el) => { for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const r = e.getBoundingClientRect(); if (r.width <= 1 && r.height <= 1) return true; } return false; };
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TITLE'].includes(el.tagName)) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    if (range.getClientRects().length === 0 || !visible(el) || hiddenByClip(el)) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      size = size * Math.hypot(m.a, m.b);  // the size the text is drawn at, after the viewBox scales it
    }
    if (size < 12) small.push([text.slice(0, 40), Math.round(size * 10) / 10]);
  }
  const paragraphs = [];
  for (const p of document.querySelectorAll('main p')) {
    if (!visible(p) || hiddenByClip(p) || !p.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(p).fontSize);
    if (size < 16) paragraphs.push([p.textContent.trim().slice(0, 40), size]);
  }
  const tables = [];
  const width = document.documentElement.clientWidth;
  for (const t of document.querySelectorAll('table')) {
    if (!visible(t)) continue;
    const caption = t.querySelector('caption');
    const name = caption ? caption.textContent.trim().slice(0, 50) : '(no caption)';
    const reflowed = getComputedStyle(t).display === 'block';
    let box = null;
    for (let e = t.parentElement; e && e !== document.body; e = e.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) { box = e; break; }
    }
    const r = t.getBoundingClientRect();
    const fits = r.left >= -0.5 && r.right <= width + 0.5;
    let labelled = false, captionOutside = false;
    if (box) {
      const named = (id) => { const e = id && document.getElementById(id); return e ? e.textContent : ''; };
      const label = (box.getAttribute('aria-label') || '') + ' '
        + (box.getAttribute('aria-labelledby') || '').split(/\\s+/).map(named).join(' ');
      labelled = box.getAttribute('role') === 'region' && box.tabIndex >= 0 && /scroll/i.test(label);
      captionOutside = !caption || !box.contains(caption) || getComputedStyle(caption).display === 'none';
    }
    // A word broken across lines in a cell (a role name one letter a line) is a table that does not fit.
    const broken = [];
    for (const cell of t.querySelectorAll('th, td')) {
      const w = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        const words = n.textContent.trim().split(/\\s+/).filter(Boolean).length;
        if (!words) continue;
        const range = document.createRange(); range.selectNodeContents(n);
        const tops = [...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top));
        const lines = new Set(tops).size;
        if (lines > words) broken.push(n.textContent.trim().slice(0, 30));
      }
    }
    tables.push({name, reflowed, fits: fits && !box, box: !!box, labelled, captionOutside, broken});
  }
  const overlaps = [];
  let chartTexts = 0;
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const boxes = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim())
      .map((t) => [t.textContent.trim(), t.getBoundingClientRect()]);
    chartTexts += boxes.length;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) overlaps.push([a, b]);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          small, paragraphs, tables, overlaps, chartTexts};
}"""


def _artifacts() -> Path:
    base = os.environ.get("CSWORK_ARTIFACTS")
    folder = Path(base) / "phone" if base else REPO / "test-artifacts" / "phone"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def demo_paths(built_demo):
    _, output = built_demo
    paths = [page_url(output, p) for p in html_pages(output)]
    with serving(output) as base:
        yield base, paths


@pytest.fixture(scope="module")
def measured(browser, demo_paths) -> dict[int, dict[str, dict]]:
    """Every page at every width, measured once (one page object per width), with a
    screenshot of each kept."""
    base, paths = demo_paths
    folder = _artifacts()
    results: dict[int, dict[str, dict]] = {}
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        results[width] = {}
        for path in paths:
            page.goto(base + path)
            results[width][path] = page.evaluate(MEASURE)
            name = path.strip("/").replace("/", "_") or "home"
            page.screenshot(path=str(folder / f"{name}@{width}.png"), full_page=True)
        page.close()
    return results


def _each(measured, pick) -> dict:
    found = {}
    for width, pages in measured.items():
        for path, m in pages.items():
            bad = pick(m)
            if bad:
                found[f"{path} @ {width}px"] = bad
    return found


def test_there_are_many_pages_and_a_screenshot_of_each_at_each_width(measured, demo_paths):
    _, paths = demo_paths
    assert len(paths) > 30
    shots = {p.name for p in _artifacts().glob("*.png")}
    for path in paths:
        name = path.strip("/").replace("/", "_") or "home"
        assert {f"{name}@{w}.png" for w in WIDTHS} <= shots, path


def test_no_page_scrolls_sideways(measured):
    assert _each(measured, lambda m: m["scrollWidth"] if m["scrollWidth"] > m["innerWidth"] else None) == {}


def test_no_text_is_smaller_than_12px_chart_labels_included(measured):
    assert _each(measured, lambda m: m["small"]) == {}


def test_paragraphs_are_at_least_16px(measured):
    assert _each(measured, lambda m: m["paragraphs"]) == {}


def test_every_table_fits_reflows_or_scrolls_in_a_box_that_says_so(measured):
    def bad(m):
        wrong = []
        for t in m["tables"]:
            if t["broken"]:
                wrong.append((t["name"], "words broken across lines", t["broken"][:3]))
            elif not (t["fits"] or t["reflowed"] or (t["box"] and t["labelled"] and t["captionOutside"])):
                wrong.append((t["name"], t))
        return wrong
    assert _each(measured, bad) == {}
    # The wide tables of the demo do reflow on a phone (the offer's, the comparison, the charts' figures).
    phone = measured[320]
    assert all(t["reflowed"] for t in phone["/our-offer/"]["tables"])
    assert all(t["reflowed"] for t in phone["/improvement/"]["tables"])
    assert all(t["reflowed"] for t in phone["/agency-to-permanent/"]["tables"])


def test_chart_labels_never_overlap(measured):
    assert all(pages["/improvement/"]["chartTexts"] >= 4 * 10 for pages in measured.values())
    assert _each(measured, lambda m: m["overlaps"]) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_menu_button_works_by_keyboard_without_javascript(browser, demo_paths, width):
    base, _ = demo_paths
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base + "/our-offer/")
    links = page.locator("nav.site-nav a")
    toggle = page.locator("nav.site-nav summary")
    assert links.count() >= 5
    if width >= NARROW:
        # Wide screens show the whole list, with no button in the way.
        assert not toggle.is_visible()
        assert all(links.nth(i).is_visible() for i in range(links.count()))
    else:
        assert toggle.is_visible() and toggle.inner_text().strip() == "Menu"
        assert not links.first.is_visible()
        for _ in range(10):  # skip link, the service's name, then the menu button
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        page.keyboard.press("Enter")
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == links.first.get_attribute("href")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Space")
        assert not links.first.is_visible()
        # The menu is one row of height when closed: it no longer wraps to four rows.
        assert page.locator("nav.site-nav").bounding_box()["height"] < 80
    context.close()


# 1280 px is Playwright's own window, where test_accessibility runs axe on every page.
@pytest.mark.parametrize("width", [320, 390, 768])
def test_every_page_has_no_axe_violations_at_each_narrower_width(browser, demo_paths, width):
    base, paths = demo_paths
    assert_no_axe_violations(browser, base, paths, width)


# A number of four or more digits with no thousands separator. Years (1900 to 2099),
# phone numbers (digits in groups, as 01632 960000), postcodes and pay points are not counts.
BARE = re.compile(r"(?<![\d.,£\w-])\d{4,}(?![\d,\w])")
PHONE = re.compile(r"(?:\+44\s?|0)\d{2,4}(?:\s\d{3,4}){1,2}")


def test_numbers_have_thousands_separators(built_demo):
    _, output = built_demo
    found = {}
    for page in html_pages(output):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup(["script", "style", "noscript", "code", "pre", "time", "head"]):
            tag.decompose()
        text = PHONE.sub(" ", soup.get_text(" "))
        bare = [n for n in BARE.findall(text) if not 1900 <= int(n) <= 2099]
        if bare:
            found[page.relative_to(output).as_posix()] = sorted(set(bare))[:5]
    assert found == {}
    # And the money the pages show has them: at least one figure of a thousand pounds or more.
    offer = (output / "our-offer" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"£\d{1,3}(,\d{3})+", offer)
