"""Import the DfE "Children's social work workforce" open data into data/benchmarks.yaml.

The improvement page compares the authority with England, its region and its statistical
neighbours. Those figures come from the DfE's CSV, which has had two layouts: the current
one (turnover_rate_fte, agency_rate_fte, ...) and the headline-measures file of releases
up to 2022 (a byte-order mark, and names such as turnover_rate_fte_%). We keep only the
rows the site shows, and we keep the release each figure came from, because the DfE revises
past years: a figure from a newer release replaces an older one, never the reverse.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cswork_site.data.loading import load_model, validate_document
from cswork_site.data.models.common import number_problem
from cswork_site.data.models.metrics import AreaYear, BenchmarkFigure, Benchmarks, MetricsSettings
from cswork_site.data.models.nation import DEFAULT_NATION, nations
from cswork_site.data.yamlfile import dump_yaml, load_yaml
from cswork_site.files import NotText, decode_text, write_whole
from cswork_site.metrics.store import read_settings
from cswork_site.problems import WHOLE_FILE, FirstSeen, Problem, ProblemsFound, closest, errors

SETTINGS_FILE = "data/metrics.yaml"
SERVICE_FILE = "data/service.yaml"
BENCHMARKS_FILE = "data/benchmarks.yaml"
SOURCE = ("Department for Education, Children's social work workforce (official statistics), "
          "https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce")
LICENCE = "Open Government Licence v3.0"

NATIONAL, REGIONAL, LOCAL = "National", "Regional", "Local authority"
LEVELS = (NATIONAL, REGIONAL, LOCAL)

# Our measure -> the DfE's column, per layout. The FTE columns are the ones the DfE
# headlines and its own dashboard uses; headcount versions exist but are not compared.
MEASURES = ("turnover_rate", "agency_rate", "vacancy_rate", "average_caseload")
LAYOUTS: dict[str, dict[str, str]] = {
    "current": {
        "turnover_rate": "turnover_rate_fte",
        "agency_rate": "agency_rate_fte",
        "vacancy_rate": "vacancy_rate_fte",
        "average_caseload": "caseload_fte",
    },
    "headline measures (releases up to 2022)": {
        "turnover_rate": "turnover_rate_fte_%",
        "agency_rate": "agency_worker_rate_fte_%",
        "vacancy_rate": "vacancy_rate_fte_%",
        "average_caseload": "caseload_fte",
    },
}
# Both layouts describe each row with the same columns. The codes are optional: names are
# what data/metrics.yaml uses, and codes only widen what a comparator may be written as.
ROW_COLUMNS = ("time_period", "geographic_level", "country_name", "region_name", "la_name")
CODE_COLUMNS = ("old_la_code", "new_la_code")

# The DfE's symbols for a cell without a number. "low" means the figure rounds to zero:
# it is kept as a symbol, not stored as 0, so the page can say so rather than show 0.0.
SYMBOLS = {
    "z": "not applicable",
    "x": "not available",
    "c": "suppressed to protect confidentiality",
    "low": "rounds to zero",
    "u": "low reliability",
}

_YEAR = re.compile(r"^\d{4}$")
# Thousands separators and spaces (including the non-breaking kind spreadsheets add).
_NUMBER_NOISE = re.compile(r"[,\s\u00a0\u202f]")


@dataclass(frozen=True)
class ImportResult:
    path: Path  # the benchmarks file written
    release: str
    layout: str
    rows_by_level: dict[str, int]  # rows of the CSV kept, by geographic level
    areas: list[str]  # the areas stored from this file, England first
    older_than_stored: int = 0  # figures not stored because a newer release was already there
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    level: str
    area: str
    year: int
    figures: dict[str, BenchmarkFigure]


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def _parts(name: str) -> set[str]:
    """A merged council ("Kingston upon Thames / Richmond upon Thames") answers to each name."""
    return {_norm(p) for p in name.split("/") if p.strip()}


# ---------------------------------------------------------------------------
# Settings


# Where a council outside England finds its nation's figures, besides its statistics'
# publisher (nations.yaml).
_ALSO_PUBLISHED = {"wales": "the Welsh Government's social services workforce figures on StatsWales"}


def england_only(site: Path) -> None:
    """The DfE's statistics are England's: a site in another nation (data/service.yaml's
    `nation`) is refused before anything is read or written; raises ProblemsFound. A
    service.yaml that cannot be read, or names no nation, is left to the build to report."""
    doc, _ = load_yaml(site / SERVICE_FILE, SERVICE_FILE)
    if doc is None or not isinstance(doc.value, dict):
        return
    said = doc.value.get("nation")
    key = said.strip().casefold() if isinstance(said, str) else DEFAULT_NATION
    if key == DEFAULT_NATION or key not in nations():
        return
    there = nations()[key]
    stats = there.statistics
    instead = [f"{stats.publisher}'s {stats.name} ({stats.url})"]
    if key in _ALSO_PUBLISHED:
        instead.append(_ALSO_PUBLISHED[key])
    raise ProblemsFound([doc.problem(("nation",), (
        f"is {key}: the DfE's children's social work workforce statistics cover England only, so "
        f"nothing was imported; for figures for {there.name}, use {' or '.join(instead)}"))])


def load_settings(site: Path) -> tuple[MetricsSettings, list[Problem], dict[tuple[str | int, ...], int]]:
    """data/metrics.yaml as MetricsSettings, with its warnings and the line of each of its
    keys; raises ProblemsFound."""
    if not (site / SETTINGS_FILE).exists():
        raise ProblemsFound([Problem(
            SETTINGS_FILE, 1, WHOLE_FILE,
            "file is missing; importing DfE figures needs it to name the region, "
            "local_authority and comparators to keep (see docs/benchmarks.md)")])
    doc, settings, problems = read_settings(site)  # the same checks the build makes
    if settings is None or errors(problems):
        raise ProblemsFound(problems)
    return settings, problems, doc.lines if doc is not None else {}


# ---------------------------------------------------------------------------
# Reading the CSV


def _read_text(csv_path: Path, shown: str) -> str:
    try:
        raw = csv_path.read_bytes()
    except FileNotFoundError:
        raise ProblemsFound([Problem(shown, 1, WHOLE_FILE, "file is missing; expected the DfE CSV here")]) from None
    except IsADirectoryError:
        raise ProblemsFound([Problem(shown, 1, WHOLE_FILE, "is a folder; expected the DfE CSV file")]) from None
    except OSError as exc:
        raise ProblemsFound([Problem(shown, 1, WHOLE_FILE, f"cannot be read: {exc.strerror}")]) from exc
    if raw.startswith(b"PK\x03\x04"):
        # The DfE offers a zip of several CSVs; people also save the CSV as .xlsx.
        raise ProblemsFound([Problem(shown, 1, WHOLE_FILE,
                                     "is a zip or Excel file; unzip it or save it as CSV (UTF-8) first")])
    text = decode_text(raw)  # the 2017-2022 file starts with a byte-order mark
    if isinstance(text, NotText) and text.binary:
        raise ProblemsFound([Problem(shown, 1, WHOLE_FILE, "is a binary file; expected the DfE CSV")])
    if isinstance(text, NotText):
        raise ProblemsFound([Problem(shown, text.line, WHOLE_FILE,
                                     "is not UTF-8 text; download the CSV again or save it as "
                                     "CSV UTF-8 (found a byte that is not)")])
    return text


def _layout(header: list[str], shown: str) -> tuple[str, list[Problem]]:
    """Which layout the header is, and a problem for each column it lacks."""
    present = set(header)
    scores = {name: sum(col in present for col in cols.values()) for name, cols in LAYOUTS.items()}
    best = max(scores, key=lambda name: scores[name])  # dicts keep order: ties go to current
    in_each = [set(cols.values()) for cols in LAYOUTS.values()]
    distinct = {c for cols in LAYOUTS.values() for c in cols.values()} - in_each[0].intersection(*in_each[1:])
    if not present & distinct:
        found = ",".join(header)[:60]
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in ";\t"):
            hint = " It looks separated by semicolons or tabs; save it as comma-separated CSV."
        return best, [Problem(shown, 1, WHOLE_FILE,
                              "is not the DfE children's social work workforce CSV: expected a "
                              "header with time_period, geographic_level, la_name and "
                              "turnover_rate_fte (or turnover_rate_fte_% in releases up to 2022); "
                              f"found {found!r}.{hint}")]
    wanted = list(ROW_COLUMNS) + list(LAYOUTS[best].values())
    return best, [Problem(shown, 1, col, f"column is missing; the DfE file ({best} layout) has it")
                  for col in wanted if col not in present]


def _figure(cell: str, release: str) -> BenchmarkFigure | str:
    """A cell as a figure, or what is wrong with it."""
    text = cell.strip()
    if text.casefold() in SYMBOLS:
        return BenchmarkFigure(value=None, symbol=text.casefold(), release=release)
    number = _NUMBER_NOISE.sub("", text)
    # NaN, infinity and numbers too large to be figures are numbers to Decimal, but not to
    # a reader, and 1E+999999999 would be a billion digits once written out.
    problem = number_problem(number if number else text)
    if problem:
        return problem
    try:
        value = Decimal(number)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        return f"expected a number or one of the DfE symbols {', '.join(SYMBOLS)}; found {cell[:40]!r}"
    return BenchmarkFigure(value=value, release=release)


def _read_csv(text: str, shown: str, release: str | None
              ) -> tuple[str, str, list[dict[str, Any]]]:
    """The layout, the release and every data row (as a dict with its line)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ProblemsFound([Problem(shown, 1, WHOLE_FILE, f"is not a readable CSV: {exc}")]) from exc
    if not header or not any(h.strip() for h in header):
        raise ProblemsFound([Problem(shown, 1, WHOLE_FILE, "is empty; expected the DfE CSV with a header line")])
    header = [h.strip() for h in header]
    layout, problems = _layout(header, shown)
    if problems:
        raise ProblemsFound(problems)

    records: list[dict[str, Any]] = []
    latest = 0
    line = reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num  # a quoted cell may span lines
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(Problem(shown, start, WHOLE_FILE,
                                        f"has {len(cells)} values; the header has {len(header)}"))
                continue
            record: dict[str, Any] = dict(zip(header, (c.strip() for c in cells), strict=True))
            period = record["time_period"]
            if not _YEAR.match(period):
                # The CSWW counts at 30 September each year, written as e.g. 2024; a code
                # like 202425 would mean a different statistic, not a year we can place.
                problems.append(Problem(shown, start, "time_period",
                                        f"expected a reporting year like 2024; found {period!r}"))
                continue
            latest = max(latest, int(period))
            record["_line"] = start
            records.append(record)
    except csv.Error as exc:
        problems.append(Problem(shown, reader.line_num, WHOLE_FILE, f"is not a readable CSV: {exc}"))
    if problems:
        raise ProblemsFound(problems)
    if not records:
        raise ProblemsFound([Problem(shown, 1, WHOLE_FILE, "has a header but no rows of figures")])

    if release is None:
        return layout, str(latest), records
    release = release.strip()
    if not _YEAR.match(release):
        raise ProblemsFound([Problem(shown, 1, "release", f"expected a year like 2025; found {release!r}")])
    if int(release) < latest:
        raise ProblemsFound([Problem(shown, 1, "release",
                                     f"release {release} is older than the latest year in the file ({latest})")])
    return layout, release, records


