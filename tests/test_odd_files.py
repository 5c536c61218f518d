"""Files that are odd enough to hang or crash a reader: a YAML alias bomb ("billion
laughs"), an alias inside its own value, YAML nested thousands of levels deep, a value
tagged `!!timestamp` with nothing after it, a 50 MB data file or CSV, a jobs CSV of
100,000 rows, duplicate CSV columns, NUL bytes in a CSV.

Each is run through the real command line, `cswork check` and then `cswork build` over a
previous good build, and must end quickly in problems in the error format: check exits 1,
build exits 2 and leaves output/ byte for byte as it was, never a traceback. A CSV with a
byte-order mark, CRLF line ends and blank lines at the end still builds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from .helpers import cswork, tree_digest
from .test_error_contract import LINE_FORMAT, SUMMARY

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

COUNTS = re.compile(r"^\d+ errors?, \d+ warnings?(, \d+ notes?)?\.$")  # check's last line
QUICK = 2.0  # seconds, on top of what a check of the good site takes
BOUNDED = 120.0  # seconds: anything else must still end well within this

CSV_HEADER = ("reference,title,role,team,location,salary_min,salary_max,posted,closes,summary,"
              "description,apply_url,direct_apply\n")
CSV_ROW = ('CB-9,"Social worker, children in care",social-worker,children-in-care,town-hall,39000,43000,'
           '30/10/2026,31/01/2027,A job from the export.,"First paragraph.\n\nSecond, with a comma.",'
           "https://www.castlebrook.example.org/jobs/apply/cb-9/,yes\n")
SHORT_ROW = ("CB-{n},Social worker,social-worker,children-in-care,town-hall,39000,43000,30/10/2020,"
             "31/01/2021,A job.,Text.,https://www.castlebrook.example.org/a/,yes\n")


# --- edits: each breaks a copy of the demo site and returns the line the report names --


def _append(site: Path, rel: str, text: str) -> int:
    """Add text at the end of rel; the line it starts on."""
    f = site / rel
    old = f.read_text(encoding="utf-8").rstrip("\n") + "\n"
    f.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def alias_bomb(site: Path) -> int:
    """Ten anchors, each a list of nine aliases of the one before: 10**9 values written out."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 10)]
    first = _append(site, "data/practice.yaml", "\n".join(lines) + "\n")
    return first + 6  # lol6, the first list that stands for more than 1,000,000 values


def alias_loop(site: Path) -> int:
    return _append(site, "data/events.yaml", "loop: &loop [1, *loop]\n")


def many_aliases(site: Path) -> int:
    return _append(site, "data/agency.yaml", "one: &one 1\nmany:\n" + "  - *one\n" * 10_001) + 2


def replace(rel: str, text: str, line: int) -> Callable[[Path], int]:
    def edit(site: Path) -> int:
        (site / rel).write_text(text, encoding="utf-8")
        return line
    return edit


