"""`cswork metrics pull` and the snapshot store, against a real HTTP server on 127.0.0.1.

Every failing pull must leave data/metrics/ exactly as it was: no new file, no temporary
file left behind, and every existing snapshot byte-for-byte the same.
"""

from __future__ import annotations

import calendar
import datetime as dt
import http.server
import json
import re
import shutil
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from cswork_site.data.models.metrics import Snapshot
from cswork_site.metrics.pull import PullResult, pull
from cswork_site.metrics.store import (
    SNAPSHOT_DIR,
    MetricsError,
    load_snapshots,
    newest,
    to_yaml,
    write_snapshot,
)
from cswork_site.problems import ProblemsFound

from .helpers import REPO, tree_digest

TODAY = dt.date(2027, 4, 15)
DEMO_DATES = ["2024-03-31", "2024-09-30", "2025-03-31", "2025-09-30", "2026-03-31", "2026-09-30"]


# ---------------------------------------------------------------------------
# A dashboard: a real HTTP server whose answers each test scripts


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/json; charset=utf-8"
    delay: float = 0.0
    length: int | None = None  # a Content-Length that differs from the body's, to cut it short


class Dashboard:
    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = {}
        self.hits: Counter[str] = Counter()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.base = ""

    def serve(self, path: str, *replies: Reply) -> str:
        """Answer path with replies in turn (the last one repeats); returns its URL."""
        self.replies[path] = list(replies)
        return self.base + path

    def next_reply(self, path: str) -> Reply:
        with self.lock:
            self.hits[path] += 1
            queue = self.replies.get(path) or [Reply(404, b"not found", "text/plain")]
            return queue.pop(0) if len(queue) > 1 else queue[0]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        dashboard: Dashboard = self.server.dashboard  # type: ignore[attr-defined]
        reply = dashboard.next_reply(self.path.split("?")[0])
        if reply.delay:
            dashboard.stop.wait(reply.delay)  # bounded, and cut short when the test ends
        try:
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(reply.length if reply.length is not None else len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            pass  # the client gave up first, as it should when we are too slow

    def log_message(self, format: str, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass


@pytest.fixture
def dashboard():
    dash = Dashboard()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.dashboard = dash  # type: ignore[attr-defined]
    dash.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield dash
    finally:
        dash.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


# ---------------------------------------------------------------------------
# A site, and what a pull may and may not change


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """The demo's data folder, with a short timeout and one retry so failures are quick."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "data", site / "data")
    configure(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(calendar.timegm((TODAY.year, TODAY.month, TODAY.day, 12, 0, 0))))
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return site


def configure(site: Path, url: str | None = None, fmt: str = "json") -> None:
    settings = site / "data" / "metrics.yaml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"timeout_seconds: .*", "timeout_seconds: 0.3", text)
    text = re.sub(r"retries: .*", "retries: 1", text)
    text = re.sub(r"format: .*", f"format: {fmt}", text)
    if url:
        text = re.sub(r"url: .*", f"url: {url}", text)
    settings.write_text(text, encoding="utf-8")


def good_payload(as_at: str = "2027-03-31", **changes) -> dict:
    payload = {
        "as_at": as_at,
        "source": "Castlebrook HR workforce dashboard",
        "figures": {
            "vacancy_rate": {"value": 12.9, "unit": "percent", "denominator": 192},
            "agency_rate": {"value": 8.2, "unit": "percent", "denominator": 183.4},
            "average_caseload": {"value": 14.6, "unit": "children per worker"},
            "agency_conversions": {"value": 4, "unit": "people"},
        },
        "staff_survey": [{"id": "proud-to-work-here", "question": "I am proud to work here",
                          "value": 80, "respondents": 151}],
        "local": [{"kpi": "visits-in-timescale", "value": 92.4}],
    }
    payload.update(changes)
    return payload


def as_json(payload: dict) -> bytes:
    return json.dumps(payload).encode("utf-8")


GOOD_CSV = (
    "as_at,source,figure,value,unit,denominator,question,respondents\r\n"
    "2027-03-31,Castlebrook HR workforce dashboard,vacancy_rate,12.9,percent,192,,\r\n"
    "2027-03-31,Castlebrook HR workforce dashboard,turnover_rate,12.1,percent,167.1,,\r\n"
    "2027-03-31,Castlebrook HR workforce dashboard,nq_intake,9,people,,,\r\n"
    "2027-03-31,Castlebrook HR workforce dashboard,survey:manageable-workload,69,percent,,"
    "\"My workload is manageable, most weeks\",150\r\n"
    "2027-03-31,Castlebrook HR workforce dashboard,kpi:supervision-in-timescale,91,,,,\r\n"
)


def metrics_dir(site: Path) -> Path:
    return site / SNAPSHOT_DIR


def refused(site: Path, call, *expected: str) -> str:
    """Run a pull that must fail; check the message and that nothing on disk changed."""
    before = tree_digest(metrics_dir(site))
    assert sorted(before) == [f"{d}.yaml" for d in DEMO_DATES]
    with pytest.raises((MetricsError, ProblemsFound)) as caught:
        call()
    message = str(caught.value)
    assert tree_digest(metrics_dir(site)) == before, "a failed pull changed data/metrics/"
    assert "Traceback" not in message
    for text in expected:
        assert text in message, message
    return message


def one_line(message: str) -> None:
    assert "\n" not in message and message.strip() == message and message, repr(message)


# ---------------------------------------------------------------------------
# Pulls that work


def test_good_json_pull_from_configured_source(site, dashboard):
    url = dashboard.serve("/workforce.json", Reply(body=as_json(good_payload())))
    configure(site, url)
    before = tree_digest(metrics_dir(site))
    result = pull(site)
    assert isinstance(result, PullResult)
    assert result.path == site / "data" / "metrics" / "2027-03-31.yaml"
    assert result.fetched_from == url
    assert result.snapshot.collected == TODAY  # SOURCE_DATE_EPOCH, not the wall clock
    assert result.snapshot.vacancy_rate.value == Decimal("12.9")
    after = tree_digest(metrics_dir(site))
    assert {k: v for k, v in after.items() if k in before} == before
    assert sorted(after) == sorted([*before, "2027-03-31.yaml"])  # no temporary file left
    snapshots, problems = load_snapshots(site)
    assert problems == []
    assert [s.as_at.isoformat() for _, s in snapshots] == [*DEMO_DATES, "2027-03-31"]
    assert newest(snapshots) == result.snapshot
    text = result.path.read_text(encoding="utf-8")
    assert "value: 12.9\n" in text and "as_at: 2027-03-31\n" in text and "denominator: 192\n" in text


def test_good_csv_pull_with_byte_order_mark(site, dashboard):
    url = dashboard.serve("/export/workforce.csv",
                          Reply(body=b"\xef\xbb\xbf" + GOOD_CSV.encode(), content_type="text/csv; charset=UTF-8"))
    result = pull(site, url)  # --from: the name says CSV although the configured source is JSON
    snap = result.snapshot
    assert snap.as_at == dt.date(2027, 3, 31)
    assert snap.turnover_rate.denominator == Decimal("167.1")
    assert snap.nq_intake.value == 9
    assert snap.staff_survey[0].id == "manageable-workload"
    assert snap.staff_survey[0].question == "My workload is manageable, most weeks"
    assert snap.staff_survey[0].respondents == 150
    assert snap.local[0].kpi == "supervision-in-timescale" and snap.local[0].value == 91
    assert load_snapshots(site)[1] == []


def test_file_source_relative_to_site(site):
    (site / "exports").mkdir()
    (site / "exports" / "workforce.json").write_bytes(as_json(good_payload()))
    result = pull(site, "exports/workforce.json")
    assert result.path.name == "2027-03-31.yaml"
    assert result.fetched_from == "exports/workforce.json"
    assert load_snapshots(site)[1] == []


def test_server_error_then_success_is_retried(site, dashboard):
    url = dashboard.serve("/workforce.json", Reply(500, b"busy", "text/plain"),
                          Reply(body=as_json(good_payload())))
    result = pull(site, url)
    assert result.path.exists()
    assert dashboard.hits["/workforce.json"] == 2


def test_write_snapshot_round_trips_and_never_overwrites(site):
    snap = Snapshot.model_validate(_flat(good_payload()))
    path = write_snapshot(site, snap)
    reread = load_snapshots(site)[0][-1][1]
    assert reread == snap
    before = tree_digest(metrics_dir(site))
    with pytest.raises(MetricsError) as caught:
        write_snapshot(site, snap)
    assert str(caught.value) == ("a snapshot for 2027-03-31 already exists: data/metrics/2027-03-31.yaml; "
                                 "snapshots are never overwritten")
    assert tree_digest(metrics_dir(site)) == before
    assert to_yaml(snap) in path.read_text(encoding="utf-8")


def _flat(payload: dict) -> dict:
    flat = {k: v for k, v in payload.items() if k != "figures"}
    return {**flat, **payload["figures"]}


# ---------------------------------------------------------------------------
# Pulls that fail: nothing written, nothing changed


def test_server_down(site):
    with socket.socket() as s:  # a port that was free a moment ago, and now nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    message = refused(site, lambda: pull(site, f"http://127.0.0.1:{port}/workforce.json"),
                      "could not connect", "refused", "tried 2 times")
    one_line(message)


def test_too_slow(site, dashboard):
    url = dashboard.serve("/workforce.json", Reply(body=as_json(good_payload()), delay=1.5))
    start = time.monotonic()
    message = refused(site, lambda: pull(site, url), "no answer within 0.3 seconds", "tried 2 times")
    assert time.monotonic() - start < 1.4  # two timeouts and one short wait, not the server's pace
    one_line(message)


def test_not_found_is_not_retried(site, dashboard):
    url = dashboard.serve("/gone.json", Reply(404, b"no", "text/plain"))
    message = refused(site, lambda: pull(site, url), "HTTP 404", "check the address")
    assert dashboard.hits["/gone.json"] == 1
    one_line(message)


def test_server_error_every_time(site, dashboard):
    url = dashboard.serve("/workforce.json", Reply(503, b"down", "text/plain"))
    message = refused(site, lambda: pull(site, url), "HTTP 503", "tried 2 times")
    assert dashboard.hits["/workforce.json"] == 2
    one_line(message)


def test_invalid_json(site, dashboard):
    url = dashboard.serve("/workforce.json", Reply(body=b'{"as_at": "2027-03-31", "figures": {'))
    message = refused(site, lambda: pull(site, url), "is not valid JSON", "line 1")
    one_line(message)


def test_invalid_csv(site, dashboard):
    body = b'as_at,source,figure,value,unit\n2027-03-31,"Castlebrook,vacancy_rate,12.9,percent\n'
    url = dashboard.serve("/workforce.csv", Reply(body=body, content_type="text/csv"))
    one_line(refused(site, lambda: pull(site, url), "is not valid CSV"))


def test_csv_without_required_columns(site, dashboard):
    body = b"date;figure;value\n2027-03-31;vacancy_rate;12.9\n"
    url = dashboard.serve("/workforce.csv", Reply(body=body, content_type="text/csv"))
    one_line(refused(site, lambda: pull(site, url), ":1: (header): the columns are separated by semicolons"))
    body = b"as_at,figure,amount\n2027-03-31,vacancy_rate,12.9\n"
    url = dashboard.serve("/workforce2.csv", Reply(body=body, content_type="text/csv"))
    refused(site, lambda: pull(site, url), "2 problems", "unknown column 'amount'",
            "missing columns source, value")


def test_truncated_body(site, dashboard):
    body = as_json(good_payload())
    url = dashboard.serve("/workforce.json", Reply(body=body[:40], length=len(body)))
    message = refused(site, lambda: pull(site, url), "cut short", f"40 of {len(body)} bytes")
    one_line(message)


@pytest.mark.parametrize("content_type, expected", [
    ("text/html; charset=utf-8", "text/html"),
    ("text/csv", "text/csv"),
    (None, "no Content-Type"),
    ("application/json; charset=iso-8859-1", "UTF-8 only"),
])
def test_wrong_content_type(site, dashboard, content_type, expected):
    url = dashboard.serve("/workforce.json", Reply(body=as_json(good_payload()), content_type=content_type))
    one_line(refused(site, lambda: pull(site, url), expected))


def test_vendor_json_content_type_is_accepted(site, dashboard):
    url = dashboard.serve("/workforce.json", Reply(body=as_json(good_payload()),
                                                   content_type="application/vnd.castlebrook+json"))
    assert pull(site, url).path.exists()


def test_not_utf8(site, dashboard):
    body = json.dumps(good_payload(source="Castlebrook HR \u00e9"), ensure_ascii=False).encode("latin-1")
    url = dashboard.serve("/workforce.json", Reply(body=body))
    one_line(refused(site, lambda: pull(site, url), "is not UTF-8"))


def test_schema_invalid_lists_every_problem(site, dashboard):
    payload = good_payload()
    del payload["source"]
    payload["figures"]["vacancy_rate"]["value"] = "lots"
    payload["figures"]["average_caseload"]["unit"] = "cases"
    payload["figures"]["vacancy_rate"]["denominatr"] = 180
    url = dashboard.serve("/workforce.json", Reply(body=as_json(payload)))
    message = refused(site, lambda: pull(site, url), "4 problems")
    lines = message.splitlines()
    assert len(lines) == 5
    assert f"{url}: source: is required but missing" in lines
    assert any(line.startswith(f"{url}: figures.vacancy_rate.value: ") for line in lines)
    assert any(line.startswith(f"{url}: figures.average_caseload.unit: ") for line in lines)
    assert any(line.startswith(f"{url}: figures.vacancy_rate.denominatr: unknown key") and "did you mean"
               in line for line in lines)


def test_unknown_figure_and_key(site, dashboard):
    payload = good_payload(generated="today")
    payload["figures"]["vacancy"] = {"value": 12, "unit": "percent"}
    url = dashboard.serve("/workforce.json", Reply(body=as_json(payload)))
    message = refused(site, lambda: pull(site, url), "unknown key 'generated'",
                      "figures.vacancy: unknown figure 'vacancy'; did you mean 'vacancy_rate'?")
    assert len(message.splitlines()) == 3


def test_out_of_range_values(site, dashboard):
    payload = good_payload()
    payload["figures"]["vacancy_rate"]["value"] = 140
    payload["figures"]["agency_rate"]["value"] = -3
    payload["local"][0]["value"] = 101
    url = dashboard.serve("/workforce.json", Reply(body=as_json(payload)))
    message = refused(site, lambda: pull(site, url))
    lines = message.splitlines()
    assert any("figures.agency_rate.value: " in line and "greater than or equal to 0" in line for line in lines)
    # A negative figure stops the schema first; the range checks then run on a fixed source.
    payload["figures"]["agency_rate"]["value"] = 3
    url = dashboard.serve("/workforce.json", Reply(body=as_json(payload)))
    message = refused(site, lambda: pull(site, url), "2 problems")
    assert f"{url}: figures.vacancy_rate.value: a percentage must be between 0 and 100; found 140" in message
    assert f"{url}: local[0].value: a percentage must be between 0 and 100; found 101" in message


def test_csv_problems_name_the_line(site, dashboard):
    body = GOOD_CSV.replace("vacancy_rate,12.9,percent", "vacancy_rate,12.9,people") \
        .replace("kpi:supervision-in-timescale", "kpi:home-visits")
    url = dashboard.serve("/workforce.csv", Reply(body=body.encode(), content_type="text/csv"))
    message = refused(site, lambda: pull(site, url), "2 problems")
    assert f"{url}:2: vacancy_rate.unit: vacancy_rate must be in 'percent'; found 'people'" in message
    assert f"{url}:6: kpi:home-visits.kpi: unknown KPI 'home-visits'" in message


def test_older_than_newest(site, dashboard):
    url = dashboard.serve("/workforce.json", Reply(body=as_json(good_payload("2026-03-30"))))
    message = refused(site, lambda: pull(site, url), "older than the newest snapshot (2026-09-30")
    one_line(message)


def test_duplicate_as_at(site, dashboard):
    url = dashboard.serve("/workforce.json", Reply(body=as_json(good_payload("2026-09-30"))))
    message = refused(site, lambda: pull(site, url))
    assert message == ("a snapshot for 2026-09-30 already exists: data/metrics/2026-09-30.yaml; "
                       "snapshots are never overwritten")


def test_future_as_at(site, dashboard):
    url = dashboard.serve("/workforce.json", Reply(body=as_json(good_payload("2027-09-30"))))
    one_line(refused(site, lambda: pull(site, url), "as_at: 2027-09-30 is in the future"))


def test_no_source(site):
    (site / "data" / "metrics.yaml").unlink()
    one_line(refused(site, lambda: pull(site), "no source to pull from"))


def test_missing_file_source(site):
    one_line(refused(site, lambda: pull(site, "exports/none.json"), "no such file"))


@pytest.mark.parametrize("address, expected", [
    ("http://[::1/workforce.json", "is not a valid address"),
    ("http://127.0.0.1:port/workforce.json", "is not a valid address"),
    ("https:///workforce.json", "names no server"),
    ("ftp://127.0.0.1/workforce.json", "cswork fetches http:// and https:// addresses"),
])
def test_bad_address(site, address, expected):
    one_line(refused(site, lambda: pull(site, address), expected))


def test_query_string_is_not_shown(site, dashboard):
    url = dashboard.serve("/gone.json", Reply(404, b"no", "text/plain")) + "?key=secret-token"
    message = refused(site, lambda: pull(site, url), "HTTP 404")
    assert "secret-token" not in message


# ---------------------------------------------------------------------------
# Loading stored snapshots


def test_demo_snapshots_load_without_problems():
    snapshots, problems = load_snapshots(REPO)
    assert problems == []
    assert [s.as_at.isoformat() for _, s in snapshots] == DEMO_DATES
    assert all(s.source == "Castlebrook HR workforce dashboard" for _, s in snapshots)
    first, last = snapshots[0][1], snapshots[-1][1]
    assert first.vacancy_rate.value > last.vacancy_rate.value
    assert any(s.agency_conversions.value < 5 for _, s in snapshots)  # exercises suppression
    assert newest(snapshots) == last


def _line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[:text.index(needle, start)].count("\n") + 1


def test_file_name_must_match_as_at(site):
    shutil.copy(metrics_dir(site) / "2026-09-30.yaml", metrics_dir(site) / "2026-10-31.yaml")
    text = (metrics_dir(site) / "2026-10-31.yaml").read_text()
    _, problems = load_snapshots(site)
    assert [str(p) for p in problems] == [
        (f"data/metrics/2026-10-31.yaml:{_line_of(text, 'as_at:')}: as_at: the file is named '2026-10-31.yaml' "
         "but as_at is 2026-09-30; a snapshot file is named by its as_at date: rename it '2026-09-30.yaml'")]


def test_wrong_unit(site):
    file = metrics_dir(site) / "2025-03-31.yaml"
    text = file.read_text().replace("vacancy_rate:\n  value: 22.4\n  unit: percent",
                                    "vacancy_rate:\n  value: 22.4\n  unit: people")
    file.write_text(text)
    line = _line_of(text, "unit: people", after="vacancy_rate:")
    _, problems = load_snapshots(site)
    assert [str(p) for p in problems] == [
        f"data/metrics/2025-03-31.yaml:{line}: vacancy_rate.unit: vacancy_rate must be in 'percent'; found 'people'"]


def test_unknown_kpi_and_out_of_range(site):
    file = metrics_dir(site) / "2024-09-30.yaml"
    text = file.read_text().replace("kpi: visits-in-timescale", "kpi: visits-in-timescal") \
        .replace("value: 25.1", "value: 125.1")
    file.write_text(text)
    _, problems = load_snapshots(site)
    assert [str(p) for p in problems] == [
        (f"data/metrics/2024-09-30.yaml:{_line_of(text, 'value: 125.1')}: vacancy_rate.value: "
         "a percentage must be between 0 and 100; found 125.1"),
        (f"data/metrics/2024-09-30.yaml:{_line_of(text, 'kpi: visits-in-timescal')}: local[0].kpi: "
         "unknown KPI 'visits-in-timescal'; did you mean 'visits-in-timescale'?"),
    ]


def test_schema_problems_and_stray_files(site):
    (metrics_dir(site) / "2027-01-31.yml").write_text("as_at: 2027-01-31\n")
    (metrics_dir(site) / "README.md").write_text("Notes for HR\n")
    (metrics_dir(site) / "2027-02-28.yaml").write_text("as_at: 2027-02-28\nvacancy_rate:\n  value: high\n"
                                                       "  unit: percent\n")
    snapshots, problems = load_snapshots(site)
    assert len(snapshots) == 6
    assert [str(p) for p in problems] == [
        "data/metrics/2027-01-31.yml:1: (file): snapshot files end in .yaml; rename it 2027-01-31.yaml",
        "data/metrics/2027-02-28.yaml:1: source: is required but missing",
        "data/metrics/2027-02-28.yaml:3: vacancy_rate.value: expected a valid decimal; found 'high'",
    ]


# ---------------------------------------------------------------------------
# The guide's examples are ones cswork accepts


def _fenced(language: str) -> list[str]:
    """The guide's code blocks marked as language ("" for unmarked ones), in order."""
    blocks: list[str] = []
    current: list[str] | None = None
    marked = ""
    for line in (REPO / "docs" / "metrics-sources.md").read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("```"):
            if current is None:
                current, marked = [], line[3:].strip()
            else:
                if marked == language:
                    blocks.append("".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


@pytest.mark.parametrize("kind", ["json", "csv", "yaml"])
def test_guide_examples_are_accepted(site, kind):
    shutil.rmtree(metrics_dir(site))
    if kind == "yaml":
        metrics_dir(site).mkdir()
        example = _fenced("yaml")[-1]
        (metrics_dir(site) / "2026-09-30.yaml").write_text(example, encoding="utf-8")
        snapshots, problems = load_snapshots(site)
        assert problems == [] and len(snapshots) == 1
        return
    example = _fenced("json")[0] if kind == "json" else next(
        block for block in _fenced("") if block.startswith("as_at,source,figure"))
    (site / f"example.{kind}").write_text(example, encoding="utf-8")
    result = pull(site, f"example.{kind}")
    assert result.snapshot.as_at == dt.date(2026, 9, 30)
    assert result.snapshot.vacancy_rate.value == Decimal("14.2")
    assert result.snapshot.staff_survey[0].respondents == 149


# ---------------------------------------------------------------------------
# Figures that are valid but look mistaken, and numbers that are no figures


def test_a_fraction_is_stored_with_a_warning(site, dashboard, capsys):
    payload = good_payload()
    payload["figures"]["vacancy_rate"]["value"] = 0.129  # the newest snapshot says 14.2
    url = dashboard.serve("/workforce.json", Reply(body=as_json(payload)))
    result = pull(site, url, warn=None)
    assert result.path.exists()
    assert [p.field for p in result.warnings] == ["vacancy_rate.value"]
    assert result.warnings[0].message == ("vacancy_rate is 0.129, and 14.2 in the snapshot of 30 September 2026: "
                                          "is it a fraction? rates are percentages, so write 12.9")
    assert capsys.readouterr().err == ""  # warn=None: the caller shows them


def test_json_nan_and_huge_numbers_name_their_figure(site, dashboard):
    body = as_json(good_payload()).replace(b'"value": 12.9', b'"value": NaN') \
        .replace(b'"value": 14.6', b'"value": 1E+999999999')
    url = dashboard.serve("/workforce.json", Reply(body=body))
    message = refused(site, lambda: pull(site, url), "2 problems")
    assert (f"{url}: figures.vacancy_rate.value: expected a number; found 'NaN', which is not a number"
            in message.splitlines())
    assert (f"{url}: figures.average_caseload.value: expected a number; found '1E+999999999', "
            "a number too large to be a figure") in message.splitlines()


def test_a_figure_that_is_no_object_is_described_not_crashed_on(site, dashboard):
    body = as_json(good_payload()).replace(b'"agency_conversions": {"value": 4, "unit": "people"}',
                                           b'"agency_conversions": 4.5')
    url = dashboard.serve("/workforce.json", Reply(body=body))
    one_line(refused(site, lambda: pull(site, url),
                     f'{url}: figures.agency_conversions: expected {{"value": ..., "unit": "people"}}; found 4.5'))
