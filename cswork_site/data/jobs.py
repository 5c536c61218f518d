"""Jobs: from data/vacancies.yaml, or from an applicant tracking system's CSV export.

The CSV's columns are documented in docs/data-reference.md. Each row is checked with
the same model as a job written in YAML, so problems read the same way, with the
row's line and the column's name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from cswork_site.data.loading import OFFER, VACANCIES, Loaded, validate_document
from cswork_site.data.models.offer import Role
from cswork_site.data.models.vacancies import EmploymentType, Vacancies, Vacancy, WelshLanguage
from cswork_site.data.yamlfile import Loc, YamlDocument, read_data_file
from cswork_site.files import NotText, decode_text
from cswork_site.problems import WHOLE_FILE, FirstSeen, Problem, did_you_mean

CSV_FILE = "data/vacancies.csv"
REQUIRED_COLUMNS = ("reference", "title", "role", "team", "location", "posted", "closes",
                    "summary", "description", "apply_url")
OPTIONAL_COLUMNS = ("id", "salary_min", "salary_max", "hours", "employment_type", "direct_apply",
                    "welsh_language", "welsh_understanding", "welsh_speaking", "welsh_reading", "welsh_writing")
# Where a column's value goes in the Vacancy model, and back again for messages.
_NESTED = {"salary_min": ("salary", "min"), "salary_max": ("salary", "max"),
           **{f"welsh_{skill}": ("welsh_skills", skill)
              for skill in ("understanding", "speaking", "reading", "writing")}}
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# An export is a list of jobs, not an archive: 5,000 rows is far more than any service
# advertises at once (each row is checked like a job in YAML, about half a millisecond
# each), and 20 MB leaves 4 kB for every row.
MAX_CSV_BYTES = 20_000_000
MAX_CSV_ROWS = 5_000


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _iso(value: str) -> str:
    """Exports often write dates as 31/12/2026; the model reads 2026-12-31."""
    m = _UK_DATE.match(value.strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else value


def _letter(index: int) -> str:
    """A column's letter, as a spreadsheet shows it: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _records(text: str) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """Every record of the CSV text with the line it starts on, and the problem that stopped
    the reading early, if one did. Never raises: whatever the bytes, the answer is rows or
    a line to fix."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records, None
        except csv.Error as exc:
            why = str(exc)
            if "field larger than field limit" in why:
                message = (f"has a cell longer than {csv.field_size_limit():,} characters, so the file is read "
                           "no further; look for a quote (\") that opens a cell and is never closed")
            elif "unexpected end of data" in why:
                message = ("has a cell that opens with a quote (\") on this line and never closes, so the rest "
                           "of the file cannot be read; close the quote (write \"\" for a quote inside a cell)")
            else:
                message = (f"is not valid CSV on this line ({why}), so the file is read no further; a cell "
                           "that opens with a quote (\") must close with one, followed by a comma or the end "
                           "of the line")
            return records, Problem(CSV_FILE, start, WHOLE_FILE, message)
        end = reader.line_num
        records.append((start, cells))


def _nul_problems(records: list[tuple[int, list[str]]], header: list[str]) -> list[Problem]:
    """A problem for every cell holding a NUL byte, the header's too: no text holds one, and
    many programs lose what follows it. Each names the cell's column, by name and letter."""
    found = []
    for line, cells in records:
        for i, cell in enumerate(cells):
            if "\x00" not in cell:
                continue
            name = header[i] if i < len(header) and header[i] else f"column-{_letter(i)}"
            found.append(Problem(CSV_FILE, line, name,
                                 f"holds a NUL byte (\\x00) in column {_letter(i)}, "
                                 "which no text holds; delete it (it often comes from a file saved in the "
                                 "wrong format: export as 'CSV UTF-8')"))
    return found


