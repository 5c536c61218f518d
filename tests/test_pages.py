"""End-to-end: build the demo through real Pelican and check each page shows its data.

The expected values are read from the YAML with plain PyYAML, independently of the
project's loader, so a loader bug cannot hide a page bug.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from cswork_site.pages.filters import long_date, money


def allowed_script(tag, rel: str) -> bool:
    """Data blocks never run; the only scripts are the optional calculator and search, each on its page."""
    if tag.get("type") in ("application/ld+json", "application/json"):
        return True
    name = {"agency-to-permanent/index.html": "take-home", "search/index.html": "search"}.get(rel)
    return bool(name) and re.search(rf"/theme/js/{name}\.[0-9a-f]+\.js$", tag.get("src", "")) is not None


def _yaml(site: Path, name: str):
    return yaml.safe_load((site / "data" / f"{name}.yaml").read_text(encoding="utf-8"))


def _soup(output: Path, rel: str) -> BeautifulSoup:
    path = output / rel
    assert path.is_file(), f"{rel} was not written"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def _squash(text: str) -> str:
    return " ".join(str(text).split())


@pytest.fixture(scope="module")
def demo(built_demo):
    site, output = built_demo
    return site, output, {n: _yaml(site, n) for n in ("service", "offer", "careers", "testimonials", "practice")}


def test_home_tells_the_story_in_one_page(demo):
    _, output, data = demo
    soup = _soup(output, "index.html")
    text = _text(soup)
    service = data["service"]
    assert len(soup.find_all("h1")) == 1
    assert service["tagline"] in text
    latest = max(service["inspections"], key=lambda i: i["date"])
    # An overall grade only where the inspection gave one (since April 2026, ILACS gives none).
    grade = latest.get("overall") or latest.get("judgement")
    if grade:
        assert grade in text
    else:
        assert "judged us" not in text
        for j in latest.get("judgements", []):
            assert " ".join(j["name"].split()) in text and j["judgement"] in text
    assert soup.find("a", href="/our-offer/") and soup.find("a", href="/careers/")
    assert soup.select("section#latest-stories, [aria-labelledby=latest-stories] li.card")
    assert soup.find("html")["lang"] == "en-GB"


def test_offer_page_lists_every_role_side_by_side(demo):
    _, output, data = demo
    soup = _soup(output, "our-offer/index.html")
    rows = {th.get_text(strip=True): th.find_parent("tr") for th in soup.select("table tbody th[scope=row]")}
    roles = data["offer"]["roles"]
    assert len(roles) >= 8
    for role in roles:
        assert role["title"] in rows, role["title"]
        row_text = _text(rows[role["title"]])
        assert money(role["pay"]["min"]) in row_text and money(role["pay"]["max"]) in row_text
        assert rows[role["title"]].find("a")["href"] == f"/our-offer/{role['id']}/"
    benefits = data["offer"]["benefits"]
    text = _text(soup)
    assert f"{benefits['annual_leave']['starting_days']} days" in text
    for item in benefits["wellbeing"]:
        assert _squash(item) in text


def test_each_role_has_its_own_page(demo):
    _, output, data = demo
    stages = {s["id"]: s for s in data["careers"]["stages"]}
    for role in data["offer"]["roles"]:
        soup = _soup(output, f"our-offer/{role['id']}/index.html")
        assert soup.find("h1").get_text(strip=True) == role["title"]
        text = _text(soup)
        assert role["pay"]["grade"] in text
        assert f"{money(role['pay']['min'])} to {money(role['pay']['max'])}" in text
        for point in role["pay"].get("points", []):
            assert money(point["salary"]) in text
        if role.get("caseload"):
            assert f"{role['caseload']['min']} to {role['caseload']['max']} children" in text
        if role.get("pathway_stage"):
            link = soup.find("a", href=f"/careers/{role['pathway_stage']}/")
            assert link is not None and link.get_text(strip=True) == stages[role["pathway_stage"]]["title"]


def test_careers_page_draws_the_pathway_graph(demo):
    _, output, data = demo
    soup = _soup(output, "careers/index.html")
    stages = data["careers"]["stages"]
    assert len(stages) >= 10
    svg = soup.find("svg", class_="pathway-svg")
    assert svg is not None and svg.find("title") is not None
    assert len(svg.find_all("rect")) == len(stages)
    assert len(svg.find_all("polyline")) == sum(len(s.get("leads_to", [])) for s in stages)
    listed = {a["href"] for a in soup.select(".pathway-steps h4 a")}
    assert listed == {f"/careers/{s['id']}/" for s in stages}
    # Every "leads to" arrow points to a later step.
    step_of = {}
    for n, step in enumerate(soup.select(".pathway-steps__step"), start=1):
        for a in step.select("h4 a"):
            step_of[a["href"]] = n
    for s in stages:
        for t in s.get("leads_to", []):
            assert step_of[f"/careers/{t}/"] > step_of[f"/careers/{s['id']}/"]
    routes = data["careers"]["entry_routes"]
    assert len(routes) >= 5
    for r in routes:
        assert soup.find(id=f"route-{r['id']}") is not None


def test_each_stage_page_says_what_it_needs_and_where_it_leads(demo):
    _, output, data = demo
    roles = {r["id"]: r for r in data["offer"]["roles"]}
    stages = {s["id"]: s for s in data["careers"]["stages"]}
    for stage in stages.values():
        soup = _soup(output, f"careers/{stage['id']}/index.html")
        text = _text(soup)
        assert soup.find("h1").get_text(strip=True) == stage["title"]
        assert _squash(stage["typical_duration"]) in text
        for item in stage["entry_requirements"] + stage["support"]:
            assert _squash(item) in text
        for target in stage.get("leads_to", []):
            assert soup.find("a", href=f"/careers/{target}/") is not None
        if stage.get("role"):
            assert money(roles[stage["role"]]["pay"]["min"]) in text


def test_practice_page_shows_framework_layers_values_behaviours(demo):
    _, output, data = demo
    soup = _soup(output, "our-practice/index.html")
    text = _text(soup)
    fw = data["practice"]
    layer_names = [li.find("h3").get_text(strip=True) for li in soup.select("ol.layers > li")]
    assert layer_names == [layer["name"] for layer in fw["layers"]]
    for group in ("values", "behaviours", "principles"):
        for item in fw[group]:
            assert _squash(item["name"]) in text
    assert _squash(fw["picture"]["description"]) in text


def test_testimonials_grouped_by_kind_with_anonymity_respected(demo):
    _, output, data = demo
    soup = _soup(output, "testimonials/index.html")
    items = data["testimonials"]["testimonials"]
    assert len(items) >= 12
    assert {t["kind"] for t in items} == {"staff", "agency convert", "young person", "parent or carer", "partner"}
    figures = {_squash(f.blockquote.get_text(" ")): f for f in soup.select("figure.quote")}
    for t in items:
        fig = figures[_squash(t["quote"])]
        who = fig.figcaption.get_text(" ")
        if t.get("anonymised") and t.get("name"):
            assert t["name"] not in who
        assert t["role"] in who


def test_stories_are_articles_with_a_list_page(demo):
    site, output, _ = demo
    stories = sorted((site / "content" / "stories").glob("*.md"))
    assert len(stories) >= 6
    listing = _soup(output, "stories/index.html")
    links = {a["href"] for a in listing.select("li.card h3 a")}
    assert len(links) == min(len(stories), 10)
    for href in links:
        page = _soup(output, href.lstrip("/") + "index.html")
        assert len(page.find_all("h1")) == 1
        assert page.select_one(".story__body").get_text(strip=True)


def test_accessibility_statement_follows_the_model_sections(demo):
    _, output, data = demo
    soup = _soup(output, "accessibility/index.html")
    headings = [h.get_text(" ", strip=True) for h in soup.select("h2")]
    for section in ("How accessible this website is", "Feedback and contact information",
                    "Reporting accessibility problems with this website", "Enforcement procedure",
                    "Technical information about this website's accessibility", "Non-accessible content",
                    "What we're doing to improve accessibility", "Preparation of this accessibility statement"):
        assert section in headings
    text = _text(soup)
    assert data["service"]["authority"] in text
    assert long_date(data["service"]["accessibility"]["statement_date"]) in text


def test_privacy_notice_and_404_name_the_authority(demo):
    _, output, data = demo
    assert data["service"]["privacy"]["controller"] in _text(_soup(output, "privacy/index.html"))
    not_found = _soup(output, "404.html")
    assert not_found.find("h1").get_text(strip=True) == "Page not found"
    assert data["service"]["contact"]["email"] in _text(not_found)


def test_brand_colours_and_logo_come_from_data(demo):
    site, output, data = demo
    soup = _soup(output, "our-offer/index.html")
    brand_href = next(link["href"] for link in soup.find_all("link", rel="stylesheet") if "/brand/" in link["href"])
    assert re.fullmatch(r"/brand/brand\.[0-9a-f]{10}\.css", brand_href), "content-hashed name"
    css = (output / brand_href.lstrip("/")).read_text()
    assert f"--brand: {data['service']['brand']['primary'].lower()}" in css
    logo = soup.select_one("img.site-header__logo")
    assert logo["alt"] == data["service"]["logo"]["alt"]
    assert (output / logo["src"].lstrip("/")).read_bytes() == (site / data["service"]["logo"]["path"]).read_bytes()


def test_every_page_has_one_h1_landmarks_and_a_skip_link(demo):
    _, output, _ = demo
    for page in output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        rel = page.relative_to(output).as_posix()
        assert len(soup.find_all("h1")) == 1, rel
        assert soup.find("main", id="main-content") is not None, rel
        assert soup.find("header") and soup.find("footer") and soup.find("nav"), rel
        skip = soup.find("a", class_="skip-link")
        assert skip is not None and skip["href"] == "#main-content", rel
        scripts = [s for s in soup.find_all("script") if not allowed_script(s, rel)]
        assert not scripts, f"{rel} should need no JavaScript"