# ---------------------------------------------------------------------------
# Choosing rows


def _area(record: dict[str, Any], level: str) -> str:
    column = {NATIONAL: "country_name", REGIONAL: "region_name", LOCAL: "la_name"}[level]
    return " ".join(record[column].split())


def _level(record: dict[str, Any]) -> str | None:
    found = _norm(record["geographic_level"])
    return next((level for level in LEVELS if _norm(level) == found), None)


def _authority_matches(record: dict[str, Any], wanted: str) -> bool:
    """A name matches an LA row by its name, either half of a merged name, or a code."""
    keys = _parts(record["la_name"])
    for column in CODE_COLUMNS:
        keys |= _parts(record.get(column, ""))
    return _norm(wanted) in keys


def _select(records: list[dict[str, Any]], layout: str, release: str, settings: MetricsSettings,
            shown: str, settings_lines: dict[tuple[str | int, ...], int]
            ) -> tuple[list[_Row], list[Problem]]:
    columns = LAYOUTS[layout]
    authorities = [settings.local_authority, *settings.comparators]
    region = _norm(settings.region)
    found_region = False
    found_authority = [False] * len(authorities)
    kept: list[_Row] = []
    problems: list[Problem] = []
    seen: FirstSeen[tuple[str, str, int], int] = FirstSeen()
    for record in records:
        level = _level(record)
        if level is None:
            continue  # other levels (e.g. local authority district) are not compared
        if level == REGIONAL:
            # Exact names only: London, Inner London and Outer London are three rows that
            # overlap, and keeping more than the one named would double count London.
            if _norm(record["region_name"]) != region:
                continue
            found_region = True
        elif level == LOCAL:
            hits = [i for i, name in enumerate(authorities) if _authority_matches(record, name)]
            if not hits:
                continue
            for i in hits:
                found_authority[i] = True
        area, year, line = _area(record, level), int(record["time_period"]), record["_line"]
        key = (level, _norm(area), year)
        first = seen.before(key, line)
        if first is not None:
            problems.append(Problem(shown, line, "la_name" if level == LOCAL else WHOLE_FILE,
                                    f"{area} {year} appears twice; also on line {first}"))
            continue
        figures: dict[str, BenchmarkFigure] = {}
        for measure in MEASURES:
            column = columns[measure]
            cell = record[column]
            if not cell:
                problems.append(Problem(shown, line, column,
                                        f"{area} {year} has an empty cell; no {measure} stored", "warning"))
                continue
            figure = _figure(cell, release)
            if isinstance(figure, str):
                problems.append(Problem(shown, line, column, figure))
                continue
            figures[measure] = figure
        kept.append(_Row(line, level, area, year, figures))

    candidates = sorted({p.strip() for r in records if _level(r) == LOCAL
                         for p in [r["la_name"], *r["la_name"].split("/")] if p.strip()})
    regions = sorted({r["region_name"] for r in records if _level(r) == REGIONAL})
    if not found_region:
        problems.append(_not_found(shown, settings.region, regions, ("region",), "region", settings_lines))
    for i, name in enumerate(authorities):
        if not found_authority[i]:
            loc: tuple[str | int, ...] = ("local_authority",) if i == 0 else ("comparators", i - 1)
            problems.append(_not_found(shown, name, candidates, loc,
                                       "local authority" if i == 0 else "comparator", settings_lines))
    return kept, problems


