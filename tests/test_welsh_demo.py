"""The second demo council, in Wales (issue 19, point 7): demo-wales/, Glanrhydwen, a
fictional Welsh council whose site is in Welsh first and English, built through the real
command line like the English demo.

Every page that is built is checked, whatever folders the languages are written into: no
page says England, Ofsted, Social Work England or the DfE; the pages name Care Inspectorate
Wales and Social Care Wales; every job page shows its Welsh-language skills category and its
JobPosting data carries it; axe and the Nu HTML Checker find nothing on any page.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import REPO, assert_no_axe_violations, cswork, html_pages, nu_check, page_url, published_texts, serving

pytestmark = pytest.mark.slow  # builds a site, runs cswork or drives a browser

DEMO = REPO / "demo-wales"
# What only a site in England may say, as a word (DfE also inside "the DfE's").
ENGLISH = re.compile(r"\b(England|Ofsted|DfE|Department for Education)\b", re.IGNORECASE)
# Wales's own bodies, by their English and Welsh names.
INSPECTORATE = ("Care Inspectorate Wales", "Arolygiaeth Gofal Cymru")
REGULATOR = ("Social Care Wales", "Gofal Cymdeithasol Cymru")
# The categories' English words, as the Welsh Language Standards name them (written here,
# not read from the package): the label a job page shows, and what it means.
LEVELS = {"essential": ("Essential", "you need to be able to use Welsh in this job"),
          "desirable": ("Desirable", "Welsh would help in this job, but you can apply without it"),
          "to_be_learnt": ("To be learnt", "you can learn Welsh in the job, and we will support you"),
          "not_necessary": ("Not necessary", "you do not need Welsh for this job")}


def _soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _lang(soup: BeautifulSoup) -> str:
    return str(soup.html.get("lang", "")).split("-")[0].casefold()


def _said(soup: BeautifulSoup) -> str:
    """What a page says: its visible text, its title and its meta tags' content."""
    text = [soup.get_text(" "), *(str(m.get("content", "")) for m in soup.find_all("meta"))]
    return " ".join(" ".join(text).split())


def _postings(soup: BeautifulSoup) -> list[dict]:
    found = []
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        found += [d for d in (data if isinstance(data, list) else [data]) if d.get("@type") == "JobPosting"]
    return found


@pytest.fixture(scope="module")
def built_wales(tmp_path_factory) -> tuple[Path, Path]:
    """demo-wales copied to a temporary folder (without anything a local build left in it)
    and built once: (site folder, output folder)."""
    site = tmp_path_factory.mktemp("wales") / "site"
    shutil.copytree(DEMO, site, ignore=shutil.ignore_patterns(
        "__pycache__", "output", "output.*", ".output.*", ".cswork-*", "cache", "schemas"))
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if ": warning: " in line]
    assert warnings == [], result.stderr  # every text in both languages, every story in both
    assert "Traceback" not in result.stderr
    return site, site / "output"


def test_the_demo_is_a_welsh_council_in_welsh_first():
    service = yaml.safe_load((DEMO / "data" / "service.yaml").read_text(encoding="utf-8"))
    assert service["nation"] == "wales"
    assert service["languages"] == ["cy", "en"]
    assert all(i["inspectorate"] == "Care Inspectorate Wales" for i in service["inspections"])
    assert not any(key in i for i in service["inspections"] for key in ("overall", "judgement", "judgements"))
    assert not (DEMO / "data" / "benchmarks.yaml").read_text(encoding="utf-8").count("England")


def test_every_story_is_a_pair_in_welsh_and_english():
    stories = sorted((DEMO / "content" / "stories").glob("*.md"))
    meta: dict[str, dict[str, dict[str, str]]] = {}
    for story in stories:
        head = story.read_text(encoding="utf-8").split("\n\n", 1)[0]
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        meta.setdefault(fields["Slug"], {})[fields["Lang"]] = fields
    assert len(meta) >= 4
    for slug, versions in meta.items():
        assert sorted(versions) == ["cy", "en"], slug
        cy, en = versions["cy"], versions["en"]
        assert cy["Date"][:4] == en["Date"][:4], slug
        assert cy["Title"] != en["Title"], slug  # written in each language, not copied
        # One consent and one approval cover both versions.
        for key in [k for k in en if k.startswith(("Consent_", "Approved_"))]:
            assert cy[key] == en[key], (slug, key)


