"""Importing the DfE "Children's social work workforce" CSV into data/benchmarks.yaml.

Small CSVs written here cover both layouts, every symbol and every error, and always run.
The real DfE files in /work/shared/data/dfe-csww/ (two releases) check that the import
reads the published data as published; those tests skip when the folder is absent.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cswork_site.data.loading import validate_document
from cswork_site.data.models.metrics import Benchmarks
from cswork_site.data.yamlfile import load_yaml
from cswork_site.metrics.dfe import BENCHMARKS_FILE, import_dfe
from cswork_site.problems import ProblemsFound

DFE_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "dfe-csww"
NEW_FILE = DFE_DIR / "csww_indicators_2017_to_2025.csv"  # release 2025, current layout
OLD_FILE = DFE_DIR / "csww_headline_measures_2017_to_2022.csv"  # release 2022, "%" layout

ROW_HEAD = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
            "region_name,old_la_code,new_la_code,la_name,")
CURRENT_HEADER = ROW_HEAD + "inpost_fte,turnover_rate_fte,agency_rate_fte,vacancy_rate_fte,caseload_fte"
OLD_HEADER = ROW_HEAD + "social_worker_fte,turnover_rate_fte_%,agency_worker_rate_fte_%,vacancy_rate_fte_%,caseload_fte"

# Lines after the header; the measure columns are turnover, agency, vacancy, caseload.
CURRENT_ROWS = [
    "2024,Reporting year,National,E92000001,England,,,,,,36000,13.9,16.2,17.3,15.4",
    "2024,Reporting year,Regional,E92000001,England,E12000007,London,,,,5000,15.3,21.9,22.7,13.8",
    "2024,Reporting year,Regional,E92000001,England,E13000001,Inner London,,,,2000,14.5,21.5,21.8,12.9",
    "2024,Reporting year,Regional,E92000001,England,E13000002,Outer London,,,,3000,15.9,22.3,23.5,14.5",
    "2024,Reporting year,Regional,E92000001,England,E12000008,South East,,,,6000,14.4,15.1,16,15.5",
    ("2024,Reporting year,Local authority,E92000001,England,E13000002,Outer London,314 / 318,"
     "E09000021 / E09000027,Kingston upon Thames / Richmond upon Thames,200,12.5,19,19,13"),
    ("2024,Reporting year,Local authority,E92000001,England,E12000001,North East,394,"
     "E08000024,Sunderland,300,u,low,4.2,17.2"),
    ("2024,Reporting year,Local authority,E92000001,England,E12000008,South East,886,"
     "E10000016,Kent,\"1,234\",z,x,c,\"1,234.5\""),
    ("2024,Reporting year,Local authority,E92000001,England,E12000003,Yorkshire and The Humber,810,"
     "E06000010,\"Kingston upon Hull, City of\",400,10, 11 ,12,13"),
    "2023,Reporting year,National,E92000001,England,,,,,,35000,15.9,17.9,18.9,16",
]
OLD_ROWS = [
    "2022,Reporting year,National,E92000001,England,,,,,,32000,17.1,17.6,20,16.6",
    "2022,Reporting year,Regional,E92000001,England,E12000008,South East,,,,5000,18.6,17.9,18.8,17.3",
    ("2022,Reporting year,Local authority,E92000001,England,E13000002,Outer London,314,"
     "E09000021,Kingston upon Thames,190,19.9,27.3,32.7,13.1"),
    ("2022,Reporting year,Local authority,E92000001,England,E13000002,Outer London,318,"
     "E09000027,Richmond upon Thames,0,z,z,z,z"),
    "2022,Reporting year,Local authority,E92000001,England,E12000008,South East,886,E10000016,Kent,1000,low,c,u,x",
    "2021,Reporting year,National,E92000001,England,,,,,,31000,15.4,15.5,16.7,16.3",
]


def write_csv(path: Path, header: str, rows: list[str], bom: bool = False) -> Path:
    text = "\n".join([header, *rows]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def make_site(root: Path, region: str = "South East", local_authority: str = "Kent",
              comparators: list[str] | None = None) -> Path:
    """A site folder holding only data/metrics.yaml: the import needs nothing else."""
    site = root / "site"
    (site / "data").mkdir(parents=True)
    lines = [f"region: {region}", f"local_authority: {local_authority}"]
    if comparators:  # on line 3, so comparators[0] is on line 4
        lines += ["comparators:", *(f"  - {name}" for name in comparators)]
    else:
        lines += ["comparators: []"]
    (site / "data" / "metrics.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return site


def stored(site: Path) -> Benchmarks:
    doc, problems = load_yaml(site / BENCHMARKS_FILE, BENCHMARKS_FILE)
    assert doc is not None and not problems, problems
    model, problems = validate_document(doc, Benchmarks)
    assert isinstance(model, Benchmarks) and not problems, problems
    return model


def figure(site: Path, area: str, year: int, measure: str, level: str | None = None):
    rows = [r for r in stored(site).rows
            if r.area == area and r.year == year and (level is None or r.level == level)]
    assert len(rows) == 1, f"{area} {year}: {len(rows)} rows"
    return rows[0].figures[measure]


def problem_lines(exc: pytest.ExceptionInfo[ProblemsFound]) -> list[str]:
    """The errors only: warnings (such as a region a small fixture lacks) come along too."""
    return [str(p) for p in exc.value.problems if p.is_error]


# ---------------------------------------------------------------------------
# Fixtures written here


@pytest.fixture
def current_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "current.csv", CURRENT_HEADER, CURRENT_ROWS)


@pytest.fixture
def old_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "old.csv", OLD_HEADER, OLD_ROWS, bom=True)


def test_current_layout_keeps_england_region_authority_and_comparators(tmp_path, current_csv):
    site = make_site(tmp_path, region="South East", local_authority="Kent",
                     comparators=["Richmond upon Thames", "kingston upon hull, city of"])
    result = import_dfe(current_csv, site)
    assert result.layout == "current"
    assert result.release == "2024"
    assert result.path == site / BENCHMARKS_FILE
    assert result.rows_by_level == {"National": 2, "Regional": 1, "Local authority": 3}
    assert result.areas == ["England", "South East", "Kingston upon Thames / Richmond upon Thames",
                            "Kent", "Kingston upon Hull, City of"]
    assert result.warnings == []
    assert figure(site, "England", 2024, "agency_rate").value == Decimal("16.2")
    assert figure(site, "England", 2024, "agency_rate").release == "2024"
    assert figure(site, "South East", 2024, "turnover_rate").value == Decimal("14.4")
    # A merged council is stored under the DfE's merged name, found by either half of it.
    merged = figure(site, "Kingston upon Thames / Richmond upon Thames", 2024, "average_caseload")
    assert merged.value == Decimal(13)
    # Spaces around a number do not matter; a name with a comma in it stays whole.
    assert figure(site, "Kingston upon Hull, City of", 2024, "agency_rate").value == Decimal(11)
    assert {r.area for r in stored(site).rows} == set(result.areas)  # Sunderland, London not kept


def test_every_symbol_becomes_none_with_the_symbol_kept(tmp_path, current_csv, old_csv):
    site = make_site(tmp_path, local_authority="Sunderland", comparators=["Kent"])
    import_dfe(current_csv, site)
    for area, measure, symbol in [("Sunderland", "turnover_rate", "u"), ("Sunderland", "agency_rate", "low"),
                                  ("Kent", "turnover_rate", "z"), ("Kent", "agency_rate", "x"),
                                  ("Kent", "vacancy_rate", "c")]:
        f = figure(site, area, 2024, measure)
        assert (f.value, f.symbol) == (None, symbol), (area, measure)
    # Thousands separators are read; an ordinary number has no symbol.
    f = figure(site, "Kent", 2024, "average_caseload")
    assert (f.value, f.symbol) == (Decimal("1234.5"), None)
    text = (site / BENCHMARKS_FILE).read_text(encoding="utf-8")
    assert "value: 1234.5\n" in text and "symbol: low\n" in text  # plain, readable YAML
    assert "low = rounds to zero" in text


def test_old_layout_with_byte_order_mark(tmp_path, old_csv):
    site = make_site(tmp_path, region="South East", local_authority="Kent",
                     comparators=["Kingston upon Thames"])
    result = import_dfe(old_csv, site)
    assert result.layout.startswith("headline measures")
    assert result.release == "2022"
    assert result.rows_by_level == {"National": 2, "Regional": 1, "Local authority": 2}
    assert figure(site, "England", 2022, "turnover_rate").value == Decimal("17.1")
    assert figure(site, "South East", 2022, "agency_rate").value == Decimal("17.9")
    assert figure(site, "Kingston upon Thames", 2022, "agency_rate").value == Decimal("27.3")
    [kent] = [r for r in stored(site).rows if r.area == "Kent"]
    assert {m: f.symbol for m, f in kent.figures.items()} == {
        "turnover_rate": "low", "agency_rate": "c", "vacancy_rate": "u", "average_caseload": "x"}


def test_london_is_not_mixed_with_inner_and_outer_london(tmp_path, current_csv):
    site = make_site(tmp_path, region="london", local_authority="Kent")
    import_dfe(current_csv, site)
    regions = {r.area for r in stored(site).rows if r.level == "Regional"}
    assert regions == {"London"}
    assert figure(site, "London", 2024, "agency_rate").value == Decimal("21.9")

    other = make_site(tmp_path / "inner", region="Inner London", local_authority="Kent")
    import_dfe(current_csv, other)
    assert {r.area for r in stored(other).rows if r.level == "Regional"} == {"Inner London"}


def test_newer_release_replaces_older_and_never_the_reverse(tmp_path, current_csv, old_csv):
    # Let the current-layout fixture stand for the 2025 release, holding a revised 2022.
    newer = write_csv(tmp_path / "newer.csv", CURRENT_HEADER, CURRENT_ROWS + [
        "2022,Reporting year,National,E92000001,England,,,,,,32000,17.2,17.6,20,16.6"])
    site = make_site(tmp_path, region="South East", local_authority="Kent")
    import_dfe(old_csv, site)
    result = import_dfe(newer, site, release="2025")
    assert result.release == "2025" and result.older_than_stored == 0
    f = figure(site, "England", 2022, "turnover_rate")
    assert (f.value, f.release) == (Decimal("17.2"), "2025")
    # Years the newer file does not have are kept from the older release.
    assert figure(site, "England", 2021, "turnover_rate").release == "2022"
    assert figure(site, "South East", 2022, "turnover_rate").release == "2022"

    result = import_dfe(old_csv, site)  # the older release again: it must not win
    assert result.older_than_stored == 4  # England 2022's four measures
    f = figure(site, "England", 2022, "turnover_rate")
    assert (f.value, f.release) == (Decimal("17.2"), "2025")


def test_merged_council_in_a_newer_release_replaces_its_separate_rows(tmp_path, old_csv):
    newer = write_csv(tmp_path / "newer.csv", CURRENT_HEADER, [
        "2022,Reporting year,National,E92000001,England,,,,,,32000,17.2,17.6,20,16.6",
        ("2022,Reporting year,Local authority,E92000001,England,E13000002,Outer London,314 / 318,"
         "E09000021 / E09000027,Kingston upon Thames / Richmond upon Thames,200,19.9,27.3,32.7,13.1")])
    site = make_site(tmp_path, region="South East", local_authority="Kingston upon Thames",
                     comparators=["Richmond upon Thames"])
    import_dfe(old_csv, site)
    assert {r.area for r in stored(site).rows if r.level == "Local authority"} == {
        "Kingston upon Thames", "Richmond upon Thames"}
    import_dfe(newer, site, release="2025")
    # One area now, not three views of the same children.
    assert {r.area for r in stored(site).rows if r.level == "Local authority"} == {
        "Kingston upon Thames / Richmond upon Thames"}


def test_other_rows_already_stored_are_kept(tmp_path, current_csv, old_csv):
    site = make_site(tmp_path, region="South East", local_authority="Kent")
    import_dfe(old_csv, site)
    (site / "data" / "metrics.yaml").write_text("region: London\nlocal_authority: Sunderland\n")
    import_dfe(current_csv, site)
    areas = {r.area for r in stored(site).rows}
    assert {"South East", "Kent", "London", "Sunderland", "England"} <= areas


def test_comparator_not_in_file_is_a_warning_with_a_suggestion(tmp_path, current_csv):
    site = make_site(tmp_path, region="South East", local_authority="Kent",
                     comparators=["Sunderlnd", "Bristol"])
    result = import_dfe(current_csv, site)
    assert result.warnings == [
        (f"data/metrics.yaml:4: comparators[0]: warning: comparator 'Sunderlnd' is not in {current_csv}, "
        "so nothing was stored for it; did you mean 'Sunderland'?"),
        (f"data/metrics.yaml:5: comparators[1]: warning: comparator 'Bristol' is not in {current_csv}, "
        "so nothing was stored for it"),
    ]


def test_region_not_in_file_is_a_warning(tmp_path, current_csv):
    site = make_site(tmp_path, region="South-East", local_authority="Kent")
    result = import_dfe(current_csv, site)
    assert result.warnings == [(f"data/metrics.yaml:1: region: warning: region 'South-East' is not in "
                               f"{current_csv}, so nothing was stored for it; did you mean 'South East'?")]


def test_written_file_is_valid_and_no_temporary_file_is_left(tmp_path, current_csv):
    site = make_site(tmp_path, local_authority="Kent")
    import_dfe(current_csv, site)
    import_dfe(current_csv, site)  # importing the same release twice changes nothing
    first = (site / BENCHMARKS_FILE).read_text(encoding="utf-8")
    import_dfe(current_csv, site)
    assert (site / BENCHMARKS_FILE).read_text(encoding="utf-8") == first
    assert sorted(p.name for p in (site / "data").iterdir()) == ["benchmarks.yaml", "metrics.yaml"]
    assert stored(site).licence == "Open Government Licence v3.0"


# ---------------------------------------------------------------------------
# Errors: one PATH:LINE: FIELD: MESSAGE line each, with PATH as the user gave it


def test_missing_column(tmp_path, monkeypatch):
    site = make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    header = CURRENT_HEADER.replace(",vacancy_rate_fte", "")
    write_csv(tmp_path / "nocol.csv", header, ["2024,Reporting year,National,E92000001,England,,,,,,1,2,3,4"])
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(Path("nocol.csv"), site)
    assert problem_lines(exc) == [
        "nocol.csv:1: vacancy_rate_fte: column is missing; the DfE file (current layout) has it"]


def test_missing_column_in_old_layout(tmp_path):
    site = make_site(tmp_path)
    csv_file = write_csv(tmp_path / "old.csv", OLD_HEADER.replace(",region_name", ",region"), OLD_ROWS, bom=True)
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(csv_file, site)
    assert problem_lines(exc) == [(f"{csv_file}:1: region_name: column is missing; the DfE file "
                                  "(headline measures (releases up to 2022) layout) has it")]


def test_not_utf8(tmp_path):
    site = make_site(tmp_path)
    csv_file = tmp_path / "latin1.csv"
    csv_file.write_bytes((CURRENT_HEADER + "\n" + CURRENT_ROWS[0] + "\n").encode()
                         + "2024,Reporting year,Local authority,,England,,,,,Bromley £,1,2,3,4,5\n".encode("latin-1"))
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(csv_file, site)
    assert problem_lines(exc) == [(f"{csv_file}:3: (file): is not UTF-8 text; download the CSV again or "
                                  "save it as CSV UTF-8 (found a byte that is not)")]


def test_not_a_dfe_csv(tmp_path):
    site = make_site(tmp_path)
    other = write_csv(tmp_path / "other.csv", "name,value", ["a,1"])
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(other, site)
    [line] = problem_lines(exc)
    assert line.startswith(f"{other}:1: (file): is not the DfE children's social work workforce CSV")
    semicolons = write_csv(tmp_path / "semi.csv", CURRENT_HEADER.replace(",", ";"), [])
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(semicolons, site)
    assert "save it as comma-separated CSV" in problem_lines(exc)[0]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(empty, site)
    assert problem_lines(exc) == [f"{empty}:1: (file): is empty; expected the DfE CSV with a header line"]


def test_bad_cells_name_their_line_and_column(tmp_path):
    site = make_site(tmp_path, local_authority="Kent")
    kent_na = ("2024,Reporting year,Local authority,E92000001,England,E12000008,South East,886,E10000016,"
               "Kent,1,n/a,2,3,4")
    csv_file = write_csv(tmp_path / "bad.csv", CURRENT_HEADER, [
        CURRENT_ROWS[0],
        kent_na,
        "202425,Reporting year,National,E92000001,England,,,,,,1,2,3,4,5",
        "2024,Reporting year,National,E92000001,England,,,,,,1,2",
    ])
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(csv_file, site)
    # Rows that cannot be placed are reported first; cells are checked once every row reads.
    assert problem_lines(exc) == [
        f"{csv_file}:4: time_period: expected a reporting year like 2024; found '202425'",
        f"{csv_file}:5: (file): has 12 values; the header has 15",
    ]
    csv_file = write_csv(tmp_path / "bad.csv", CURRENT_HEADER, [CURRENT_ROWS[0], CURRENT_ROWS[0], kent_na])
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(csv_file, site)
    assert problem_lines(exc) == [
        f"{csv_file}:3: (file): England 2024 appears twice; also on line 2",
        (f"{csv_file}:4: turnover_rate_fte: expected a number or one of the DfE symbols z, x, c, low, u; "
         "found 'n/a'"),
    ]
    assert not (site / BENCHMARKS_FILE).exists()  # nothing is written when there are errors


def test_empty_cell_is_a_warning_and_the_rest_of_the_row_is_kept(tmp_path):
    site = make_site(tmp_path, local_authority="Kent")
    csv_file = write_csv(tmp_path / "gap.csv", CURRENT_HEADER, [CURRENT_ROWS[0].replace(",16.2,", ",,")])
    result = import_dfe(csv_file, site)
    assert f"{csv_file}:2: agency_rate_fte: warning: England 2024 has an empty cell; no agency_rate stored" \
        in result.warnings
    [england] = stored(site).rows
    assert sorted(england.figures) == ["average_caseload", "turnover_rate", "vacancy_rate"]


def test_missing_metrics_yaml(tmp_path, current_csv):
    site = tmp_path / "bare"
    (site / "data").mkdir(parents=True)
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(current_csv, site)
    assert problem_lines(exc) == [
        ("data/metrics.yaml:1: (file): file is missing; importing DfE figures needs it to name the region, "
        "local_authority and comparators to keep (see docs/benchmarks.md)")]


def test_metrics_yaml_without_region(tmp_path, current_csv):
    site = make_site(tmp_path)
    (site / "data" / "metrics.yaml").write_text("local_authority: Kent\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(current_csv, site)
    assert problem_lines(exc) == ["data/metrics.yaml:1: region: is required but missing"]


def test_unreadable_benchmarks_file_is_not_overwritten(tmp_path, current_csv):
    site = make_site(tmp_path)
    (site / BENCHMARKS_FILE).write_text("source: DfE\nrows:\n  - area: England\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(current_csv, site)
    assert "data/benchmarks.yaml:3: rows[0].level: is required but missing" in problem_lines(exc)
    assert (site / BENCHMARKS_FILE).read_text(encoding="utf-8").startswith("source: DfE\n")


def test_release_override_must_not_be_older_than_the_data(tmp_path, current_csv):
    site = make_site(tmp_path)
    with pytest.raises(ProblemsFound) as exc:
        import_dfe(current_csv, site, release="2023")
    assert problem_lines(exc) == [
        f"{current_csv}:1: release: release 2023 is older than the latest year in the file (2024)"]


# ---------------------------------------------------------------------------
# The real DfE files

needs_real = pytest.mark.skipif(
    not (NEW_FILE.is_file() and OLD_FILE.is_file()),
    reason=f"the DfE CSWW open data files are not in {DFE_DIR}; only the small fixtures ran")


@needs_real
def test_real_2025_release(tmp_path):
    site = make_site(tmp_path, region="South East", local_authority="Sunderland",
                     comparators=["Richmond upon Thames", "Isles of Scilly", "Kensington and Chelsea"])
    result = import_dfe(NEW_FILE, site)
    assert result.release == "2025" and result.layout == "current"
    assert result.rows_by_level == {"National": 9, "Regional": 9, "Local authority": 36}
    assert result.warnings == []
    f = figure(site, "England", 2024, "agency_rate")
    assert (f.value, f.release) == (Decimal("16.2"), "2025")
    assert figure(site, "England", 2025, "turnover_rate").value == Decimal("11.8")
    se = stored(site).rows
    south_east_2024 = next(r for r in se if r.area == "South East" and r.year == 2024)
    assert {m: f.value for m, f in south_east_2024.figures.items()} == {
        "turnover_rate": Decimal("14.4"), "agency_rate": Decimal("15.1"),
        "vacancy_rate": Decimal(16), "average_caseload": Decimal("15.5")}
    # Kingston and Richmond report together; Richmond as a comparator picks the merged row.
    merged = figure(site, "Kingston upon Thames / Richmond upon Thames", 2024, "turnover_rate")
    assert merged.value == Decimal("12.5")
    # Symbols in the published data.
    assert figure(site, "Sunderland", 2024, "turnover_rate").symbol == "u"
    low = figure(site, "Sunderland", 2024, "agency_rate")
    assert (low.value, low.symbol) == (None, "low")
    assert figure(site, "Isles of Scilly", 2024, "turnover_rate").symbol == "z"
    assert figure(site, "Kensington and Chelsea", 2025, "vacancy_rate").symbol == "x"


@needs_real
def test_real_london_region_only(tmp_path):
    site = make_site(tmp_path, region="London", local_authority="Kent")
    result = import_dfe(NEW_FILE, site)
    assert result.rows_by_level["Regional"] == 9  # one row a year, not three
    assert {r.area for r in stored(site).rows if r.level == "Regional"} == {"London"}
    assert figure(site, "London", 2024, "agency_rate").value == Decimal("21.9")  # Inner 21.5, Outer 22.3


@needs_real
def test_real_2022_release(tmp_path):
    site = make_site(tmp_path, region="South East", local_authority="Kent")
    result = import_dfe(OLD_FILE, site)
    assert result.release == "2022" and result.layout.startswith("headline measures")
    assert result.rows_by_level == {"National": 6, "Regional": 6, "Local authority": 6}
    f = figure(site, "England", 2022, "turnover_rate")
    assert (f.value, f.release) == (Decimal("17.1"), "2022")
    assert figure(site, "England", 2017, "turnover_rate").value == Decimal("13.6")
    assert figure(site, "South East", 2017, "average_caseload").value == Decimal("18.2")


@needs_real
def test_real_releases_in_either_order_keep_the_newer_figures(tmp_path):
    # The 2025 release revised England's 2022 turnover from 17.1 to 17.2, and 2017's from 13.6 to 13.4.
    forwards = make_site(tmp_path / "forwards", region="South East", local_authority="Kent",
                         comparators=["Kingston upon Thames"])
    backwards = make_site(tmp_path / "backwards", region="South East", local_authority="Kent",
                          comparators=["Kingston upon Thames"])
    import_dfe(OLD_FILE, forwards)
    import_dfe(NEW_FILE, forwards)
    import_dfe(NEW_FILE, backwards)
    result = import_dfe(OLD_FILE, backwards)
    # Six years of England, South East, Kent and Kingston (now the merged row), four measures each.
    assert result.older_than_stored == 6 * 4 * 4
    for site in (forwards, backwards):
        for year, value in [(2022, "17.2"), (2017, "13.4")]:
            f = figure(site, "England", year, "turnover_rate")
            assert (f.value, f.release) == (Decimal(value), "2025"), (site.name, year)
        assert figure(site, "South East", 2017, "average_caseload").value == Decimal("18.1")
        assert {r.area for r in stored(site).rows if r.level == "Local authority"} == {
            "Kent", "Kingston upon Thames / Richmond upon Thames"}
    assert (forwards / BENCHMARKS_FILE).read_text() == (backwards / BENCHMARKS_FILE).read_text()
