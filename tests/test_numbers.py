"""Numbers that cannot be figures, wherever a number is read, through the real CLI.

NaN, infinity and numbers like 1E+999999999 (three characters in a file, a billion digits
once written out) are refused with the field named, in every data file, in a snapshot, in
a pull's JSON or CSV and in the DfE import: check exits 1, build and pull exit 2, every
line is in the error format or a `cswork: ` line, and nothing is written. Figures that are
valid but look mistaken (a rate written as a fraction, a headcount that doubles) are
warnings that give both values.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import copy_site, cswork, serving, tree_digest

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

PROBLEM_LINE = re.compile(r"^[^:\s][^:]*:\d+: \S+: .+$")
# `cswork check` ends with a count (cli.py); every other line is a problem or `cswork: `.
CHECK_SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings?\.$")
SNAPSHOT = "data/metrics/2026-09-30.yaml"
NOT_A_NUMBER = "which is not a number"
TOO_LARGE = "a number too large to be a figure"

# As written in a YAML file; how the message quotes it; what it is.
YAML_VALUES = [
    (".nan", "'nan'", NOT_A_NUMBER),
    (".inf", "'inf'", NOT_A_NUMBER),
    ("-.inf", "'-inf'", NOT_A_NUMBER),
    ("nan", "'nan'", NOT_A_NUMBER),
    ("Infinity", "'Infinity'", NOT_A_NUMBER),
    ("1E+999999999", "'1E+999999999'", TOO_LARGE),
    ("1e309", "'1e309'", TOO_LARGE),
]
# As written in JSON (Python's json module reads NaN and Infinity, which JSON has not got).
JSON_VALUES = [
    ("NaN", "'NaN'", NOT_A_NUMBER),
    ("Infinity", "'Infinity'", NOT_A_NUMBER),
    ("-Infinity", "'-Infinity'", NOT_A_NUMBER),
    ("1E+999999999", "'1E+999999999'", TOO_LARGE),
    ("1e309", "'1E+309'", TOO_LARGE),
    ("1" * 5000, "'" + "1" * 37 + "...'", TOO_LARGE),  # more digits than Python turns into an int
]
# As written in a CSV cell (a spreadsheet's float('nan') and friends).
CSV_VALUES = [
    ("nan", "'nan'", NOT_A_NUMBER),
    ("inf", "'inf'", NOT_A_NUMBER),
    ("-inf", "'-inf'", NOT_A_NUMBER),
    ("Infinity", "'Infinity'", NOT_A_NUMBER),
    ("1E+999999999", "'1E+999999999'", TOO_LARGE),
    ("1e309", "'1e309'", TOO_LARGE),
]


def _ids(values) -> list[str]:
    return [written if len(written) < 20 else f"{len(written)}-digits" for written, _, _ in values]


def line_of(site: Path, relpath: str, needle: str, after: str = "") -> int:
    text = (site / relpath).read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    return text[:text.index(needle, start)].count("\n") + 1


def replace(site: Path, relpath: str, old: str, new: str) -> None:
    file = site / relpath
    text = file.read_text(encoding="utf-8")
    assert old in text, (relpath, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def clean_lines(stderr: str) -> list[str]:
    """stderr's lines, each checked against the error contract."""
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = stderr.splitlines()
    for line in lines:
        assert PROBLEM_LINE.match(line) or line.startswith("cswork: ") or CHECK_SUMMARY.match(line), line
    return lines


