"""The improvement story end to end: headline figures, charts with data tables against
the benchmarks, suppression in the downloads, computed strategy status, staleness, and
the metrics commands."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import REPO, cswork, tree_digest

SHARED = REPO.parent / "shared" / "data" / "dfe-csww"


def _snapshots(site: Path) -> list[dict]:
    return sorted((yaml.safe_load(p.read_text()) for p in (site / "data" / "metrics").glob("*.yaml")),
                  key=lambda s: s["as_at"])


def _soup(output: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((output / rel).read_text(), "html.parser")


def _pct(value) -> str:
    return f"{float(value):.1f}".rstrip("0").rstrip(".") + "%"


def test_headlines_show_the_newest_figures_with_their_date_and_change(built_demo):
    site, output = built_demo
    snaps = _snapshots(site)
    newest, year_before = snaps[-1], next(s for s in snaps if s["as_at"] == snaps[-1]["as_at"].replace(year=snaps[-1]["as_at"].year - 1))
    soup = _soup(output, "improvement/index.html")
    text = " ".join(soup.get_text(" ").split())
    assert f"As at {newest['as_at'].day} {newest['as_at']:%B %Y}" in text
    agency_now, agency_then = newest["agency_rate"]["value"], year_before["agency_rate"]["value"]
    assert f"Agency use fell from {_pct(agency_then)} to {_pct(agency_now)} in one year." in text
    home = " ".join(_soup(output, "index.html").get_text(" ").split())
    assert _pct(newest["vacancy_rate"]["value"]) in home
    offer = " ".join(_soup(output, "our-offer/index.html").get_text(" ").split())
    caseload = f"{float(newest['average_caseload']['value']):g}"
    assert f"The real average caseload across our social workers was {caseload} children" in offer


def test_trend_charts_have_titles_summaries_and_tables_matching_the_data(built_demo):
    site, output = built_demo
    soup = _soup(output, "improvement/index.html")
    charts = soup.select("figure.chart")
    assert len(charts) == 4
    bench = yaml.safe_load((site / "data" / "benchmarks.yaml").read_text())["rows"]
    snaps = {s["as_at"].year: s for s in _snapshots(site) if s["as_at"].month == 9}
    for chart in charts:
        svg = chart.find("svg")
        assert svg.find("title") and svg["role"] == "img" and chart.select_one(".chart__summary").get_text(strip=True)
        table = chart.find("table")
        years = [int(th.get_text()) for th in table.select("thead th")[1:]]
        rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")}
        measure = chart["aria-labelledby"].removesuffix("-title").replace("-", "_")
        for year, cell in zip(years, rows["Castlebrook"]):
            if year in snaps:
                expected = snaps[year][measure]["value"]
                assert cell in (_pct(expected), f"{float(expected):g}")
        england = {r["year"]: r["figures"][measure]["value"] for r in bench
                   if r["area"] == "England" and measure in r["figures"]}
        for year, cell in zip(years, rows["England"]):
            if england.get(year) is not None:
                assert cell in (_pct(england[year]), f"{float(england[year]):g}")
        # Lines are told apart by dash and marker too, never colour alone.
        series = chart.select("g.chart__series")
        assert len({g["class"][1] for g in series}) == len(series) >= 2


def test_downloads_hold_every_figure_with_small_numbers_suppressed(built_demo):
    site, output = built_demo
    rows = list(csv.DictReader((output / "improvement" / "figures.csv").open()))
    records = json.loads((output / "improvement" / "figures.json").read_text())["figures"]
    assert len(rows) == len(records) > 0
    small = [r for r in rows if r["figure"] == "agency_conversions" and r["shown_as"].startswith("fewer than")]
    assert small and all(r["value"] == "" for r in small)
    raw_small = [s for s in _snapshots(site) if s.get("agency_conversions", {}).get("value", 99) < 5]
    assert len(small) == len(raw_small)
    for record in records:
        if record["shown_as"].startswith("fewer than"):
            assert record["value"] is None
    page = (output / "improvement" / "index.html").read_text()
    assert 'href="/improvement/figures.csv"' in page and 'href="/improvement/figures.json"' in page


def test_strategy_status_is_computed_from_the_newest_figures(built_demo):
    site, output = built_demo
    strategy = yaml.safe_load((site / "data" / "strategy.yaml").read_text())
    snaps = _snapshots(site)
    soup = _soup(output, "improvement/index.html")
    for strand in strategy["strands"]:
        table = soup.find(id=f"measures-{strand['id']}").find_parent("table")
        statuses = [tr.select_one(".status").get_text(strip=True).lower() for tr in table.select("tbody tr")]
        for measure, status in zip(strand["measures"], statuses):
            kind, _, ident = measure["metric"].partition(":")
            value = None
            for snap in reversed(snaps):
                if kind == "kpi":
                    value = next((f["value"] for f in snap.get("local", []) if f["kpi"] == ident), None)
                else:
                    value = snap.get(measure["metric"], {}).get("value")
                if value is not None:
                    break
            if value is None:
                assert status == "no data"
            else:
                met = value <= measure["target"] if measure["direction"] == "at most" else value >= measure["target"]
                assert status == ("on track" if met else "not yet"), measure


def test_old_figures_are_flagged_by_check(site):
    later = str(int(dt.datetime(2027, 6, 1, tzinfo=dt.timezone.utc).timestamp()))
    result = cswork("check", str(site), env={"SOURCE_DATE_EPOCH": later})
    assert result.returncode == 1
    assert "data/metrics/2026-09-30.yaml:" in result.stderr and "the newest figures are 244 days old" in result.stderr


def test_metrics_pull_from_a_file_through_the_command_line(site, tmp_path):
    source = tmp_path / "latest.json"
    source.write_text(json.dumps({"as_at": "2026-10-31", "source": "Castlebrook HR workforce dashboard",
                                  "figures": {"vacancy_rate": {"value": 13.9, "unit": "percent", "denominator": 190}}}))
    before = tree_digest(site / "data" / "metrics")
    result = cswork("metrics", "pull", str(site), "--from", str(source))
    assert result.returncode == 0, result.stderr
    assert (site / "data" / "metrics" / "2026-10-31.yaml").exists()
    again = cswork("metrics", "pull", str(site), "--from", str(source))
    assert again.returncode == 2 and again.stderr.startswith("cswork: ") and "Traceback" not in again.stderr
    after = tree_digest(site / "data" / "metrics")
    assert {k: v for k, v in after.items() if k in before} == before


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/dfe-csww is not beside the project")
def test_import_dfe_through_the_command_line(site):
    result = cswork("metrics", "import-dfe", str(SHARED / "csww_indicators_2017_to_2025.csv"), str(site))
    assert result.returncode == 0, result.stderr
    rows = yaml.safe_load((site / "data" / "benchmarks.yaml").read_text())["rows"]
    england_2024 = next(r for r in rows if r["area"] == "England" and r["year"] == 2024)
    assert england_2024["figures"]["agency_rate"]["value"] == 16.2
    bad = cswork("metrics", "import-dfe", str(site / "data" / "offer.yaml"), str(site))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_small_count_in_a_measure_of_success_is_not_published(site):
    strategy = site / "data" / "strategy.yaml"
    text = strategy.read_text().replace("      - metric: nq_intake\n        target: 12",
                                        "      - metric: agency_conversions\n        target: 12")
    strategy.write_text(text)
    # The newest snapshot's conversions become a small count.
    newest = sorted((site / "data" / "metrics").glob("*.yaml"))[-1]
    data = yaml.safe_load(newest.read_text())
    data["agency_conversions"]["value"] = 3
    newest.write_text(yaml.safe_dump(data, sort_keys=False))
    assert cswork("build", str(site)).returncode == 0
    soup = _soup(site / "output", "improvement/index.html")
    row = soup.find(id="measures-grow").find_parent("table").select_one("tbody tr")
    assert "fewer than 5" in row.get_text() and " 3 " not in f" {row.get_text(' ')} "
