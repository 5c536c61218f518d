"""`cswork metrics pull` against servers that misbehave on purpose, through the real CLI.

timeout_seconds is a deadline for the whole of one try (connecting, the headers and the
last byte), and all tries together are bounded too; an answer bigger than the cap, a
redirect anywhere but http(s) (or from https down to http), a redirect loop and a
password in an address are refused. Each failure is one `cswork: ` line, exit 2, and
data/metrics/ stays byte-for-byte as it was.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .helpers import copy_site, cswork, tree_digest

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

PROBLEM_LINE = re.compile(r"^[^:\s][^:]*:\d+: \S+: .+$")
TIMEOUT = 2  # seconds, written into the copy's data/metrics.yaml
# No proxy from the environment may stand between cswork and the servers on 127.0.0.1.
NO_PROXY = {name: "" for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                                  "all_proxy", "ALL_PROXY")} | {"no_proxy": "*", "NO_PROXY": "*",
                                                                "CSWORK_METRICS_TOKEN": ""}
GOOD = {
    "as_at": "2026-10-31",
    "source": "Castlebrook HR workforce dashboard",
    "figures": {"vacancy_rate": {"value": 13.9, "unit": "percent", "denominator": 190},
                "agency_conversions": {"value": 11, "unit": "people"}},
}


# ---------------------------------------------------------------------------
# Servers whose every answer a test scripts


Route = Callable[["_Handler", "Dashboard"], None]


class Dashboard:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.auth: dict[str, list[str | None]] = defaultdict(list)
        self.stop = threading.Event()
        self.base = ""

    def route(self, path: str, answer: Route) -> str:
        self.routes[path] = answer
        return self.base + path


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        dash: Dashboard = self.server.dashboard  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        dash.hits[path] += 1
        dash.auth[path].append(self.headers.get("Authorization"))
        answer = dash.routes.get(path)
        try:
            if answer is None:
                self.send_error(404)
            else:
                answer(self, dash)
        except OSError:
            pass  # cswork hung up first, as it should

    def log_message(self, format: str, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


@contextlib.contextmanager
def _serving(context: ssl.SSLContext | None = None) -> Iterator[Dashboard]:
    dash = Dashboard()
    server = _Server(("127.0.0.1", 0), _Handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.dashboard = dash  # type: ignore[attr-defined]
    scheme = "https" if context else "http"
    dash.base = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield dash
    finally:
        dash.stop.set()  # every drip below waits on this, so none outlives the test
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def dashboard() -> Iterator[Dashboard]:
    with _serving() as dash:
        yield dash


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Path:
    """A self-signed certificate for 127.0.0.1, trusted by cswork through SSL_CERT_FILE."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return folder


@pytest.fixture
def tls_dashboard(certificate) -> Iterator[Dashboard]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")
    with _serving(context) as dash:
        yield dash


def json_answer(payload: dict) -> Route:
    body = json.dumps(payload).encode()

    def answer(handler: _Handler, dash: Dashboard) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def redirect(location: str, code: int = 302) -> Route:
    def answer(handler: _Handler, dash: Dashboard) -> None:
        handler.send_response(code)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


def drip_body(handler: _Handler, dash: Dashboard) -> None:
    """Headers at once, then one byte a second for 60 seconds (or until the test ends)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "60")
    handler.end_headers()
    handler.wfile.flush()
    for _ in range(60):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        if dash.stop.wait(1):
            return


def drip_headers(handler: _Handler, dash: Dashboard) -> None:
    """The status line, then the headers one byte a second (at most 60 of them)."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    handler.wfile.flush()
    for byte in (b"Content-Type: application/json\r\n" * 2)[:60]:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        if dash.stop.wait(1):
            return


