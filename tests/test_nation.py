"""The nation is a setting (issue 19, point 1): `nation: england | wales` in data/service.yaml
decides the regulator, the inspectorate, the statistics, the agency rules, the tax wording
and the early-career words the site's own sentences use.

A Welsh site is the demo with its nation set to wales, a Care Inspectorate Wales inspection
without grades and a Welsh region, and the council's own words about England's regulator
rewritten as a Welsh council would write them; built through the real command line, none
of its published files may say England, Ofsted or the DfE.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import cswork, html_pages, tree_digest

# What only an English site may say. (ASYE stays out: it is in the demo's own page names.)
ENGLISH = re.compile(r"\b(England|Ofsted|DfE|Department for Education)\b")
CIW_INSPECTION = {
    "date": "2025-03-14",
    "inspectorate": "Care Inspectorate Wales",
    "kind": "performance evaluation inspection",
    "findings": ["Children and families told inspectors that social workers listen to them.",
                 "Area for improvement: plans for care leavers should be reviewed more often."],
    "url": "https://www.castlebrook.example.org/about-us/inspections/2025/",
}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, value: dict) -> None:
    path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_welsh(site: Path) -> Path:
    """The demo as a council in Wales would have it."""
    data = site / "data"
    service = _load(data / "service.yaml")
    service.update(nation="wales", region="North Wales", inspections=[CIW_INSPECTION])
    _dump(data / "service.yaml", service)
    agency = _load(data / "agency.yaml")
    del agency["rules"]  # the DfE's rules: England only
    _dump(data / "agency.yaml", agency)
    metrics = _load(data / "metrics.yaml")
    metrics.update(region="North Wales", comparators=[])
    _dump(data / "metrics.yaml", metrics)
    (data / "benchmarks.yaml").unlink()  # the DfE's figures are England's
    # The council's own words: its regulator and first-year programme are Welsh ones.
    for path in [*data.glob("*.yaml"), *(site / "content").rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"Social\s+Work\s+England", "Social Care Wales", text)
        text = text.replace("ASYE", "first-year")
        path.write_text(text, encoding="utf-8")
    return site


def english_words(output: Path) -> dict[str, list[str]]:
    """What each page and feed says of England: its visible text, title, meta tags and
    structured data, and the feeds' whole text."""
    found: dict[str, list[str]] = {}
    for page in html_pages(output):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        said = [soup.get_text(" "), *(m.get("content", "") for m in soup.find_all("meta"))]
        if hits := sorted({m.group(0) for text in said for m in ENGLISH.finditer(text)}):
            found[page.relative_to(output).as_posix()] = hits
    for feed in [*output.rglob("*.xml"), *output.rglob("*.json"), *output.rglob("*.ics"), *output.rglob("*.csv")]:
        if hits := sorted(set(ENGLISH.findall(feed.read_text(encoding="utf-8")))):
            found[feed.relative_to(output).as_posix()] = hits
    return found


def _built(site: Path) -> Path:
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "output"