def read_csv(site: Path) -> tuple[list[tuple[YamlDocument, Vacancy]], list[Problem]]:
    raw, refused = read_data_file(site / CSV_FILE, CSV_FILE, limit=MAX_CSV_BYTES)
    if refused is not None:
        return [], [refused]
    if raw is None:  # gone since it was looked for: nothing to read
        return [], []
    text = decode_text(raw, nul="mostly")  # a stray NUL is reported at its cell, below
    if isinstance(text, NotText) and text.binary:
        return [], [Problem(CSV_FILE, text.line, WHOLE_FILE, "is full of NUL bytes (\\x00): it is not CSV text "
                            "but a spreadsheet or a file saved as UTF-16 ('Unicode Text'); export it as 'CSV UTF-8'")]
    if isinstance(text, NotText):
        return [], [Problem(CSV_FILE, text.line, WHOLE_FILE, "is not UTF-8 text; export it as "
                            "'CSV UTF-8' (found a byte that is not UTF-8)")]
    records, stopped = _records(text)
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]  # blank lines
    if len(records) - 1 > MAX_CSV_ROWS:
        return [], [Problem(CSV_FILE, records[MAX_CSV_ROWS + 1][0], WHOLE_FILE,
                            f"has {len(records) - 1:,} rows of jobs, more than the {MAX_CSV_ROWS:,} cswork reads, "
                            "so none is read; export only the jobs that are open or about to open")]
    header_line, header = records[0] if records else (1, [])
    header = [c.replace("\x00", "").strip() for c in header]
    problems = _nul_problems(records[:1], header)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        problems.append(Problem(CSV_FILE, header_line, column,
                                "is a required column but missing from the first row"))
    first_at: dict[str, int] = {}
    for i, column in enumerate(header):
        if column and column in first_at:
            problems.append(Problem(CSV_FILE, header_line, column,
                                    f"names two columns, {_letter(first_at[column])} and {_letter(i)}, so it is not "
                                    "clear which to read; delete one of them, or rename it"))
            continue
        first_at.setdefault(column, i)
        if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            hint = (did_you_mean(column, REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
                    or "expected one of: " + ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS))
            problems.append(Problem(CSV_FILE, header_line, column or "(empty)", f"unknown column; {hint}"))
    if problems:
        return [], problems + ([stopped] if stopped else [])
    problems = _nul_problems(records[1:], header)
    nul_lines = {p.line for p in problems}
    rows: list[tuple[YamlDocument, Vacancy]] = []
    for line, cells in records[1:]:
        if line in nul_lines:
            continue
        if len(cells) > len(header):  # more cells than columns
            problems.append(Problem(CSV_FILE, line, WHOLE_FILE, f"has {len(cells)} cells "
                                    f"but the first row names {len(header)} columns"))
            continue
        value: dict = {}
        doc = YamlDocument(CSV_FILE, value, {(): line})
        for column, cell in zip(header, cells, strict=False):  # a short row leaves the last columns out
            cell = cell.strip()
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
    return rows, problems + ([stopped] if stopped else [])


def _column_named(problem: Problem) -> Problem:
    for column, loc in _NESTED.items():
        if problem.field == ".".join(loc):
            return Problem(problem.path, problem.line, column, problem.message, problem.severity)
    return problem


def load_jobs(site: Path, loaded: Loaded) -> tuple[list[Vacancy], list[Problem]]:
    """Every job, from YAML or CSV, with its references checked."""
    entries, problems = load_job_entries(site, loaded)
    return [v for _, _, v in entries], problems


def load_job_entries(site: Path, loaded: Loaded
                     ) -> tuple[list[tuple[YamlDocument, Loc, Vacancy]], list[Problem]]:
    """Every job with the document and location it was read from."""
    vacancies = loaded.get(VACANCIES)
    if vacancies is None:
        if (site / CSV_FILE).exists():
            return [], [Problem(CSV_FILE, 1, WHOLE_FILE, "needs data/vacancies.yaml beside it, "
                                "for the teams and places of work its rows refer to")]
        return [], []
    doc = loaded.documents["vacancies"]
    entries: list[tuple[YamlDocument, Loc, Vacancy]] = [(doc, ("vacancies", i), v)
                                                        for i, v in enumerate(vacancies.vacancies)]
    problems: list[Problem] = []
    if (site / CSV_FILE).exists():
        if vacancies.vacancies:
            return [], [doc.problem(("vacancies",), "jobs are listed here and in data/vacancies.csv; "
                                    "keep them in one place")]
        rows, problems = read_csv(site)
        entries = [(row_doc, (), v) for row_doc, v in rows]
    entries, welsh_problems = with_welsh_language(entries, vacancies)
    problems += welsh_problems
    offer = loaded.get(OFFER)
    role_of = {r.id: r for r in offer.roles} if offer is not None else {}
    roles = set(role_of)
    known = {"role": roles, "team": {t.id for t in vacancies.teams}, "location": {p.id for p in vacancies.places}}
    where = {"role": "a role in data/offer.yaml", "team": "a team in data/vacancies.yaml teams",
             "location": "a place in data/vacancies.yaml places"}
    for listname, listed in (("teams", [t.id for t in vacancies.teams]), ("places", [p.id for p in vacancies.places])):
        problems += doc.duplicate_ids(listname, listed)
    seen: FirstSeen[str, int] = FirstSeen()
    for d, loc, v in entries:
        for key, ids in known.items():
            ref = getattr(v, key)
            if ref not in ids:
                problems.append(d.problem(loc + (key,), f"expected the id of {where[key]}; found {ref!r}, "
                                          f"which does not exist (known: {', '.join(sorted(ids))})"))
        on_line = seen.before(v.id, d.line_of(loc + ("id",)))
        if on_line is not None:
            problems.append(d.problem(loc + ("id",), f"duplicate job id {v.id!r}; line {on_line} already uses it"))
        role = role_of.get(v.role)
        if role is not None:
            problems += pay_problems(d, loc, v, role)
    return entries, problems