def _not_found(shown: str, name: str, candidates: list[str], loc: tuple[str | int, ...], what: str,
               settings_lines: dict[tuple[str | int, ...], int]) -> Problem:
    by_norm = {_norm(c): c for c in candidates}
    # A short form ("Bristol" for "Bristol, City of") is the likeliest slip; then spelling.
    close = [c for c in sorted(by_norm, key=len) if _norm(name) in c][:1]
    match = close[0] if close else closest(_norm(name), by_norm, cutoff=0.75)
    hint = f"; did you mean {by_norm[match]!r}?" if match is not None else ""
    field_name = loc[0] if len(loc) == 1 else f"{loc[0]}[{loc[1]}]"
    line = settings_lines.get(loc, settings_lines.get(loc[:1], 1))
    return Problem(SETTINGS_FILE, line, str(field_name),
                   f"{what} {name!r} is not in {shown}, so nothing was stored for it{hint}", "warning")


# ---------------------------------------------------------------------------
# Merging and writing


def _release_key(release: str) -> int:
    # Releases are years. Anything else (a hand edit) counts as oldest, so an import fixes it.
    return int(release) if _YEAR.match(release) else 0


def _same_area(a: tuple[str, str, int], b: tuple[str, str, int]) -> bool:
    """Same level and year, and names that share a council.

    The DfE reports some councils together in later releases ("Kingston upon Thames /
    Richmond upon Thames") that an older release listed apart; the merged figure is the
    newer word on both, and keeping both would count the same children twice.
    """
    return a[0] == b[0] and a[2] == b[2] and bool(_parts(a[1]) & _parts(b[1]))