def huge(with_length: bool) -> Route:
    def answer(handler: _Handler, dash: Dashboard) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if with_length:
            handler.send_header("Content-Length", str(6_000_000))
        handler.end_headers()
        chunk = b" " * 65536
        for _ in range(6_000_000 // len(chunk) + 1):  # HTTP/1.0: the end of the body is the close
            if dash.stop.is_set():
                return
            handler.wfile.write(chunk)
    return answer


# ---------------------------------------------------------------------------
# A copy of the demo site, and what a failed pull may and may not do


@pytest.fixture
def site(tmp_path) -> Path:
    site = copy_site(tmp_path / "site")
    settings(site, timeout=TIMEOUT)
    return site


def settings(site: Path, timeout: float | None = None, retries: int | None = None, url: str | None = None) -> None:
    file = site / "data" / "metrics.yaml"
    text = file.read_text(encoding="utf-8")
    if timeout is not None:
        text = re.sub(r"timeout_seconds: .*", f"timeout_seconds: {timeout}", text)
    if retries is not None:
        text = re.sub(r"retries: .*", f"retries: {retries}", text)
    if url is not None:
        text = re.sub(r"url: .*", f"url: {url}", text)
    file.write_text(text, encoding="utf-8")


def pull(site: Path, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    """The pull's result, and how long it waited: its run less the time the same command
    takes to start and stop (a pull refused before any connection), so that a busy
    machine's slow start is not taken for waiting on the network."""
    start = time.monotonic()
    result = cswork("metrics", "pull", *args, str(site), env={**NO_PROXY, **(env or {})}, timeout=120)
    elapsed = time.monotonic() - start
    start = time.monotonic()
    cswork("metrics", "pull", "--from", "ftp://127.0.0.1/none.json", str(site), env=NO_PROXY, timeout=120)
    return result, max(0.0, elapsed - (time.monotonic() - start))


def refused(site: Path, *args: str, expected: tuple[str, ...] = (), secret: str | None = None,
            env: dict[str, str] | None = None) -> tuple[str, float]:
    """A pull that must fail cleanly: exit 2, lines in the contract's form, nothing changed."""
    snapshots = site / "data" / "metrics"
    before = tree_digest(snapshots)
    result, elapsed = pull(site, *args, env=env)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert lines, "no message"
    for line in lines:
        assert line.startswith("cswork: ") or PROBLEM_LINE.match(line), line
    for text in expected:
        assert text in result.stderr, result.stderr
    if secret is not None:
        assert secret not in result.stdout + result.stderr
    assert tree_digest(snapshots) == before, "a failed pull changed data/metrics/"
    return result.stderr, elapsed


# ---------------------------------------------------------------------------
# The deadline


def test_a_server_that_drips_the_body_is_cut_off_at_the_deadline(site, dashboard):
    url = dashboard.route("/workforce.json", drip_body)
    message, elapsed = refused(site, "--from", url, expected=(
        f"cswork: {url}: the answer was still arriving after {TIMEOUT} seconds", "too slowly",
        "nothing was saved"))
    assert elapsed < TIMEOUT + 3, elapsed
    assert len(message.splitlines()) == 1
    assert dashboard.hits["/workforce.json"] == 1  # a server that is sending gains nothing from a retry


def test_a_server_that_drips_the_headers_is_cut_off_at_the_deadline(site, dashboard):
    url = dashboard.route("/workforce.json", drip_headers)
    message, elapsed = refused(site, "--from", url, expected=(
        f"the answer was still arriving after {TIMEOUT} seconds",))
    assert elapsed < TIMEOUT + 3, elapsed
    assert len(message.splitlines()) == 1


def test_the_configured_source_has_the_same_deadline(site, dashboard):
    url = dashboard.route("/workforce.json", drip_body)
    settings(site, url=url)
    _, elapsed = refused(site, expected=("still arriving",))
    assert elapsed < TIMEOUT + 3, elapsed


def test_retries_stay_within_an_overall_bound(site):
    # A server that takes the connection and never says a word: every try runs out of time.
    settings(site, timeout=1, retries=10)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(50)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/workforce.json"
        message, elapsed = refused(site, "--from", url, expected=(
            "no answer within 1 seconds", "all tries together stop after 3 seconds", "nothing was saved"))
    assert elapsed < 3 * 1 + 2, elapsed  # not 11 tries of a second each
    assert len(message.splitlines()) == 1


# ---------------------------------------------------------------------------
# Size


@pytest.mark.parametrize("with_length", [True, False], ids=["content-length", "no-content-length"])
def test_an_answer_over_the_cap_is_refused(site, dashboard, with_length):
    url = dashboard.route("/workforce.json", huge(with_length))
    message, elapsed = refused(site, "--from", url, expected=("at most 5 MB", "nothing was saved"))
    assert len(message.splitlines()) == 1
    assert elapsed < TIMEOUT + 3


# ---------------------------------------------------------------------------
# Redirects


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/workforce.json",
                                      "javascript:alert(1)"])
def test_a_redirect_to_anything_but_http_is_refused(site, dashboard, location):
    url = dashboard.route("/workforce.json", redirect(location))
    message, _ = refused(site, "--from", url, expected=(
        f"cswork: {url}: the server redirected to", "only to http:// and https:// addresses",
        "nothing was saved"))
    assert len(message.splitlines()) == 1


def test_a_redirect_loop_is_refused(site, dashboard):
    dashboard.route("/b.json", redirect(dashboard.base + "/a.json", 307))
    url = dashboard.route("/a.json", redirect("/b.json", 301))
    message, _ = refused(site, "--from", url, expected=("redirected in a loop", "nothing was saved"))
    assert len(message.splitlines()) == 1
    assert dashboard.hits["/a.json"] + dashboard.hits["/b.json"] <= 4


