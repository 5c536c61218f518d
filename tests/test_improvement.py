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
from dateutil.relativedelta import relativedelta

from .helpers import REPO, cswork, tree_digest

SHARED = REPO.parent / "shared" / "data" / "dfe-csww"


def _snapshots(site: Path) -> list[dict]:
    return sorted((yaml.safe_load(p.read_text()) for p in (site / "data" / "metrics").glob("*.yaml")),
                  key=lambda s: s["as_at"])


def _soup(output: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((output / rel).read_text(), "html.parser")


def _pct(value) -> str:
    return f"{float(value):.1f}".rstrip("0").rstrip(".") + "%"


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _nearest_year_before(snaps: list[dict], newest: dict) -> dict | None:
    """Written here, apart from the package: the snapshot nearest to one year before the
    newest, 9 to 15 months before it, the earlier on a tie."""
    day = newest["as_at"]
    month_end = (day + dt.timedelta(days=1)).day == 1

    def back(months: int) -> dt.date:
        moved = day - relativedelta(months=months)
        return (moved + relativedelta(day=31)) if month_end else moved

    target, earliest, latest = back(12), back(15), back(9)
    candidates = [s for s in snaps if earliest <= s["as_at"] <= latest]
    return min(candidates, key=lambda s: (abs((s["as_at"] - target).days), s["as_at"]), default=None)


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_headlines_show_the_newest_figures_with_their_date_and_change(built_demo):
    site, output = built_demo
    snaps = _snapshots(site)
    newest = snaps[-1]
    year_before = _nearest_year_before(snaps, newest)
    soup = _soup(output, "improvement/index.html")
    text = _text(soup)
    assert f"As at {newest['as_at'].day} {newest['as_at']:%B %Y}" in text
    agency_now, agency_then = newest["agency_rate"]["value"], year_before["agency_rate"]["value"]
    assert (f"Agency use fell from {_pct(agency_then)} at {_long(year_before['as_at'])} "
            f"to {_pct(agency_now)} at {_long(newest['as_at'])}.") in _text(soup.find(id="figure-agency-rate"))
    home = " ".join(_soup(output, "index.html").get_text(" ").split())
    assert _pct(newest["vacancy_rate"]["value"]) in home
    offer = " ".join(_soup(output, "our-offer/index.html").get_text(" ").split())
    caseload = f"{float(newest['average_caseload']['value']):g}"
    assert f"The real average caseload across our social workers was {caseload} children" in offer


def _add_snapshot(site: Path, day: dt.date, **values) -> dict:
    """A new snapshot dated `day`: the newest one's figures, with some changed."""
    data = yaml.safe_load(sorted((site / "data" / "metrics").glob("*.yaml"))[-1].read_text())
    data["as_at"], data["collected"] = day, day
    for name, value in values.items():
        data[name]["value"] = value
    (site / "data" / "metrics" / f"{day.isoformat()}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return data


@pytest.mark.parametrize("added, epoch", [
    ([dt.date(2026, 10, 31)], None),
    ([dt.date(2026, 12, 31)], "1800000000"),  # built on 15 January 2027
    ([dt.date(2025, 12, 31), dt.date(2026, 12, 31)], "1800000000"),
], ids=["october", "december", "december-with-last-december"])
@pytest.mark.slow
def test_an_off_cycle_snapshot_keeps_the_year_on_year_sentences(site, added, epoch):
    for i, day in enumerate(added):
        _add_snapshot(site, day, agency_rate=8.4 - i, agency_conversions=11 + i)
    result = cswork("build", str(site), env={"SOURCE_DATE_EPOCH": epoch} if epoch else None)
    assert result.returncode == 0, result.stderr
    snaps = _snapshots(site)
    newest = snaps[-1]
    assert newest["as_at"] == added[-1]
    before = _nearest_year_before(snaps, newest)
    assert before is not None and before["as_at"] != newest["as_at"]
    soup = _soup(site / "output", "improvement/index.html")
    row = _text(soup.find(id="figure-agency-rate"))
    then, now = before["agency_rate"]["value"], newest["agency_rate"]["value"]
    verb = "fell" if now < then else "rose"
    assert (f"Agency use {verb} from {_pct(then)} at {_long(before['as_at'])} "
            f"to {_pct(now)} at {_long(newest['as_at'])}.") in row
    # A count compares like periods, and says which.
    conversions = _text(soup.find(id="figure-agency-conversions"))
    months = newest["agency_conversions"]["period_months"]
    assert before["agency_conversions"]["period_months"] == months
    c_then, c_now = before["agency_conversions"]["value"], newest["agency_conversions"]["value"]
    if c_then != c_now:
        assert (f"from {c_then} people in the {months} months to {_long(before['as_at'])} "
                f"to {c_now} people in the {months} months to {_long(newest['as_at'])}.") in conversions


def test_counts_say_their_period_here_and_on_the_agency_page(built_demo):
    site, output = built_demo
    newest = _snapshots(site)[-1]
    soup = _soup(output, "improvement/index.html")
    counted = [name for name in ("agency_conversions", "nq_intake", "sickness_absence", "turnover_rate")
               if newest.get(name, {}).get("period_months")]
    assert {"agency_conversions", "nq_intake"} <= set(counted)
    for name in counted:
        months = newest[name]["period_months"]
        row = _text(soup.find(id=f"figure-{name.replace('_', '-')}"))
        assert f"in the {months} months to {_long(newest['as_at'])}" in row, row
    agency = _text(_soup(output, "agency-to-permanent/index.html"))
    months = newest["agency_conversions"]["period_months"]
    assert (f"agency social workers moved to permanent posts with us in the {months} months to "
            f"{_long(newest['as_at'])}.") in agency
    assert "moved to permanent posts with us in the six months" not in agency


# The DfE's definitions, as the issue gives them (FTE basis, at 30 September).
DFE_DEFINITIONS = {
    "turnover_rate": "FTE leavers in the year ÷ FTE social workers in post",
    "vacancy_rate": "FTE vacancies ÷ (FTE vacancies + FTE social workers in post)",
    "agency_rate": "FTE agency workers ÷ (FTE agency workers + FTE social workers in post)",
    "average_caseload": "cases held ÷ FTE case-holding social workers, agency workers included",
}


def test_each_figure_has_its_definition_beside_it(built_demo):
    site, output = built_demo
    soup = _soup(output, "improvement/index.html")
    newest = _snapshots(site)[-1]
    shown = [name for name in newest if soup.find(id=f"figure-{name.replace('_', '-')}")]
    assert len(shown) >= 8
    for name in shown:
        row = soup.find(id=f"figure-{name.replace('_', '-')}")
        definition = row.select_one(".definition")
        assert definition and len(_text(definition)) > 30, name
        if name in DFE_DEFINITIONS:
            assert DFE_DEFINITIONS[name] in _text(definition) and "30 September" in _text(definition)
    for name, words in DFE_DEFINITIONS.items():
        chart = soup.find(id=f"{name.replace('_', '-')}-definition")
        assert chart is not None and words in _text(chart) and chart.find_parent("figure", class_="chart")


def test_statuses_have_a_key_and_targets_have_units_and_dates(built_demo):
    site, output = built_demo
    soup = _soup(output, "improvement/index.html")
    key = soup.find(id="status-key")
    assert key is not None
    key_text = _text(key.find_next("dl"))
    for status in ("On track", "Not yet", "No data"):
        assert status in key_text
    strategy = yaml.safe_load((site / "data" / "strategy.yaml").read_text())
    kpis = {k["id"]: k["unit"] for k in yaml.safe_load((site / "data" / "metrics.yaml").read_text())["local_kpis"]}
    units = {"vacancy_rate": "%", "agency_rate": "%", "turnover_rate": "%", "permanency_rate": "%",
             "average_caseload": " children per worker", "sickness_absence": " days per FTE",
             "agency_conversions": " people", "nq_intake": " people", "headcount": " people", "fte": " FTE"}
    for strand in strategy["strands"]:
        table = soup.find(id=f"measures-{strand['id']}").find_parent("table")
        assert table.caption.find("a", href="#status-key")
        cells = [tr.find_all("td")[0].get_text(" ", strip=True) for tr in table.select("tbody tr")]
        for measure, cell in zip(strand["measures"], cells, strict=True):
            kind, _, ident = measure["metric"].partition(":")
            percent = kind == "survey" or (kind == "kpi" and kpis[ident] == "percent")
            unit = "%" if percent else units.get(measure["metric"], "")
            target = f"{float(measure['target']):g}{unit}"
            assert cell.startswith(f"{measure['direction']} {target}"), (cell, target)
            if measure.get("by"):
                assert f"by {_long(measure['by'])}" in cell
            if measure.get("period_months"):
                assert f"over {measure['period_months']} months" in cell


def test_charts_show_the_target_and_the_comparators(built_demo):
    site, output = built_demo
    soup = _soup(output, "improvement/index.html")
    strategy = yaml.safe_load((site / "data" / "strategy.yaml").read_text())
    targets = {}
    for strand in strategy["strands"]:
        for m in strand["measures"]:
            targets.setdefault(m["metric"], m)
    settings = yaml.safe_load((site / "data" / "metrics.yaml").read_text())
    bench = yaml.safe_load((site / "data" / "benchmarks.yaml").read_text())["rows"]
    present = [c for c in settings["comparators"] if any(r["area"] == c for r in bench)]
    assert present, "the demo benchmarks should hold the comparators"
    for chart in soup.select("figure.chart"):
        measure = chart["aria-labelledby"].removesuffix("-title").replace("-", "_")
        target = chart.select_one("g.chart__target")
        if measure in targets:
            m = targets[measure]
            assert target is not None and target.find("line")
            assert f"{m['direction']} {float(m['target']):g}" in _text(target)
        else:
            assert target is None
        table = chart.find("table")
        years = [int(th.get_text()) for th in table.select("thead th")[1:]]
        rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
                for tr in table.select("tbody tr")}
        for area in present:
            assert area in rows, (measure, area)
            values = {r["year"]: r["figures"].get(measure, {}).get("value") for r in bench if r["area"] == area}
            for year, cell in zip(years, rows[area], strict=True):
                if values.get(year) is not None:
                    assert cell in (_pct(values[year]), f"{float(values[year]):g}")
        assert "Statistical neighbours (average)" in rows


def test_survey_and_sickness_are_shown_with_response_rates(built_demo):
    site, output = built_demo
    newest = _snapshots(site)[-1]
    soup = _soup(output, "improvement/index.html")
    sickness = _text(soup.find(id="figure-sickness-absence"))
    assert f"{float(newest['sickness_absence']['value']):g} days per FTE" in sickness
    table = soup.find(id="survey-caption").find_parent("table")
    rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in table.select("tbody tr")}
    for result in newest["staff_survey"]:
        agreed, respondents, rate = rows[result["question"]]
        assert agreed == _pct(result["value"]) and respondents == str(result["respondents"])
        assert rate == _pct(round(result["respondents"] * 100 / result["invited"], 1))