def _load_benchmarks(site: Path) -> Benchmarks | None:
    file = site / BENCHMARKS_FILE
    if not file.exists():
        return None
    _, model, problems = load_model(site, BENCHMARKS_FILE, Benchmarks)
    if model is None or errors(problems):
        # Never overwrite a file we cannot read: it may hold figures from other releases.
        raise ProblemsFound(problems)
    assert isinstance(model, Benchmarks)
    return model


def _merge(existing: Benchmarks | None, rows: list[_Row]) -> tuple[Benchmarks, int]:
    """Existing rows plus the new ones; newer releases win per area, year and measure."""
    table: dict[tuple[str, str, int], dict[str, BenchmarkFigure]] = {}
    for old in existing.rows if existing else []:
        table.setdefault((old.level, old.area, old.year), {}).update(old.figures)
    kept_older = 0
    for row in rows:
        key = (row.level, row.area, row.year)
        for measure, figure in row.figures.items():
            rivals = [k for k in table if _same_area(k, key) and measure in table[k]]
            if any(_release_key(table[k][measure].release) > _release_key(figure.release) for k in rivals):
                kept_older += 1
                continue
            for k in rivals:
                del table[k][measure]
            table.setdefault(key, {})[measure] = figure
    order = {level: i for i, level in enumerate(LEVELS)}
    merged = [AreaYear(area=area, level=level, year=year,
                       figures={m: figs[m] for m in sorted(figs, key=_measure_order)})
              for (level, area, year), figs in sorted(
                  table.items(), key=lambda kv: (order.get(kv[0][0], 9), _norm(kv[0][1]), kv[0][2]))
              if figs]
    return Benchmarks(source=existing.source if existing else SOURCE,
                      licence=existing.licence if existing else LICENCE, rows=merged), kept_older


