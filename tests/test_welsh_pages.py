"""No English left on the Welsh pages (issue 19): the words Python makes (inspection kinds,
the Welsh-language categories and skill levels, the figures' names and definitions, the pay
year, the feeds' titles) and the scripts' sentences (search, take-home calculator) are in
Welsh on the Welsh pages and in English on the English ones.

demo-wales is built through the real command line. Its Welsh pages are at the root and its
English ones under /en/. What a Welsh page shows is its text less <script> and any element
marked lang="en..." (the English passage of a two-language welcome). The Welsh expected is
read from the catalogue with Babel, never written here.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from .helpers import REPO, cswork, html_pages, serving

pytestmark = pytest.mark.slow  # builds a site

DEMO = REPO / "demo-wales"
CATALOGUE = REPO / "cswork_site" / "locale" / "cy" / "LC_MESSAGES" / "cswork.po"
# English the demo's pages show, each the source text of a catalogue message, written here
# (not read from the package) so that a label changed in the code is noticed.
LABELS = (
    "performance evaluation inspection",
    "Vacancy rate", "Agency worker rate", "Turnover rate", "Permanent staff", "Sickness absence",
    "Agency workers who became permanent", "Newly qualified social workers who joined",
    "Essential", "Desirable", "To be learnt", "Not necessary",
    "you need to be able to use Welsh in this job", "Welsh would help in this job, but you can apply without it",
    "you can learn Welsh in the job, and we will support you", "you do not need Welsh for this job",
    "Understanding", "Speaking", "Reading", "Writing", "advanced", "intermediate",
    "Equality and Human Rights Commission (EHRC)",
)
WELCOME = "You can apply in Welsh, and an application in Welsh will not be treated less favourably than one in English."
PAY_YEAR = re.compile(r"(?<!\d)(\d{4}) to (\d{4})(?!\d)")


@pytest.fixture(scope="module")
def welsh() -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    """The catalogue's translations, by msgid."""
    with CATALOGUE.open("rb") as po:
        return {m.id: m.string for m in read_po(po, locale="cy") if m.id}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    site = tmp_path_factory.mktemp("wales-pages") / "site"
    shutil.copytree(DEMO, site, ignore=shutil.ignore_patterns(
        "__pycache__", "output", "output.*", ".output.*", ".cswork-*", "cache", "schemas"))
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site, site / "output"


def _soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _shown(page: Path, welsh_page: bool) -> str:
    soup = _soup(page)
    for tag in soup(["script", "style", "template"]):
        tag.decompose()
    if welsh_page:
        for tag in soup.find_all(lang=re.compile(r"^en", re.IGNORECASE)):
            tag.decompose()
    return " ".join(soup.get_text(" ").split())


def _pages(output: Path) -> tuple[dict[Path, str], dict[Path, str]]:
    """(Welsh pages, English pages), each page's shown text."""
    cy, en = {}, {}
    for page in html_pages(output):
        parts = page.relative_to(output).parts
        if parts[0] in ("pagefind", "theme", "media"):
            continue
        if parts[0] == "en":
            en[page] = _shown(page, False)
        else:
            assert _soup(page).html["lang"] == "cy", page
            cy[page] = _shown(page, True)
    assert cy and en
    return cy, en


def _without(text: str, parts: list[str]) -> str:
    for part in parts:
        text = text.replace(part, " ")
    return text


def _says(text: str, words: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text) is not None


def test_labels_made_in_python_are_welsh_on_the_welsh_pages(built, welsh):
    cy, en = _pages(built[1])
    english_text, welsh_text = " ".join(en.values()), " ".join(cy.values())
    for label in LABELS:
        assert _says(english_text, label), f"the English pages show {label!r}"  # the check is not empty
        translated = welsh[label]
        assert translated and translated != label, label
        assert _says(welsh_text.casefold(), translated.casefold()), (label, translated)
    left = {page.relative_to(built[1]).as_posix(): found for page, text in cy.items()
            if (found := [label for label in (*LABELS, WELCOME) if _says(text, label)])}
    assert left == {}