def test_sources_are_links(built_demo):
    site, output = built_demo
    newest = _snapshots(site)[-1]
    soup = _soup(output, "improvement/index.html")
    assert soup.find("a", href=newest["source_url"], string=newest["source"])
    bench = yaml.safe_load((site / "data" / "benchmarks.yaml").read_text())["source"]
    url = bench.rsplit(" ", 1)[-1]
    assert url.startswith("https://") and soup.find("a", href=url)


@pytest.mark.slow
def test_small_survey_answers_are_withheld_and_sickness_only_when_collected(site):
    newest = sorted((site / "data" / "metrics").glob("*.yaml"))[-1]
    data = yaml.safe_load(newest.read_text())
    data["staff_survey"][0]["respondents"] = 6
    data["staff_survey"][0]["invited"] = 8
    del data["sickness_absence"]
    newest.write_text(yaml.safe_dump(data, sort_keys=False))
    assert cswork("build", str(site)).returncode == 0
    soup = _soup(site / "output", "improvement/index.html")
    assert soup.find(id="figure-sickness-absence") is None
    table = soup.find(id="survey-caption").find_parent("table")
    question = data["staff_survey"][0]["question"]
    row = next(tr for tr in table.select("tbody tr") if tr.th.get_text(strip=True) == question)
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert cells[0] == "not published" and f"{data['staff_survey'][0]['value']}%" not in cells
    assert cells[2] == "not published"  # asked fewer than 10 people


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
        rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
                for tr in table.select("tbody tr")}
        measure = chart["aria-labelledby"].removesuffix("-title").replace("-", "_")
        for year, cell in zip(years, rows["Castlebrook"], strict=True):
            if year in snaps:
                expected = snaps[year][measure]["value"]
                assert cell in (_pct(expected), f"{float(expected):g}")
        england = {r["year"]: r["figures"][measure]["value"] for r in bench
                   if r["area"] == "England" and measure in r["figures"]}
        for year, cell in zip(years, rows["England"], strict=True):
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
        for measure, status in zip(strand["measures"], statuses, strict=True):
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