def put_bad_numbers(site: Path, written: str) -> dict[str, str]:
    """written in a number field of every data file; returns 'PATH:LINE: FIELD' for each."""
    where = {
        "offer": f"data/offer.yaml:{line_of(site, 'data/offer.yaml', 'salary: 36600')}: "
                 "roles[0].pay.points[1].salary",
        "pension": f"data/offer.yaml:{line_of(site, 'data/offer.yaml', 'employer_contribution_percent')}: "
                   "benefits.pension.employer_contribution_percent",
        "pay-rules": f"data/pay-rules.yaml:{line_of(site, 'data/pay-rules.yaml', 'rate_percent: 20')}: "
                     "income_tax.bands[0].rate_percent",
        "agency": f"data/agency.yaml:{line_of(site, 'data/agency.yaml', 'locum_rates:')}: "
                  "comparison.locum_rates[1]",
        "metrics": f"data/metrics.yaml:{line_of(site, 'data/metrics.yaml', 'timeout_seconds:')}: "
                   "source.timeout_seconds",
        "snapshot": f"{SNAPSHOT}:{line_of(site, SNAPSHOT, 'value: 15.0', after='average_caseload:')}: "
                    "average_caseload.value",
    }
    replace(site, "data/offer.yaml", "salary: 36600", f"salary: {written}")
    replace(site, "data/offer.yaml", "employer_contribution_percent: 18.5", f"employer_contribution_percent: {written}")
    replace(site, "data/pay-rules.yaml", "rate_percent: 20", f"rate_percent: {written}")
    replace(site, "data/agency.yaml", "locum_rates: [35, 40, 45]", f"locum_rates: [35, {written}, 45]")
    replace(site, "data/metrics.yaml", "timeout_seconds: 10", f"timeout_seconds: {written}")
    replace(site, SNAPSHOT, "average_caseload:\n  value: 15.0", f"average_caseload:\n  value: {written}")
    return where


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The demo site, built once: each build test starts from a copy with its output."""
    site = copy_site(tmp_path_factory.mktemp("built") / "site")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "output" / "improvement" / "figures.json").is_file()
    return site


# ---------------------------------------------------------------------------
# Data files and snapshots


@pytest.mark.parametrize("written, shown, kind", YAML_VALUES, ids=_ids(YAML_VALUES))
def test_check_refuses_them_in_every_data_file(tmp_path, written, shown, kind):
    site = copy_site(tmp_path / "site")
    where = put_bad_numbers(site, written)
    result = cswork("check", str(site))
    assert result.returncode == 1
    lines = clean_lines(result.stderr)
    for place in where.values():
        assert f"{place}: expected a number; found {shown}, {kind}" in lines, (place, result.stderr)


@pytest.mark.parametrize("written, shown, kind", YAML_VALUES[:3] + YAML_VALUES[5:6],
                         ids=_ids(YAML_VALUES[:3] + YAML_VALUES[5:6]))
def test_build_refuses_them_and_leaves_the_output_alone(tmp_path, built, written, shown, kind):
    site = tmp_path / "site"
    shutil.copytree(built, site)
    before = tree_digest(site / "output")
    where = put_bad_numbers(site, written)
    result = cswork("build", str(site))
    assert result.returncode == 2
    lines = clean_lines(result.stderr)
    for place in where.values():
        assert f"{place}: expected a number; found {shown}, {kind}" in lines
    assert lines[-1].startswith("cswork: stopped: ")
    assert tree_digest(site / "output") == before


def test_a_snapshot_with_a_huge_exponent_never_reaches_the_published_figures(tmp_path, built):
    site = tmp_path / "site"
    shutil.copytree(built, site)
    figures = site / "output" / "improvement"
    published = {name: (figures / name).read_bytes() for name in ("figures.json", "figures.csv")}
    before = tree_digest(site / "output")
    line = line_of(site, SNAPSHOT, "value: 15.0", after="average_caseload:")
    replace(site, SNAPSHOT, "average_caseload:\n  value: 15.0", "average_caseload:\n  value: 1E+999999999")
    result = cswork("build", str(site), timeout=120)
    assert result.returncode == 2
    assert (f"{SNAPSHOT}:{line}: average_caseload.value: expected a number; found '1E+999999999', {TOO_LARGE}"
            in clean_lines(result.stderr))
    assert tree_digest(site / "output") == before
    for name, data in published.items():
        assert (figures / name).read_bytes() == data


# ---------------------------------------------------------------------------
# metrics pull and import-dfe


def pulled(site: Path, source: str) -> subprocess.CompletedProcess[str]:
    proxies = {name: "" for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                     "all_proxy", "ALL_PROXY")}
    return cswork("metrics", "pull", "--from", source, str(site), env=proxies, timeout=120)


def refused_pull(site: Path, source: str) -> list[str]:
    snapshots = tree_digest(site / "data" / "metrics")
    result = pulled(site, source)
    assert result.returncode == 2, result.stderr
    assert tree_digest(site / "data" / "metrics") == snapshots
    return clean_lines(result.stderr)


def payload(value: str, **figures: str) -> str:
    """A pull's JSON, with value written as it stands (it may be no JSON number at all)."""
    extra = "".join(f', "{name}": {{"value": {v}, "unit": "people"}}' for name, v in figures.items())
    return ('{"as_at": "2026-10-31", "source": "Castlebrook HR workforce dashboard", "figures": '
            f'{{"vacancy_rate": {{"value": {value}, "unit": "percent", "denominator": 190}}{extra}}}}}')