def test_the_inspection_heading_and_welcome_are_in_welsh(built, welsh):
    cy, en = _pages(built[1])
    home_cy, home_en = cy[built[1] / "index.html"], en[built[1] / "en" / "index.html"]
    assert "Care Inspectorate Wales performance evaluation inspection" in home_en
    kind = welsh["performance evaluation inspection"]
    heading = welsh["%(inspectorate)s %(kind)s"] % {"inspectorate": "Arolygiaeth Gofal Cymru", "kind": kind}
    assert heading[:1].upper() + heading[1:] in home_cy
    # The welcome: Welsh first on a Welsh page, the English beside it marked as English.
    page = next(p for p in cy if p.relative_to(built[1]).as_posix() == "applying/index.html")
    paragraphs = _soup(page).select(".welsh-welcome p")
    assert [p.get("lang") for p in paragraphs] == [None, "en"]
    assert paragraphs[1].get_text() == WELCOME


def test_the_pay_year_is_in_welsh(built, welsh):
    offer = yaml.safe_load((built[0] / "data" / "offer.yaml").read_text(encoding="utf-8"))
    start, end = PAY_YEAR.fullmatch(str(offer["pay_year"])).groups()
    rules = yaml.safe_load((built[0] / "data" / "pay-rules.yaml").read_text(encoding="utf-8"))
    own = [source["name"] for source in rules["sources"]]  # the site's own words, not cswork's
    cy, en = _pages(built[1])
    cy = {page: _without(text, own) for page, text in cy.items()}
    said = welsh["%(start)s to %(end)s"] % {"start": start, "end": end}
    assert said != f"{start} to {end}"
    assert sum(said in text for text in cy.values()) >= 2  # the offer page and each role's
    assert sum(f"{start} to {end}" in text for text in en.values()) >= 2
    assert {p.relative_to(built[1]).as_posix() for p, text in cy.items() if PAY_YEAR.search(text)} == set()


def test_feed_titles_are_in_the_pages_language(built, welsh, tmp_path):
    site = tmp_path / "site"  # feeds are written for a published site only
    shutil.copytree(built[0], site, ignore=shutil.ignore_patterns("output"))
    result = cswork("build", str(site), "--production")
    assert result.returncode == 0, result.stdout + result.stderr
    output = site / "output"
    service = yaml.safe_load((site / "data" / "service.yaml").read_text(encoding="utf-8"))["service"]
    for folder, lang in ((output, "cy"), (output / "en", "en")):
        name = service[lang]
        said = {msgid: (msgid if lang == "en" else welsh[msgid]) % {"service": name}
                for msgid in ("Jobs: %(service)s", "Events: %(service)s")}
        titles = {link["title"] for link in _soup(folder / "index.html").select("link[rel=alternate][title]")}
        assert set(said.values()) <= titles, (lang, titles)
        for kind, msgid in (("jobs", "Jobs: %(service)s"), ("events", "Events: %(service)s")):
            feed = json.loads((folder / kind / "feed.json").read_text(encoding="utf-8"))
            assert (feed["title"], feed["language"]) == (said[msgid], "cy" if lang == "cy" else "en-GB"), kind


def _literals(script: Path) -> list[str]:
    """The script's string literals of two words or more, comments left out: text a
    visitor could be shown (not class names, nor the two errors search.js throws)."""
    code = re.sub(r"^\s*//.*$", "", script.read_text(encoding="utf-8"), flags=re.MULTILINE)
    found = re.findall(r'"((?:[^"\\]|\\.)*)"', code)
    return [s for s in found if re.search(r"[A-Za-z]+ [A-Za-z]+", s)
            and not all("-" in w or "_" in w for w in s.split())
            and s not in ("use strict", "no search index", "empty search index")]


def _search_words(page: Path) -> dict:
    return json.loads(_soup(page).select_one("[data-search]")["data-words"])