@pytest.mark.slow
def test_old_figures_are_flagged_by_check(site):
    later = str(int(dt.datetime(2027, 6, 1, tzinfo=dt.UTC).timestamp()))
    result = cswork("check", str(site), env={"SOURCE_DATE_EPOCH": later})
    assert result.returncode == 1
    assert "data/metrics/2026-09-30.yaml:" in result.stderr and "the newest figures are 244 days old" in result.stderr


@pytest.mark.slow
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
@pytest.mark.slow
def test_import_dfe_through_the_command_line(site):
    result = cswork("metrics", "import-dfe", str(SHARED / "csww_indicators_2017_to_2025.csv"), str(site))
    assert result.returncode == 0, result.stderr
    rows = yaml.safe_load((site / "data" / "benchmarks.yaml").read_text())["rows"]
    england_2024 = next(r for r in rows if r["area"] == "England" and r["year"] == 2024)
    assert england_2024["figures"]["agency_rate"]["value"] == 16.2
    bad = cswork("metrics", "import-dfe", str(site / "data" / "offer.yaml"), str(site))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_a_small_count_in_a_measure_of_success_is_not_published(site):
    strategy = site / "data" / "strategy.yaml"
    text = strategy.read_text().replace("      - metric: kpi:nq-retained-two-years\n        target: 80",
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