def test_too_many_redirects_are_refused(site, dashboard):
    for i in range(12):
        dashboard.route(f"/r{i}.json", redirect(f"/r{i + 1}.json"))
    message, _ = refused(site, "--from", dashboard.base + "/r0.json",
                         expected=("redirected more than 5 times", "nothing was saved"))
    assert len(message.splitlines()) == 1
    assert sum(dashboard.hits.values()) == 6


def test_a_redirect_with_a_password_is_refused(site, dashboard):
    url = dashboard.route("/workforce.json", redirect(dashboard.base.replace("//", "//eve:hunter2-pw@")
                                                      + "/real.json"))
    refused(site, "--from", url, expected=("with a user name or password", "nothing was saved"),
            secret="hunter2-pw")
    assert dashboard.hits["/real.json"] == 0


def test_https_to_http_is_refused_and_https_works(site, tls_dashboard, dashboard, certificate):
    trust = {"SSL_CERT_FILE": str(certificate / "cert.pem")}
    plain = dashboard.route("/workforce.json", json_answer(GOOD))
    url = tls_dashboard.route("/workforce.json", redirect(plain))
    message, _ = refused(site, "--from", url, env=trust, expected=(
        f"cswork: {url}: the server redirected to {plain}, which is not encrypted",
        "never follows a redirect from https:// to http://", "nothing was saved"))
    assert len(message.splitlines()) == 1
    assert dashboard.hits["/workforce.json"] == 0
    # The same server, answering itself: the refusal above was the redirect, not the TLS.
    good = tls_dashboard.route("/good.json", json_answer(GOOD))
    # And a redirect up, from http to https, is followed.
    result, _ = pull(site, "--from", dashboard.route("/up.json", redirect(good)), env=trust)
    assert result.returncode == 0, result.stderr
    assert tls_dashboard.hits["/good.json"] == 1
    assert (site / "data" / "metrics" / "2026-10-31.yaml").is_file()


# ---------------------------------------------------------------------------
# Passwords and tokens


@pytest.mark.parametrize("address", [
    "http://alice:s3cret-Pa55@127.0.0.1:{port}/workforce.json",
    "http://alice:s3cret-Pa55@127.0.0.1:{port}/workforce.json?key=s3cret-Pa55",
    "https://s3cret-Pa55@127.0.0.1:{port}/workforce.json",
    "http://alice:s3cret-Pa55@127.0.0.1:port/workforce.json",  # and a port that is no number
])
def test_a_password_in_the_address_is_refused_and_never_shown(site, dashboard, address):
    dashboard.route("/workforce.json", json_answer(GOOD))
    url = address.format(port=dashboard.base.rsplit(":", 1)[1])
    message, _ = refused(site, "--from", url, secret="s3cret-Pa55", expected=(
        "the address holds a user name or password", "CSWORK_METRICS_TOKEN environment variable",
        "nothing was saved"))
    assert len(message.splitlines()) == 1
    assert sum(dashboard.hits.values()) == 0


def test_a_password_in_metrics_yaml_is_reported_by_check_and_pull(site, dashboard):
    dashboard.route("/workforce.json", json_answer(GOOD))
    settings(site, url=dashboard.base.replace("//", "//hr:s3cret-Pa55@") + "/workforce.json")
    line = next(i for i, text in enumerate((site / "data" / "metrics.yaml").read_text().splitlines(), 1)
                if text.strip().startswith("url:"))
    expected = f"data/metrics.yaml:{line}: source.url: the address holds a user name or password"
    check = cswork("check", str(site), env=NO_PROXY)
    assert check.returncode == 1
    [ours] = [text for text in check.stderr.splitlines() if text.startswith(expected)]
    assert "s3cret-Pa55" not in ours
    refused(site, expected=(expected,), secret="s3cret-Pa55")
    assert sum(dashboard.hits.values()) == 0


def test_the_token_goes_to_the_address_only(site, dashboard):
    real = dashboard.route("/real.json", json_answer(GOOD))
    url = dashboard.route("/workforce.json", redirect(real))
    result, _ = pull(site, "--from", url, env={"CSWORK_METRICS_TOKEN": "tok-0123456789"})
    assert result.returncode == 0, result.stderr
    assert dashboard.auth["/workforce.json"] == ["Bearer tok-0123456789"]
    assert dashboard.auth["/real.json"] == [None]  # never passed on to where a redirect leads
    assert "tok-0123456789" not in result.stdout + result.stderr


def test_a_token_is_never_sent_unencrypted(site):
    refused(site, "--from", "http://dashboards.castlebrook.example.org/workforce.json",
            env={"CSWORK_METRICS_TOKEN": "tok-0123456789"}, secret="tok-0123456789",
            expected=("CSWORK_METRICS_TOKEN is set, but the address is not https://",))