def test_the_search_scripts_words_come_from_the_page_in_its_language(built, welsh):
    output = built[1]
    cy, en = _search_words(output / "search" / "index.html"), _search_words(output / "en" / "search" / "index.html")
    failed = "Search is not working at the moment. You can still find everything from the lists below."
    assert en["failed"] == failed and cy["failed"] == welsh[failed]
    none = "No results for %(query)s. Try another word, or use the lists below."
    assert en["none"] == none % {"query": "{query}"} and cy["none"] == welsh[none] % {"query": "{query}"}
    # Each count in its own plural form: Welsh's six (0, 1, 2, 3, 6 and the rest).
    forms = welsh[("%(num)d result", "%(num)d results")]
    rule = {0: 0, 1: 1, 2: 2, 3: 3, 6: 4}
    assert cy["results"] == {str(n): forms[rule.get(n, 5)] % {"num": n} for n in range(7)}
    assert cy["results_other"] == forms[5].replace("%(num)d", "{count}")
    assert en["results"]["1"] == "1 result" and en["results"]["4"] == "4 results"
    assert en["results_other"] == "{count} results"
    # Nothing English is left in the script.
    assert _literals(REPO / "cswork_site" / "theme" / "static" / "js" / "search.js") == []


def test_the_calculators_sentences_come_from_the_page_in_its_language(built, welsh):
    output = built[1]

    def words(page: Path) -> dict[str, str]:
        return json.loads(_soup(page).select_one("#take-home-data").string)["words"]

    page = Path("agency-to-permanent") / "index.html"
    cy, en = words(output / page), words(output / "en" / page)
    assert set(cy) == set(en)
    same = "Take-home pay is the same."
    assert en["takeHomeSame"] == same and cy["takeHomeSame"] == welsh[same]
    assert cy["verdict"] == welsh["At these figures, %(ahead)s. %(takeHome)s"] % {
        "ahead": "{ahead}", "takeHome": "{takeHome}"}
    for key in en:
        assert cy[key] != en[key], key  # every sentence is in Welsh
        assert set(re.findall(r"\{\w+\}", cy[key])) == set(re.findall(r"\{\w+\}", en[key])), key
    assert _literals(REPO / "cswork_site" / "theme" / "static" / "js" / "take-home.js") == []


def _pattern(template: str) -> re.Pattern[str]:
    """A filled-in sentence of the catalogue's `template`: each %(name)s as any text."""
    parts = re.split(r"%\(\w+\)[sd]", template)
    return re.compile(".+".join(re.escape(p) for p in parts) + "$", re.DOTALL)


def test_the_scripts_speak_welsh_in_a_browser(browser, built, welsh):
    with serving(built[1]) as base:
        page = browser.new_page()
        try:
            page.goto(f"{base}/agency-to-permanent/")
            page.locator("[data-result] p").first.wait_for(timeout=15000)
            said = [p.inner_text() for p in page.locator("[data-result] p").all()]
            locum = next(m for m in welsh if isinstance(m, str) and m.startswith("Tax year %(taxYear)s"))
            assert _pattern(welsh[locum]).match(said[0]), said[0]
            assert len(said) == 3 and not any("{" in s for s in said), said
            page.fill("#calc-hours", "0")
            assert page.locator("[data-result]").inner_text() == welsh[
                "Enter the hours you work a week, more than 0 and up to 48."]

            page.goto(f"{base}/search/?q=qqzzxxnothing")
            status = page.locator("[data-search-status]")
            status.filter(has_text=re.compile(".")).wait_for(timeout=15000)
            none = welsh["No results for %(query)s. Try another word, or use the lists below."]
            assert status.inner_text() == none % {"query": "\u201cqqzzxxnothing\u201d"}
            page.goto(f"{base}/search/?q=Glanrhydwen")
            status.filter(has_text=re.compile(".")).wait_for(timeout=15000)
            text = status.inner_text()
            shown = [_pattern(welsh[m]) for m in ("%(results)s for %(query)s.",
                                                  "%(results)s for %(query)s, showing the first %(shown)s.")]
            assert any(p.match(text) for p in shown) and "{" not in text, text
        finally:
            page.close()