def empty_tagged_value(site: Path) -> int:
    """`!!timestamp` (or `!!float`, `!!bool`) with nothing after it makes PyYAML itself fail."""
    f = site / "data" / "events.yaml"
    text = f.read_text(encoding="utf-8")
    old = "    ends: 2026-12-03 19:30\n"
    assert old in text, "the demo events changed; update this case"
    f.write_text(text.replace(old, "    ends: !!timestamp\n", 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def huge_data_file(site: Path) -> int:
    f = site / "data" / "events.yaml"
    with f.open("a", encoding="utf-8") as out:
        out.write("# " + "x" * 50_000_000 + "\n")
    return 1


def _jobs_from_csv(site: Path, content: bytes) -> None:
    f = site / "data" / "vacancies.yaml"
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["vacancies"] = []
    f.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (site / "data" / "vacancies.csv").write_bytes(content)


def csv_file(content: bytes, line: int) -> Callable[[Path], int]:
    def edit(site: Path) -> int:
        _jobs_from_csv(site, content)
        return line
    return edit


def huge_csv(site: Path) -> int:
    _jobs_from_csv(site, (CSV_HEADER + CSV_ROW).encode() + b"x" * 50_000_000)
    return 1


def many_rows(site: Path) -> int:
    _jobs_from_csv(site, (CSV_HEADER + "".join(SHORT_ROW.format(n=n) for n in range(100_000))).encode())
    return 5_002  # the first row past the 5,000 read


@dataclass(frozen=True)
class Case:
    id: str
    edit: Callable[[Path], int]
    path: str
    field: str
    message: str
    quick: bool = False  # must end within QUICK seconds of a good check


NESTED = "events: " + "[" * 10_000 + "]" * 10_000 + "\n"
NESTED_MAPS = "events: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"
NESTED_DASHES = "events:\n" + "- " * 10_000 + "x\n"
NESTED_INDENT = "".join(" " * i + f"k{i}:\n" for i in range(1_000)) + " " * 1_000 + "x\n"
DEEP = "nests more than 100 levels deep"

CASES = [
    Case("alias-bomb", alias_bomb, "data/practice.yaml", "(file)",
         "uses YAML aliases (*name) 81 times, and with every alias written out it would hold", quick=True),
    Case("alias-loop", alias_loop, "data/events.yaml", "(file)",
         "uses a YAML alias (*name) inside the very value it names", quick=True),
    Case("many-aliases", many_aliases, "data/agency.yaml", "(file)",
         "uses YAML aliases (*name) more than 10,000 times", quick=True),
    Case("deep-flow-lists", replace("data/events.yaml", NESTED, 1), "data/events.yaml", "(file)", DEEP, quick=True),
    Case("deep-flow-maps", replace("data/events.yaml", NESTED_MAPS, 1), "data/events.yaml", "(file)", DEEP,
         quick=True),
    Case("deep-block-dashes", replace("data/events.yaml", NESTED_DASHES, 2), "data/events.yaml", "(file)", DEEP,
         quick=True),
    Case("deep-block-indent", replace("data/events.yaml", NESTED_INDENT, 101), "data/events.yaml", "(file)",
         DEEP, quick=True),
    Case("empty-tagged-value", empty_tagged_value, "data/events.yaml", "events[0].ends",
         "expected a valid datetime or date", quick=True),
    Case("50-mb-data-file", huge_data_file, "data/events.yaml", "(file)",
         "more than the 1,000,000 bytes (1 MB) a YAML file may be, so it is not read", quick=True),
    Case("50-mb-csv", huge_csv, "data/vacancies.csv", "(file)",
         "more than the 20,000,000 bytes (20 MB) a CSV file may be, so it is not read", quick=True),
    Case("100000-row-csv", many_rows, "data/vacancies.csv", "(file)",
         "has 100,000 rows of jobs, more than the 5,000 cswork reads"),
    Case("duplicate-csv-column", csv_file((CSV_HEADER.replace("summary,", "summary,title,")
                                           + CSV_ROW.replace("A job", "Again,A job")).encode(), 1),
         "data/vacancies.csv", "title", "names two columns, B and K"),
    Case("nul-in-csv", csv_file((CSV_HEADER + CSV_ROW + CSV_ROW.replace("CB-9", "CB-10").replace(
        "A job", "A\x00job")).encode(), 5), "data/vacancies.csv", "summary",
         "holds a NUL byte (\\x00) in column J"),
    Case("nul-in-csv-header", csv_file((CSV_HEADER.replace("team", "te\x00am") + CSV_ROW).encode(), 1),
         "data/vacancies.csv", "team", "holds a NUL byte (\\x00) in column D"),
]


@pytest.fixture(scope="module")
def good_check_seconds(built_demo) -> float:
    """How long the real command takes to check the good site: the start-up allowance."""
    started = time.monotonic()
    result = cswork("check", str(built_demo[0]))
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def _run(*args: str, limit: float) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    try:
        result = cswork(*args, timeout=max(limit * 3, 30))
    except subprocess.TimeoutExpired:
        pytest.fail(f"cswork {args[0]} did not end within {max(limit * 3, 30):.0f} s")
    return result, time.monotonic() - started


def _assert_contract(result: subprocess.CompletedProcess[str], last: re.Pattern[str]) -> list[str]:
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and last.match(lines[-1]), lines[-1:]
    for reported in lines[:-1]:
        assert LINE_FORMAT.match(reported), f"not in PATH:LINE: FIELD: MESSAGE form: {reported!r}"
    return lines


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_odd_file_ends_quickly_in_a_problem(case: Case, site: Path, built_demo, good_check_seconds: float):
    shutil.copytree(built_demo[1], site / "output")  # the previous good build
    before = tree_digest(site / "output")
    line = case.edit(site)
    limit = good_check_seconds + QUICK if case.quick else BOUNDED
    expected = f"{case.path}:{line}: {case.field}: "

    check, seconds = _run("check", str(site), limit=limit)
    assert check.returncode == 1, check.stdout + check.stderr
    lines = _assert_contract(check, COUNTS)
    assert any(r.startswith(expected) and case.message in r for r in lines), \
        f"expected a line starting {expected!r} with {case.message!r}; got:\n" + "\n".join(lines)
    assert seconds < limit, f"cswork check took {seconds:.1f} s; expected under {limit:.1f} s"

    build, seconds = _run("build", str(site), limit=limit + good_check_seconds)
    assert build.returncode == 2, build.stdout + build.stderr
    lines = _assert_contract(build, SUMMARY)
    assert any(r.startswith(expected) and case.message in r for r in lines), "\n".join(lines)
    assert seconds < limit + good_check_seconds, f"cswork build took {seconds:.1f} s"
    assert tree_digest(site / "output") == before, "output/ must be left exactly as it was"
    assert not list(site.glob(".output.building-*"))


def test_a_csv_with_a_bom_crlf_and_blank_lines_still_builds(site: Path):
    """An export as Excel writes it: a byte-order mark, CRLF line ends (line breaks inside a
    quoted cell kept as they are), and blank lines at the end, some only spaces or commas."""
    text = (CSV_HEADER + CSV_ROW).replace("\n\n", "\x00").replace("\n", "\r\n").replace("\x00", "\n\n")
    _jobs_from_csv(site, b"\xef\xbb\xbf" + text.encode() + b"\r\n\r\n  \r\n,,,\r\n\r\n")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    page = site / "output" / "jobs" / "social-worker-children-in-care-cb-9" / "index.html"
    assert "Second, with a comma." in page.read_text(encoding="utf-8")
