"""The applying page and the team pages, through real builds: what each shows, figures
dated, sourced and suppressed below the site's thresholds, the navigation, and bad data
refused with one PATH:LINE: FIELD: MESSAGE line per problem."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import cswork

pytestmark = pytest.mark.slow  # builds sites

LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")


def _yaml(site: Path, name: str):
    return yaml.safe_load((site / "data" / name).read_text(encoding="utf-8"))


def _write(site: Path, name: str, data) -> None:
    (site / "data" / name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _soup(output: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((output / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def _words(node) -> str:
    return " ".join(node.get_text(" ").split())


def _thresholds(site: Path) -> tuple[int, int]:
    rules = (_yaml(site, "metrics.yaml") or {}).get("suppression", {})
    return rules.get("min_count", 5), rules.get("min_denominator", 10)


def _number(value) -> str:
    value = Decimal(str(value))
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"


def _count_text(value: int, min_count: int) -> str:
    return _number(value) if value == 0 or value >= min_count else f"fewer than {min_count}"


def _rate_text(value, base: int, min_count: int, min_base: int, unit: str) -> str:
    hidden = base < min_base or (0 < base < min_count)
    return "not published" if hidden else _number(value) + unit


def _nav(soup: BeautifulSoup) -> dict[str, str]:
    return {_words(a): a["href"] for a in soup.select(".site-nav a")}


# --- applying ------------------------------------------------------------------------

def test_applying_page_shows_the_steps_in_order_the_panel_adjustments_and_hearing_back(built_demo):
    site, output = built_demo
    data = _yaml(site, "applying.yaml")
    soup = _soup(output, "applying")
    steps = soup.select("#steps ~ ol > li")
    assert [_words(s.find("h3")) for s in steps] == [
        f"Step {i} of {len(data['steps'])} {s['title']}" for i, s in enumerate(data["steps"], 1)]
    for item, step in zip(steps, data["steps"], strict=True):
        assert " ".join(step["what_happens"].split()) in _words(item)
        if step.get("how_long"):
            assert f"How long: {step['how_long']}" in _words(item)
    assessed = {_words(d.find("dt")): _words(d.find("dd")) for d in soup.select("#assessment + dl > div")}
    assert assessed == {a["what"]: " ".join(a["how"].split()) for a in data["assessment"]}
    panel = [_words(li) for li in soup.select("#panel + ul > li")]
    assert len(panel) == len(data["panel"])
    young = [m for m in data["panel"] if m.get("young_people")]
    assert young, "the demo's panel includes young people"
    for shown, member in zip(panel, data["panel"], strict=True):
        assert shown.startswith(member["who"])
        assert ("Young people" in shown.removeprefix(member["who"])) == bool(member.get("young_people"))
    assert " ".join(data["panel_note"].split()) == _words(soup.select_one("#panel + ul + p"))
    adjustments = data["reasonable_adjustments"]
    section = _words(soup.find(id="adjustments").find_next("p"))
    assert " ".join(adjustments["text"].split()) == section
    assert soup.find("a", href=f"mailto:{adjustments['email']}") is not None
    rows = soup.select("#hear-back + dl > div")
    min_count, min_base = _thresholds(site)
    assert len(rows) == len(data["hear_back"])
    for row, h in zip(rows, data["hear_back"], strict=True):
        assert _words(row.find("dt")) == f"After {h['after']}"
        text = _words(row.find("dd"))
        assert f"Within {h['working_days']} working day" in text
        m = h["measured"]
        assert row.find("time")["datetime"] == str(m["as_at"])
        assert f"Source: {m['source']}" in text
        assert f"In the {m['period_months']} months to" in text
        unit = " working day" if m["median_working_days"] == 1 else " working days"
        assert _rate_text(m["median_working_days"], m["candidates"], min_count, min_base, unit) in text
        assert f"over {_count_text(m['candidates'], min_count)} candidates" in text


def test_a_median_wait_over_few_candidates_is_not_published(site):
    data = _yaml(site, "applying.yaml")
    min_count, min_base = _thresholds(site)
    few = min_base - 1
    assert few >= min_count  # shown as a count, but too few to publish a median of
    data["hear_back"][0]["measured"]["candidates"] = few
    _write(site, "applying.yaml", data)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    text = _words(_soup(site / "output", "applying").select("#hear-back + dl > div")[0])
    assert "half of candidates heard within: not published" in text
    assert f"over {few} candidates" in text
    assert f"based on fewer than {min_base} people" in text


# --- teams ---------------------------------------------------------------------------

def test_the_list_of_teams_links_every_team_page_and_each_shows_its_fields(built_demo):
    site, output = built_demo
    data = _yaml(site, "vacancies.yaml")
    places = {p["id"]: p for p in data["places"]}
    listing = _soup(output, "teams")
    links = [a["href"] for a in listing.select("main h2 a")]
    assert links == [f"/teams/{t['id']}/" for t in data["teams"]]
    for team in data["teams"]:
        soup = _soup(output, f"teams/{team['id']}")
        main = soup.find("main")
        assert _words(main.find("h1")) == team["name"]
        text = _words(main)
        for para in (team.get("about") or "").split("\n\n"):
            assert " ".join(para.split()) in text
        if team.get("manager_role"):
            assert _words(main.select_one(".team__manager")) == team["manager_role"]
        if team.get("location"):
            place = places[team["location"]]
            assert _words(main.select_one(".team__place")) == ", ".join(
                place[k] for k in ("name", "street", "locality", "postcode"))
        if team.get("hybrid_pattern"):
            assert _words(main.select_one(".team__hybrid")) == " ".join(team["hybrid_pattern"].split())
        assert (main.find(id="stability") is not None) == ("stability" in team)
    assert any("stability" not in t for t in data["teams"]), "the demo has a team without figures"


def test_stability_figures_are_dated_sourced_and_suppressed_below_the_thresholds(built_demo):
    site, output = built_demo
    min_count, min_base = _thresholds(site)
    teams = [t for t in _yaml(site, "vacancies.yaml")["teams"] if "stability" in t]
    suppressed = shown = 0
    for team in teams:
        st = team["stability"]
        soup = _soup(output, f"teams/{team['id']}")
        when = soup.select_one(".team-stability__when")
        assert when.find("time")["datetime"] == str(st["as_at"])
        assert f"Source: {st['source']}" in _words(when)
        figures = {_words(d.find("dt")): _words(d.select_one(".team-stability__value"))
                   for d in soup.select(".team-stability > div") if d.select_one(".team-stability__value")}
        expected = {}
        if "staff_count" in st:
            expected["Social workers in the team"] = _count_text(st["staff_count"], min_count)
            if "permanent_staff_percent" in st:
                expected["On permanent contracts"] = _rate_text(
                    st["permanent_staff_percent"], st["staff_count"], min_count, min_base, "%")
        if "case_holders" in st:
            expected["Social workers holding cases"] = _count_text(st["case_holders"], min_count)
            if "average_caseload" in st:
                expected["Average caseload"] = _rate_text(
                    st["average_caseload"], st["case_holders"], min_count, min_base, " children")
        assert figures == expected, team["id"]
        suppressed += sum(v in ("not published", f"fewer than {min_count}") for v in expected.values())
        shown += sum(v not in ("not published", f"fewer than {min_count}") for v in expected.values())
        if "permanent_manager" in st:
            row = soup.find(id="figure-permanent-manager")
            assert _words(row.find("dd")).startswith("Yes" if st["permanent_manager"] else "No")
        if any(v in ("not published", f"fewer than {min_count}") for v in expected.values()):
            assert "so that no one can be identified" in _words(soup.select_one(".team-stability__notes"))
    assert suppressed and shown, "the demo should show some figures and suppress others"


def test_manager_name_is_shown_only_with_consent_and_approval_in_date(site):
    data = _yaml(site, "vacancies.yaml")
    build_day = dt.date(2026, 11, 1)
    consent = {"given_by": "the manager", "date": build_day - dt.timedelta(days=30), "scope": ["website"],
               "expires": build_day + dt.timedelta(days=300), "reference": "CON-2026-031"}
    approval = {"approver_role": "Head of service", "date": build_day - dt.timedelta(days=20)}
    named, expired = data["teams"][0], data["teams"][1]
    named.update(manager_consent=consent, manager_approval=approval, manager_name="Sam Okafor")
    expired.update(manager_consent={**consent, "expires": build_day - dt.timedelta(days=1)},
                   manager_approval=approval, manager_name="Alex Morgan")
    _write(site, "vacancies.yaml", data)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    out = site / "output"
    assert _words(_soup(out, f"teams/{named['id']}").select_one(".team__manager")) == (
        f"Sam Okafor, {named['manager_role']}")
    page = _soup(out, f"teams/{expired['id']}")
    assert _words(page.select_one(".team__manager")) == expired["manager_role"]
    assert "Alex Morgan" not in page.get_text()


def test_bad_values_are_each_reported_on_their_line_in_one_run(site):
    data = _yaml(site, "vacancies.yaml")
    st = data["teams"][0]["stability"]
    st["staff_count"] = -3
    st["permanent_staff_percent"] = 120
    st["favourite_colour"] = "blue"
    del data["teams"][1]["stability"]["as_at"]
    data["teams"][2]["manager_name"] = "Sam Okafor"
    _write(site, "vacancies.yaml", data)
    applying = _yaml(site, "applying.yaml")
    applying["hear_back"][0]["working_days"] = -1
    applying["steps"][0]["colour"] = "red"
    _write(site, "applying.yaml", applying)
    result = cswork("build", str(site))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    found = [m.groupdict() for m in map(LINE.match, result.stderr.splitlines()) if m]
    lines = {(f["path"], f["field"]): (int(f["line"]), f["message"]) for f in found}

    def on_its_line(path: str, field: str, key: str, words: str) -> None:
        assert (path, field) in lines, (field, result.stderr)
        line, message = lines[(path, field)]
        assert words in message, message
        assert key in (site / path).read_text(encoding="utf-8").splitlines()[line - 1]

    vac, app = "data/vacancies.yaml", "data/applying.yaml"
    on_its_line(vac, "teams[0].stability.staff_count", "staff_count", "greater than or equal to 0")
    on_its_line(vac, "teams[0].stability.permanent_staff_percent", "permanent_staff_percent",
                "less than or equal to 100")
    on_its_line(vac, "teams[0].stability.favourite_colour", "favourite_colour", "unknown key")
    on_its_line(vac, "teams[2].manager_name", "manager_name", "manager_consent and manager_approval")
    on_its_line(app, "hear_back[0].working_days", "working_days", "greater than or equal to 0")
    on_its_line(app, "steps[0].colour", "colour", "unknown key")
    assert (vac, "teams[1].stability.as_at") in lines
    assert lines[(vac, "teams[1].stability.as_at")][1] == "is required but missing"


def test_a_share_or_an_average_without_its_base_is_refused(site):
    data = _yaml(site, "vacancies.yaml")
    st = data["teams"][0]["stability"]
    del st["staff_count"], st["case_holders"]
    _write(site, "vacancies.yaml", data)
    result = cswork("build", str(site))
    assert result.returncode == 2
    fields = {m["field"]: m["message"] for m in map(LINE.match, result.stderr.splitlines()) if m}
    assert "needs staff_count" in fields["teams[0].stability.permanent_staff_percent"]
    assert "needs case_holders" in fields["teams[0].stability.average_caseload"]


def test_team_location_must_be_a_known_place(site):
    data = _yaml(site, "vacancies.yaml")
    data["teams"][0]["location"] = "nowhere"
    _write(site, "vacancies.yaml", data)
    result = cswork("build", str(site))
    assert result.returncode == 2
    assert re.search(r"^data/vacancies\.yaml:\d+: teams\[0\]\.location: expected the id of a place",
                     result.stderr, re.MULTILINE), result.stderr


# --- navigation ----------------------------------------------------------------------

def test_navigation_links_applying_and_teams_only_when_their_data_exists(built_demo, site):
    _, output = built_demo
    nav = _nav(_soup(output, ""))
    assert nav["Applying"] == "/applying/" and nav["Our teams"] == "/teams/"
    (site / "data" / "applying.yaml").write_text("# not in use yet\n", encoding="utf-8")
    (site / "data" / "vacancies.yaml").unlink()
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    out = site / "output"
    nav = _nav(_soup(out, ""))
    assert "Applying" not in nav and "Our teams" not in nav
    assert not (out / "applying").exists() and not (out / "teams").exists()


def test_a_rebuild_after_the_data_goes_drops_the_links_from_pages_it_reuses(site):
    """Every page shows the navigation, so a page taken from the last build must not keep
    a link to a page that is no longer written."""
    assert cswork("build", str(site)).returncode == 0
    story = next(p for p in (site / "output" / "stories").rglob("index.html") if p.parent.parent.name.isdigit())
    rel = story.parent.relative_to(site / "output").as_posix()
    assert "Applying" in _nav(_soup(site / "output", rel))
    (site / "data" / "applying.yaml").write_text("# not in use yet\n", encoding="utf-8")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert "Applying" not in _nav(_soup(site / "output", rel))
    assert not (site / "output" / "applying").exists()
