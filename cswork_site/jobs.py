"""Jobs: from data/vacancies.yaml, or from an applicant tracking system's CSV export.

The CSV's columns are documented in docs/data-reference.md. Each row is checked with
the same model as a job written in YAML, so problems read the same way, with the
row's line and the column's name.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from pathlib import Path

from .loading import Loaded, validate_document
from .models.vacancies import Vacancies, Vacancy
from .problems import WHOLE_FILE, Problem
from .yamlfile import YamlDocument, link_outside_site

CSV_FILE = "data/vacancies.csv"
REQUIRED_COLUMNS = ("reference", "title", "role", "team", "location", "posted", "closes",
                    "summary", "description", "apply_url")
OPTIONAL_COLUMNS = ("id", "salary_min", "salary_max", "hours", "employment_type", "direct_apply")
# Where a column's value goes in the Vacancy model, and back again for messages.
_NESTED = {"salary_min": ("salary", "min"), "salary_max": ("salary", "max")}
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _iso(value: str) -> str:
    """Exports often write dates as 31/12/2026; the model reads 2026-12-31."""
    m = _UK_DATE.match(value.strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else value


def read_csv(site: Path) -> tuple[list[tuple[YamlDocument, Vacancy]], list[Problem]]:
    outside = link_outside_site(site / CSV_FILE, CSV_FILE)
    if outside:
        return [], [outside]
    raw = (site / CSV_FILE).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], [Problem(CSV_FILE, line, WHOLE_FILE, "is not UTF-8 text; export it as "
                            "'CSV UTF-8' (found a byte that is not UTF-8)")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        problems.append(Problem(CSV_FILE, 1, column, "is a required column but missing from the first row"))
    for column in header:
        if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            close = difflib.get_close_matches(column, REQUIRED_COLUMNS + OPTIONAL_COLUMNS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "expected one of: " + ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
            problems.append(Problem(CSV_FILE, 1, column or "(empty)", f"unknown column; {hint}"))
    if problems:
        return [], problems
    rows: list[tuple[YamlDocument, Vacancy]] = []
    previous_end = reader.line_num
    for row in reader:
        line = previous_end + 1
        previous_end = reader.line_num
        if None in row:  # more cells than columns
            problems.append(Problem(CSV_FILE, line, WHOLE_FILE, f"has {len(header) + len(row[None])} cells "
                                    f"but the first row names {len(header)} columns"))
            continue
        value: dict = {}
        doc = YamlDocument(CSV_FILE, value, {(): line})
        for column, cell in row.items():
            cell = (cell or "").strip()
            if not cell:
                continue
            if column in ("posted", "closes"):
                cell = _iso(cell)
            loc = _NESTED.get(column, (column,))
            target = value
            for part in loc[:-1]:
                target = target.setdefault(part, {})
            target[loc[-1]] = cell
            doc.lines[loc] = line
        value.setdefault("id", _slug(f"{value.get('title', '')} {value.get('reference', '')}"))
        vacancy, found = validate_document(doc, Vacancy)
        problems += [_column_named(p) for p in found]
        if isinstance(vacancy, Vacancy):
            rows.append((doc, vacancy))
    return rows, problems


def _column_named(problem: Problem) -> Problem:
    for column, loc in _NESTED.items():
        if problem.field == ".".join(loc):
            return Problem(problem.path, problem.line, column, problem.message, problem.severity)
    return problem


def load_jobs(site: Path, loaded: Loaded) -> tuple[list[Vacancy], list[Problem]]:
    """Every job, from YAML or CSV, with its references checked."""
    vacancies = loaded.models.get("vacancies")
    if not isinstance(vacancies, Vacancies):
        if (site / CSV_FILE).exists():
            return [], [Problem(CSV_FILE, 1, WHOLE_FILE, "needs data/vacancies.yaml beside it, "
                                "for the teams and places of work its rows refer to")]
        return [], []
    doc = loaded.documents["vacancies"]
    entries = [(doc, ("vacancies", i), v) for i, v in enumerate(vacancies.vacancies)]
    problems: list[Problem] = []
    if (site / CSV_FILE).exists():
        if vacancies.vacancies:
            return [], [doc.problem(("vacancies",), "jobs are listed here and in data/vacancies.csv; "
                                    "keep them in one place")]
        rows, problems = read_csv(site)
        entries = [(row_doc, (), v) for row_doc, v in rows]
    offer = loaded.models.get("offer")
    roles = {r.id for r in offer.roles} if offer is not None else set()  # type: ignore[attr-defined]
    known = {"role": roles, "team": {t.id for t in vacancies.teams}, "location": {p.id for p in vacancies.places}}
    where = {"role": "a role in data/offer.yaml", "team": "a team in data/vacancies.yaml teams",
             "location": "a place in data/vacancies.yaml places"}
    for listname, items in (("teams", vacancies.teams), ("places", vacancies.places)):
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in first:
                problems.append(doc.problem((listname, i, "id"), f"duplicate id {item.id!r}; "
                                            f"{listname}[{first[item.id]}] already uses it"))
            first.setdefault(item.id, i)
    seen: dict[str, int] = {}
    for d, loc, v in entries:
        for key, ids in known.items():
            ref = getattr(v, key)
            if ref not in ids:
                problems.append(d.problem(loc + (key,), f"expected the id of {where[key]}; found {ref!r}, "
                                          f"which does not exist (known: {', '.join(sorted(ids))})"))
        if v.id in seen:
            problems.append(d.problem(loc + ("id",), f"duplicate job id {v.id!r}; line {seen[v.id]} already uses it"))
        seen.setdefault(v.id, d.line_of(loc + ("id",)))
    return [v for _, _, v in entries], problems


def open_jobs(jobs: list[Vacancy], today: dt.date) -> list[Vacancy]:
    """Jobs open on the build date, closing soonest first: from their posting date to
    the end of their closing day, in the site's time zone."""
    return sorted((j for j in jobs if j.posted <= today <= j.closes), key=lambda j: (j.closes, j.title))
