"""Inspections as they are now: each says only what it actually gave.

From April 2026 an Ofsted ILACS gives no overall effectiveness grade, only its
sub-judgements; focused visits, monitoring visits, JTAIs and Care Inspectorate Wales
give findings without grades. The site is built with the real command line and the
pages read back with BeautifulSoup; the expected values come from the YAML, read with
plain PyYAML.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from cswork_site.pages.filters import long_date

from .helpers import cswork


def _soup(path: Path) -> BeautifulSoup:
    assert path.is_file(), f"{path} was not written"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def _plain(node) -> str:
    """The text as read, without a space where an element ends: '4 October 2024: Ofsted'."""
    return " ".join(node.get_text().split())


def _squash(text: str) -> str:
    return " ".join(str(text).split())


def _service(site: Path) -> dict:
    return yaml.safe_load((site / "data" / "service.yaml").read_text(encoding="utf-8"))


def _write_service(site: Path, data: dict) -> None:
    (site / "data" / "service.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                                encoding="utf-8")


def _latest_row(output: Path):
    soup = _soup(output / "index.html")
    dt_ = next(d for d in soup.select(".summary-list dt") if d.get_text(strip=True) == "Latest inspection")
    return dt_.find_next_sibling("dd")


def _timeline(output: Path) -> list:
    return _soup(output / "improvement" / "index.html").select("ol.timeline > li.timeline__item")


def _item_for(items: list, date: dt.date):
    (item,) = [i for i in items if i.find("time")["datetime"] == date.isoformat()]
    return item


def _by_kind(data: dict, kind: str) -> dict:
    (found,) = [i for i in data["inspections"] if str(i.get("kind", "")).casefold() == kind.casefold()]
    return found


def test_demo_has_a_graded_ilacs_from_april_2026_and_a_focused_visit(built_demo):
    site, _ = built_demo
    data = _service(site)
    ilacs = _by_kind(data, "ILACS")
    assert ilacs["date"] >= dt.date(2026, 4, 1)
    assert "overall" not in ilacs and "judgement" not in ilacs
    assert len(ilacs["judgements"]) >= 3
    visit = _by_kind(data, "focused visit")
    assert visit["findings"] and "judgement" not in visit and "judgements" not in visit


def test_no_page_says_judged_us_for_an_inspection_without_an_overall_grade(built_demo):
    site, output = built_demo
    data = _service(site)
    ungraded = [i for i in data["inspections"] if not (i.get("overall") or i.get("judgement"))]
    assert len(ungraded) >= 2
    for i in ungraded:
        item = _item_for(_timeline(output), i["date"])
        assert "judged us" not in _text(item)
    # The home page shows the newest inspection, here the ILACS without an overall grade.
    latest = max(data["inspections"], key=lambda i: i["date"])
    assert latest in ungraded
    assert "judged us" not in _text(_latest_row(output))
    for page in output.rglob("*.html"):
        text = _text(_soup(page))
        for grade in ("outstanding", "good", "requires improvement to be good", "inadequate"):
            # Only the three graded records may be said to have judged us anything.
            if f"judged us {grade}" in text:
                assert any((i.get("judgement") or i.get("overall")) == grade for i in data["inspections"]), page


def test_home_page_lists_the_new_ilacs_sub_judgements_by_name(built_demo):
    site, output = built_demo
    ilacs = _by_kind(_service(site), "ILACS")
    row = _latest_row(output)
    text = _text(row)
    assert long_date(ilacs["date"]) in text
    assert "no overall grade" in text
    listed = [_text(li) for li in row.select("li")]
    assert listed == [f"{_squash(j['name'])}: {j['judgement']}" for j in ilacs["judgements"]]


def test_timeline_shows_sub_judgements_by_name_and_the_visits_findings(built_demo):
    site, output = built_demo
    data = _service(site)
    items = _timeline(output)
    assert len(items) == len(data["inspections"])
    assert [i.find("time")["datetime"] for i in items] == sorted(i["date"].isoformat() for i in data["inspections"])

    ilacs = _by_kind(data, "ILACS")
    item = _item_for(items, ilacs["date"])
    heading = _plain(item.find("h3"))
    assert "ILACS" in heading and "no overall grade" in heading
    rows = {_text(r.find("dt")): _text(r.find("dd")) for r in item.select(".summary-list__row")}
    assert rows == {_squash(j["name"]): j["judgement"].capitalize() for j in ilacs["judgements"]}
    assert item.find("a", href=ilacs["url"]) is not None

    visit = _by_kind(data, "focused visit")
    item = _item_for(items, visit["date"])
    assert _plain(item.find("h3")) == f"{long_date(visit['date'])}: Ofsted focused visit: findings"
    assert [_text(li) for li in item.select("ul li")] == [_squash(f) for f in visit["findings"]]


def test_old_style_records_still_build_and_read_judged_us(built_demo):
    site, output = built_demo
    data = _service(site)
    old = [i for i in data["inspections"] if "body" in i and "judgement" in i]
    assert len(old) == 3  # date, body, judgement, summary, url: as written before the kinds
    items = _timeline(output)
    for i in old:
        item = _item_for(items, i["date"])
        assert f"{i['body']} judged us {i['judgement']}" in _plain(item.find("h3"))
        assert _squash(i["summary"]) in _text(item)


@pytest.mark.slow
def test_an_old_style_record_on_its_own_reads_judged_us_good_on_the_home_page(site):
    data = _service(site)
    data["inspections"] = [{"date": dt.date(2024, 10, 4), "body": "Ofsted", "judgement": "good",
                            "summary": "Inspectors said children get the right help at the right time.",
                            "url": "https://www.castlebrook.example.org/about-us/inspections/2024/"}]
    _write_service(site, data)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    output = site / "output"
    assert _text(_latest_row(output)).startswith("Ofsted judged us good (4 October 2024)")
    (item,) = _timeline(output)
    assert _plain(item.find("h3")) == "4 October 2024: Ofsted judged us good"


@pytest.mark.slow
def test_a_focused_visit_as_the_latest_shows_its_findings_on_the_home_page(site):
    data = _service(site)
    data["inspections"] = [i for i in data["inspections"] if str(i.get("kind", "")).casefold() != "ilacs"]
    visit = _by_kind(data, "focused visit")
    _write_service(site, data)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    row = _latest_row(site / "output")
    text = _text(row)
    assert text.startswith(f"Ofsted focused visit, {long_date(visit['date'])}: findings")
    assert "judged us" not in text
    assert [_text(li) for li in row.select("li")] == [_squash(f) for f in visit["findings"]]


@pytest.mark.slow
def test_care_inspectorate_wales_findings_without_grades(site):
    data = _service(site)
    data["inspections"] = [{"date": dt.date(2026, 3, 20), "inspectorate": "Care Inspectorate Wales",
                            "kind": "performance evaluation inspection",
                            "findings": ["People are listened to and their views shape the support they get."]}]
    _write_service(site, data)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    text = _text(_latest_row(site / "output"))
    assert text.startswith("Care Inspectorate Wales performance evaluation inspection, 20 March 2026: findings")
    assert "judged us" not in text


def _check_problems(site: Path) -> list[str]:
    result = cswork("check", str(site))
    return [line for line in result.stderr.splitlines() if line.startswith("data/service.yaml:")]


def _line_of(site: Path, text: str) -> int:
    lines = (site / "data" / "service.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


@pytest.mark.parametrize(("change", "message"), [
    # A post-April-2026 ILACS with an overall grade: the framework gives none.
    (lambda i: {**i, "overall": "good"}, "gives no overall grade"),
    # A focused visit with a grade: visits give findings only.
    (lambda i: {**i, "kind": "focused visit"}, "gives no judgements or grades"),
])
@pytest.mark.slow
def test_a_grade_the_framework_does_not_give_is_refused(site, change, message):
    data = _service(site)
    n = next(k for k, i in enumerate(data["inspections"]) if str(i.get("kind", "")).casefold() == "ilacs")
    data["inspections"][n] = change(data["inspections"][n])
    _write_service(site, data)
    problems = _check_problems(site)
    assert len(problems) == 1, problems
    assert f"inspections[{n}]: " in problems[0] and message in problems[0]
    line = int(problems[0].split(":")[1])
    assert line == _line_of(site, f"date: {data['inspections'][n]['date'].isoformat()}")