def with_welsh_language(entries: list[tuple[YamlDocument, Loc, Vacancy]], vacancies: Vacancies
                        ) -> tuple[list[tuple[YamlDocument, Loc, Vacancy]], list[Problem]]:
    """The jobs with the site's default Welsh-language category where they give none, and a
    warning at each job still without one when any job gives a category or skill levels:
    the Welsh Language Standards need the category on every advert, so a site that says it
    for some jobs has most likely forgotten the others. And a warning for a job whose levels
    ask for Welsh while its category says Welsh is not necessary: the advert contradicts itself."""
    default = vacancies.defaults.welsh_language if vacancies.defaults else None
    if default is not None:
        entries = [(d, loc, v if v.welsh_language else v.model_copy(update={"welsh_language": default}))
                   for d, loc, v in entries]
    found = [d.problem(loc + ("welsh_language",), (
        f"job {v.id!r} says Welsh is not necessary but asks for "
        f"{'; '.join(s.text.lower() for s in v.welsh_skills.given if s.level)}; give a category "
        "of desirable or essential, or leave the levels out"), "warning")
        for d, loc, v in entries if v.welsh_language is WelshLanguage.not_necessary
        and v.welsh_skills is not None and any(s.level for s in v.welsh_skills.given)]
    given = sum(1 for _, _, v in entries if v.welsh_language is not None)
    if not any(v.welsh_language is not None or v.welsh_skills is not None for _, _, v in entries):
        return entries, found
    words = ", ".join(WelshLanguage.__members__)
    return entries, found + [d.problem(loc + ("welsh_language",), (
        f"job {v.id!r} has no Welsh-language skills category, but {given} of the {len(entries)} jobs give one; "
        f"the Welsh Language Standards need one on every job advert: give one of: {words}, or set "
        "defaults.welsh_language in data/vacancies.yaml for the jobs that give none"), "warning")
        for d, loc, v in entries if v.welsh_language is None]


def pay_problems(doc: YamlDocument, loc: Loc, job: Vacancy, role: Role) -> list[Problem]:
    """Warnings for a job whose pay does not read right: a salary outside its role's pay
    range in data/offer.yaml (for a part-time job, outside that range pro rata to its
    hours), or an employment type that says part time where the hours are full time."""
    found: list[Problem] = []
    grade = role.pay
    part_time = job.hours < role.hours
    if job.salary is not None:
        share = job.hours / role.hours if part_time else 1.0
        low, high = round(grade.min * share), round(grade.max * share)
        # A pound either way: pro rata pay is rounded, by cswork and by payroll.
        too_low, too_high = job.salary.min < low - 1, job.salary.max > high + 1
        if too_low or too_high:
            if part_time:
                range_text = (f"{low:,} to {high:,} for {job.hours:g} hours a week, pro rata to its "
                              f"{grade.min:,} to {grade.max:,} for {role.hours:g} hours")
                fix = ("give the pay for the job's own hours (the page shows it as pro rata, "
                       "with the full-time equivalent), or correct the role's range")
            else:
                range_text = f"{grade.min:,} to {grade.max:,}"
                fix = "give a salary within the grade, or correct the role's range"
            found.append(_column_named(doc.problem(
                loc + (("salary", "min") if too_low else ("salary", "max")),
                f"salary {job.salary.min:,} to {job.salary.max:,} is outside the pay range of grade "
                f"{grade.grade} for {role.id!r} in data/offer.yaml ({range_text}); {fix}", "warning")))
    if job.employment_type is EmploymentType.part_time and not part_time:
        found.append(_column_named(doc.problem(
            loc + ("hours",), f"employment_type is PART_TIME but hours is {job.hours:g}, the role's full time; "
            "give the job's own hours a week, so its pay is shown pro rata", "warning")))
    return found


def open_jobs(jobs: list[Vacancy], today: dt.date) -> list[Vacancy]:
    """Jobs open on the build date, closing soonest first: from their posting date to
    the end of their closing day, in the site's time zone."""
    return sorted((j for j in jobs if j.posted <= today <= j.closes), key=lambda j: (j.closes, j.title))