def test_it_builds_and_no_page_says_england_or_its_bodies(built_wales):
    _, output = built_wales
    pages = html_pages(output)
    assert len(pages) > 30
    found = {page.relative_to(output).as_posix(): sorted({m.group(0) for m in ENGLISH.finditer(_said(_soup(page)))})
             for page in pages}
    assert {page: hits for page, hits in found.items() if hits} == {}
    # Nor any other published file: feeds, the sitemap, the search index, calendars.
    texts = published_texts(output)
    assert {name: sorted(set(ENGLISH.findall(text))) for name, text in texts.items()
            if ENGLISH.search(text) and not name.endswith(".html")} == {}


def test_pages_name_care_inspectorate_wales_and_social_care_wales_in_every_language(built_wales):
    _, output = built_wales
    names: dict[str, str] = {}
    for page in html_pages(output):
        soup = _soup(page)
        names[_lang(soup)] = names.get(_lang(soup), "") + " " + _said(soup)
    assert "en" in names or "cy" in names
    for lang, text in names.items():
        assert any(name in text for name in INSPECTORATE), lang
        assert any(name in text for name in REGULATOR), lang


def test_the_figures_are_compared_with_wales(built_wales):
    """The improvement page's lead names the areas of data/benchmarks.yaml, Wales first."""
    _, output = built_wales
    soups = [_soup(page) for page in html_pages(output)]
    leads = [" ".join(p.get_text(" ").split()) for soup in soups if _lang(soup) == "en"
             for p in soup.select("main p.lead")]
    compared = [lead for lead in leads if lead.startswith("How our workforce has changed")]
    assert compared == ["How our workforce has changed, in the figures we publish, next to Wales and West Wales."]


def test_every_job_page_shows_its_welsh_language_level_and_its_posting_carries_it(built_wales):
    site, output = built_wales
    jobs = yaml.safe_load((site / "data" / "vacancies.yaml").read_text(encoding="utf-8"))["vacancies"]
    level_of = {job["reference"]: job["welsh_language"] for job in jobs}
    assert set(level_of.values()) == set(LEVELS), "the demo's jobs show every category"
    seen: dict[str, dict[str, str]] = {}  # language -> reference -> what the posting says of Welsh
    for page in html_pages(output):
        soup = _soup(page)
        for posting in _postings(soup):
            reference, lang = posting["identifier"]["value"], _lang(soup)
            level = level_of[reference]
            # The category's sentence, before any skill levels: "Welsh essential: you need to ..."
            first = re.split(r"\.(?:\s|$)", posting["skills"])[0]
            meaning = first.split(": ", 1)[1]
            assert meaning in _said(soup), page  # the page shows it in words
            if lang == "en":
                short, english = LEVELS[level]
                assert first == f"Welsh {short.lower()}: {english}"
                row = next(r for r in soup.select(".summary-list__row") if r.dt.get_text() == "Welsh language skills")
                assert row.dd.strong.get_text() == short
            seen.setdefault(lang, {})[reference] = first
    assert seen, "no job page was built"
    for lang, said in seen.items():
        assert set(said) == set(level_of), lang  # every open job has its page in each language
        # Jobs of one category say the same; jobs of different categories say different things.
        by_level: dict[str, set[str]] = {}
        for reference, first in said.items():
            by_level.setdefault(level_of[reference], set()).add(first)
        assert all(len(v) == 1 for v in by_level.values()), lang
        assert len({next(iter(v)) for v in by_level.values()}) == len(LEVELS), lang


def test_every_page_has_no_axe_violations(browser, built_wales):
    _, output = built_wales
    with serving(output) as base:
        assert_no_axe_violations(browser, base, [page_url(output, p) for p in html_pages(output)])


def test_every_page_passes_the_nu_html_checker(built_wales):
    if shutil.which("java") is None:
        pytest.skip("the Nu HTML Checker needs Java")
    _, output = built_wales
    result = nu_check(output)
    assert result.returncode == 0, result.stdout + result.stderr