@pytest.mark.parametrize("written, shown, kind", JSON_VALUES, ids=_ids(JSON_VALUES))
def test_pull_refuses_them_in_json(tmp_path, written, shown, kind):
    site = copy_site(tmp_path / "site")
    served = tmp_path / "served"
    served.mkdir()
    (served / "workforce.json").write_text(payload(written), encoding="utf-8")
    with serving(served) as base:
        url = f"{base}/workforce.json"
        lines = refused_pull(site, url)
    assert lines == [f"cswork: {url}: figures.vacancy_rate.value: expected a number; found {shown}, {kind}; "
                     "nothing was saved"]


@pytest.mark.parametrize("written, shown, kind", CSV_VALUES, ids=_ids(CSV_VALUES))
def test_pull_refuses_them_in_csv(tmp_path, written, shown, kind):
    site = copy_site(tmp_path / "site")
    (site / "exports").mkdir()
    (site / "exports" / "workforce.csv").write_text(
        "as_at,source,figure,value,unit\r\n"
        f"2026-10-31,Castlebrook HR workforce dashboard,vacancy_rate,{written},percent\r\n"
        "2026-10-31,Castlebrook HR workforce dashboard,nq_intake,12,people\r\n", encoding="utf-8")
    lines = refused_pull(site, "exports/workforce.csv")
    assert lines == [f"cswork: exports/workforce.csv:2: vacancy_rate.value: expected a number; found {shown}, "
                     f"{kind}; nothing was saved"]


DFE_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
              "region_name,old_la_code,new_la_code,la_name,inpost_fte,turnover_rate_fte,agency_rate_fte,"
              "vacancy_rate_fte,caseload_fte")


@pytest.mark.parametrize("written, shown, kind", CSV_VALUES, ids=_ids(CSV_VALUES))
def test_import_dfe_refuses_them(tmp_path, written, shown, kind):
    site = copy_site(tmp_path / "site")
    csv_file = tmp_path / "csww.csv"
    csv_file.write_text("\n".join([
        DFE_HEADER,
        f"2025,Reporting year,National,E92000001,England,,,,,,36000,{written},16.2,17.3,15.4",
        "2025,Reporting year,Regional,E92000001,England,E12000008,South East,,,,6000,14.4,15.1,16,15.5",
        "2025,Reporting year,Local authority,E92000001,England,E12000008,South East,999,E10000099,"
        "Castlebrook,180,13.1,9.1,14.2,15",
    ]) + "\n", encoding="utf-8")
    data = tree_digest(site / "data")
    result = cswork("metrics", "import-dfe", str(csv_file), str(site))
    assert result.returncode == 2
    lines = clean_lines(result.stderr)
    assert f"{csv_file}:2: turnover_rate_fte: expected a number; found {shown}, {kind}" in lines
    assert lines[-1].startswith("cswork: stopped: ")
    assert tree_digest(site / "data") == data  # data/benchmarks.yaml untouched