def _measure_order(measure: str) -> tuple[int, str]:
    return (MEASURES.index(measure) if measure in MEASURES else len(MEASURES), measure)


def _as_yaml(benchmarks: Benchmarks) -> str:
    data: dict[str, Any] = {"source": benchmarks.source, "licence": benchmarks.licence, "rows": []}
    for row in benchmarks.rows:
        figures = {}
        for measure, f in row.figures.items():
            item: dict[str, Any] = {"value": f.value}
            if f.symbol is not None:
                item["symbol"] = f.symbol
            item["release"] = f.release
            figures[measure] = item
        data["rows"].append({"area": row.area, "level": row.level, "year": row.year, "figures": figures})
    head = ("# Written by `cswork metrics import-dfe` from the DfE's Children's social work workforce\n"
            "# statistics. Re-import a newer file rather than editing figures here.\n"
            "# A value of null has the DfE's symbol instead:\n"
            + "".join(f"#   {k} = {v}\n" for k, v in SYMBOLS.items()))
    from cswork_site.data.schema import with_schema_comment  # here: schema.py imports this module

    return with_schema_comment(BENCHMARKS_FILE, head + dump_yaml(data, indent_lists=False))


def _write(site: Path, benchmarks: Benchmarks) -> Path:
    target = site / BENCHMARKS_FILE

    def read_back(temp: Path) -> None:
        # Read back what was written before it replaces anything, so a bad write never lands.
        doc, problems = load_yaml(temp, BENCHMARKS_FILE)
        if doc is not None:
            model, more = validate_document(doc, Benchmarks)
            problems += more
            if model is not None and model != benchmarks:
                problems.append(Problem(BENCHMARKS_FILE, 1, WHOLE_FILE,
                                        "did not read back as written; nothing was changed"))
        if doc is None or problems:
            raise ProblemsFound(problems)

    write_whole(target, _as_yaml(benchmarks).encode("utf-8"), check=read_back, durable=True,
                prefix=".benchmarks-", suffix=".yaml.tmp")
    return target


# ---------------------------------------------------------------------------


def import_dfe(csv_path: Path, site: Path, release: str | None = None) -> ImportResult:
    """Keep England, the region, the authority and its comparators from a DfE CSWW CSV.

    release names the release the file is; by default the latest year in it, which is how
    the DfE names each release (the 2025 release runs to reporting year 2025).
    Raises ProblemsFound, with every problem found, when nothing can be imported.
    """
    shown = str(csv_path)  # as the user typed it, so they recognise it in messages
    england_only(Path(site))
    settings, setting_problems, settings_lines = load_settings(Path(site))
    text = _read_text(Path(csv_path), shown)
    layout, release, records = _read_csv(text, shown, release)
    rows, problems = _select(records, layout, release, settings, shown, settings_lines)
    if errors(problems):
        raise ProblemsFound(problems)
    merged, kept_older = _merge(_load_benchmarks(Path(site)), rows)
    written = _write(Path(site), merged)
    counts = Counter(r.level for r in rows)
    areas: list[str] = []
    for r in sorted(rows, key=lambda r: LEVELS.index(r.level)):
        if r.area not in areas:
            areas.append(r.area)
    warnings = [str(p) for p in sorted([*setting_problems, *problems])]
    return ImportResult(path=written, release=release, layout=layout,
                        rows_by_level={level: counts.get(level, 0) for level in LEVELS},
                        areas=areas, older_than_stored=kept_older, warnings=warnings)