def _soup(output: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((output / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def _text(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


@pytest.mark.slow
def test_a_welsh_site_never_says_england_and_names_wales_own_bodies(site: Path) -> None:
    output = _built(make_welsh(site))
    assert english_words(output) == {}
    role = _text(_soup(output, "our-offer/social-worker"))
    assert "registered with Social Care Wales" in role
    assert _soup(output, "our-offer/social-worker").find("a", string="Social Care Wales")["href"] \
        == "https://socialcare.wales/"
    agency = _soup(output, "agency-to-permanent")
    assert agency.find(id="rules") is None  # no national agency rules are claimed
    assert "Income tax is worked out at the Welsh rates of income tax" in _text(agency)
    improvement = _soup(output, "improvement")
    lead = _text(improvement.find("p", class_="lead"))
    assert lead == "How our workforce has changed, in the figures we publish."
    item = improvement.find(id="inspections").find_next("li")
    assert " ".join(item.find("h3").get_text("").split()) == \
        "14 March 2025: Care Inspectorate Wales performance evaluation inspection: findings"
    assert "plans for care leavers should be reviewed more often" in _text(item)
    # The figures' definitions make no claim about the DfE; the first year is Wales's own.
    assert "as the DfE defines it" not in _text(improvement)
    assert "How we are improving" in _text(_soup(output, ""))


@pytest.mark.slow
def test_the_english_demo_still_names_englands_bodies(built_demo) -> None:
    _, output = built_demo
    agency = _soup(output, "agency-to-permanent")
    rules = agency.find(id="rules")
    assert _text(rules) == "The rules for agency social work in England"
    assert _text(rules.find_next("p")) == ("Since 31 October 2024, councils in England follow the Department "
                                            "for Education's rules on agency child and family social workers. "
                                            "In the South East:")
    assert "Income tax is worked out at the income tax rates for England and Northern Ireland" in _text(agency)
    assert "registered with Social Work England" in _text(_soup(output, "our-offer/social-worker"))
    improvement = _soup(output, "improvement")
    assert _text(improvement.find("p", class_="lead")).startswith(
        "How our workforce has changed, in the figures we publish, next to England, the South East and "
        "councils like ours (")
    assert "as the DfE defines it, at 30 September" in _text(improvement)
    assert "with England's figures alongside" in _text(_soup(output, ""))


def _problem_lines(result) -> list[str]:
    """The errors (a copied demo also gets warnings for naming the demo council)."""
    return [line for line in (result.stdout + result.stderr).splitlines()
            if re.match(r"^\S+:\d+: \S+: (?!warning: |note: )", line)]


@pytest.mark.slow
@pytest.mark.parametrize("grade", [{"overall": "good"}, {"judgement": "good"},
                                   {"judgements": [{"name": "Care leavers", "judgement": "good"}]}])
def test_a_graded_ciw_inspection_is_refused_at_its_line(site: Path, grade: dict) -> None:
    make_welsh(site)
    service = _load(site / "data" / "service.yaml")
    # Without a kind, so that the grade is refused for the inspectorate's sake (a performance
    # evaluation inspection is refused a grade for its kind's, too).
    del service["inspections"][0]["kind"]
    service["inspections"][0].update(grade)
    _dump(site / "data" / "service.yaml", service)
    result = cswork("build", str(site))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    key = next(iter(grade))
    lines = (site / "data" / "service.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip().startswith(f"{key}:"))
    assert _problem_lines(result) == [
        f"data/service.yaml:{line}: inspections[0].{key}: Care Inspectorate Wales gives no grades: its reports "
        f"have findings and areas for improvement; leave out {key!r} and write 'findings'"]


@pytest.mark.slow
def test_a_welsh_site_cannot_claim_the_dfe_agency_rules(site: Path) -> None:
    make_welsh(site)
    agency = _load(site / "data" / "agency.yaml")
    agency["rules"] = _load(Path(__file__).resolve().parents[1] / "data" / "agency.yaml")["rules"]
    _dump(site / "data" / "agency.yaml", agency)
    result = cswork("build", str(site))
    assert result.returncode == 2
    lines = _problem_lines(result)
    assert len(lines) == 1 and re.match(r"^data/agency\.yaml:\d+: rules: describes national agency rules", lines[0])
    assert "apply in England only" in lines[0]


@pytest.mark.slow
def test_an_unknown_nation_is_refused_with_the_choices(site: Path) -> None:
    path = site / "data" / "service.yaml"
    text = path.read_text(encoding="utf-8").replace("nation: england", "nation: scotland", 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("nation:"))
    result = cswork("build", str(site))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert _problem_lines(result) == [
        f"data/service.yaml:{line}: nation: expected one of england, wales; found 'scotland'"]


@pytest.mark.slow
def test_init_for_wales_writes_a_welsh_starter_that_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = cswork("init", str(site), "--council", "Cyngor Sir Northfield", "--service",
                    "Northfield Children's Services", "--url", "https://careers.northfield.gov.uk",
                    "--email", "jobs@northfield.gov.uk", "--nation", "wales")
    assert result.returncode == 0, result.stderr
    service = _load(site / "data" / "service.yaml")
    assert service["nation"] == "wales"
    output = _built(site)
    assert english_words(output) == {}
    written = "\n".join(p.read_text(encoding="utf-8") for p in (site / "data").glob("*.yaml")
                        if p.name != "benchmarks.yaml")
    assert "Social Care Wales" in written and "Social Work England" not in written and "ASYE" not in written
    assert "Care Inspectorate Wales records, which\n# have findings and no grades" in written


def test_every_nation_has_a_whole_profile_and_only_wales_is_ungraded() -> None:
    from cswork_site.data.models.nation import nations

    profiles = nations()
    assert list(profiles) == ["england", "wales"]
    assert profiles["england"].inspectorate.graded and not profiles["wales"].inspectorate.graded
    assert profiles["wales"].inspectorate.grades == [] and profiles["wales"].agency_rules is None
    assert profiles["wales"].tax.name == "Welsh rates of income tax"
    assert profiles["england"].regulator.name == "Social Work England"
    assert profiles["wales"].regulator.name == "Social Care Wales"


@pytest.mark.parametrize("region,said", [("South East", "the South East"), ("East of England", "the East of England"),
                                         ("West Midlands", "the West Midlands"), ("London", "London"),
                                         ("Yorkshire and The Humber", "Yorkshire and The Humber"),
                                         ("North Wales", "North Wales")])
def test_a_region_takes_the_only_where_english_does(region: str, said: str) -> None:
    from cswork_site.data.models.nation import in_the

    assert in_the(region) == said


@pytest.mark.slow
def test_a_welsh_site_with_welsh_figures_compares_with_wales(site: Path) -> None:
    make_welsh(site)
    demo = _load(Path(__file__).resolve().parents[1] / "data" / "benchmarks.yaml")
    places = {"England": "Wales", "South East": "North Wales"}
    rows = [{**row, "area": places[row["area"]]} for row in demo["rows"] if row["area"] in places]
    _dump(site / "data" / "benchmarks.yaml", {
        "source": "Social Care Wales, social care workforce data (example figures), https://socialcare.wales/",
        "licence": "Open Government Licence v3.0", "rows": rows})
    output = _built(site)
    improvement = _soup(output, "improvement")
    assert _text(improvement.find("p", class_="lead")) == (
        "How our workforce has changed, in the figures we publish, next to Wales and North Wales.")
    caption = improvement.find(string=re.compile("^Figures for "))
    assert " ".join(caption.parent.get_text(" ").split()).startswith(
        "Figures for Wales and North Wales: Social Care Wales")
    legend = _text(improvement.find(id="trends").find_next("figure"))
    assert "Wales" in legend and "England" not in legend
    assert "with Wales's figures alongside" in _text(_soup(output, ""))
    assert english_words(output) == {}


@pytest.mark.slow
def test_the_pages_a_welsh_site_words_differently_pass_axe(browser, site: Path) -> None:
    """The pages whose sentences depend on the nation, on a Welsh site, in real Chromium."""
    from .helpers import axe_violations, serving

    output = _built(make_welsh(site))
    page, found = browser.new_page(), {}
    with serving(output) as base:
        for path in ("/", "/improvement/", "/agency-to-permanent/", "/our-offer/social-worker/"):
            page.goto(base + path)
            if violations := axe_violations(page):
                found[path] = violations
    page.close()
    assert found == {}


@pytest.mark.slow
def test_a_welsh_site_is_refused_the_dfe_import_before_any_file_is_read(site: Path) -> None:
    path = site / "data" / "service.yaml"
    text = path.read_text(encoding="utf-8").replace("nation: england", "nation: wales", 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("nation:"))
    before = tree_digest(site)
    # No CSV is needed: a site in Wales is refused before the file is looked at.
    result = cswork("metrics", "import-dfe", str(site / "no-such-release.csv"), str(site))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(_problem_lines(result)) == 1 and lines[0] == _problem_lines(result)[0]
    assert lines[0].startswith(f"data/service.yaml:{line}: nation: is wales: the DfE's children's social work "
                               "workforce statistics cover England only")
    assert "Social Care Wales" in lines[0] and "StatsWales" in lines[0] and "no-such-release" not in result.stderr
    assert tree_digest(site) == before