# ---------------------------------------------------------------------------
# Valid, but probably not what was meant: warnings with both values


def test_check_warns_of_a_fraction_and_of_a_headcount_that_doubles_or_halves(tmp_path):
    site = copy_site(tmp_path / "site")
    rate = line_of(site, SNAPSHOT, "value: 14.2")
    heads = line_of(site, SNAPSHOT, "value: 175")
    fte = line_of(site, SNAPSHOT, "value: 164.7")
    replace(site, SNAPSHOT, "value: 14.2", "value: 0.142")
    replace(site, SNAPSHOT, "value: 175", "value: 400")
    replace(site, SNAPSHOT, "value: 164.7", "value: 60")
    result = cswork("check", str(site))
    assert result.returncode == 1
    lines = clean_lines(result.stderr)
    assert (f"{SNAPSHOT}:{rate}: vacancy_rate.value: warning: vacancy_rate is 0.142, and 16.3 in the snapshot of "
            "31 March 2026: is it a fraction? rates are percentages, so write 14.2") in lines
    assert (f"{SNAPSHOT}:{heads}: headcount.value: warning: headcount is 400, and 170 in the snapshot of "
            "31 March 2026: it has more than doubled; check it counts the same people as before") in lines
    assert (f"{SNAPSHOT}:{fte}: fte.value: warning: fte is 60, and 160.7 in the snapshot of "
            "31 March 2026: it has fallen by more than half; check it counts the same people as before") in lines
    assert lines[-1] == "0 errors, 3 warnings."


def test_check_warns_when_every_rate_of_a_snapshot_is_below_one(tmp_path):
    site = copy_site(tmp_path / "site")
    for old in (site / "data" / "metrics").glob("*.yaml"):
        if old.name != "2026-09-30.yaml":
            old.unlink()
    rates = {"vacancy_rate": ("14.2", "0.142"), "agency_rate": ("9.1", "0.091"),
             "turnover_rate": ("13.1", "0.131"), "permanency_rate": ("90.9", "0.909")}
    where = {name: line_of(site, SNAPSHOT, f"value: {old}", after=f"{name}:") for name, (old, _) in rates.items()}
    for name, (old, new) in rates.items():
        replace(site, SNAPSHOT, f"{name}:\n  value: {old}", f"{name}:\n  value: {new}")
    result = cswork("check", str(site))
    lines = clean_lines(result.stderr)
    for name, (old, new) in rates.items():
        assert (f"{SNAPSHOT}:{where[name]}: {name}.value: warning: {name} is {new}, and every rate in this "
                f"snapshot is below 1: is it a fraction? rates are percentages, so write {old}") in lines


def test_pull_stores_the_figures_and_prints_the_warnings(tmp_path):
    site = copy_site(tmp_path / "site")
    (site / "exports").mkdir()
    (site / "exports" / "workforce.json").write_text(payload("0.139", headcount="40"), encoding="utf-8")
    result = pulled(site, "exports/workforce.json")
    assert result.returncode == 0, result.stderr
    assert "Stored the figures as at 31 October 2026 in data/metrics/2026-10-31.yaml" in result.stdout
    stored = "data/metrics/2026-10-31.yaml"
    rate = line_of(site, stored, "value: 0.139")
    heads = line_of(site, stored, "value: 40")
    expected = [
        (f"{stored}:{heads}: headcount.value: warning: headcount is 40, and 175 in the snapshot of "
         "30 September 2026: it has fallen by more than half; check it counts the same people as before"),
        (f"{stored}:{rate}: vacancy_rate.value: warning: vacancy_rate is 0.139, and 14.2 in the snapshot of "
         "30 September 2026: is it a fraction? rates are percentages, so write 13.9"),
    ]
    lines = clean_lines(result.stderr)
    assert len(lines) == 2 and set(lines) == set(expected)
    check = cswork("check", str(site))  # the same warnings, from the stored file
    assert set(expected) <= set(check.stderr.splitlines())

