"""`cswork metrics pull`: fetch the latest workforce figures and store them as a snapshot.

The source is an http(s) address (a live HR dashboard's export) or a file, named by
``--from`` or by ``source.url`` in data/metrics.yaml. Whatever goes wrong (the server is
down or slow, the answer is cut short, a figure is out of range) nothing is written and
the snapshots already in data/metrics/ are left exactly as they were: a failed pull
never costs the site its last good figures. docs/metrics-sources.md says the same for an
HR lead and their IT team.

Over HTTP, source.timeout_seconds is a deadline for the whole of a try (connecting, the
headers and the last byte), and all tries together stop after three times it. The answer
may be at most 5 MB; redirects go only to http(s), never from https to http, at most 5
times. An address with a password in it is refused (the password is never printed): a
token for the dashboard goes in the CSWORK_METRICS_TOKEN environment variable, and is
sent, as "Authorization: Bearer ...", over https only (or to this computer), and only to the
address itself, never on to where a redirect leads.

JSON (Content-Type application/json, or application/<anything>+json)::

    {
      "as_at": "2026-09-30",
      "source": "Castlebrook HR workforce dashboard",
      "source_url": "https://dashboards.castlebrook.example.org/workforce",   (optional)
      "figures": {
        "vacancy_rate": {"value": 14.2, "unit": "percent", "denominator": 180},
        "average_caseload": {"value": 15, "unit": "children per worker"},
        "agency_conversions": {"value": 9, "unit": "people"}
      },
      "staff_survey": [                                                       (optional)
        {"id": "proud-to-work-here", "question": "I am proud to work here",
         "value": 78, "respondents": 141}
      ],
      "local": [{"kpi": "visits-in-timescale", "value": 91.5}]                  (optional)
    }

Each figure may also carry "source" and "as_at" when it differs from the snapshot's.

CSV (Content-Type text/csv; UTF-8, a byte-order mark is allowed), one row per figure::

    as_at,source,figure,value,unit,denominator,question,respondents,period_months
    2026-09-30,Castlebrook HR workforce dashboard,vacancy_rate,14.2,percent,180,,
    2026-09-30,Castlebrook HR workforce dashboard,agency_conversions,9,people,,,
    2026-09-30,Castlebrook HR workforce dashboard,survey:proud-to-work-here,78,percent,,I am proud to work here,141
    2026-09-30,Castlebrook HR workforce dashboard,kpi:visits-in-timescale,91.5,,,,

as_at, source, figure and value are required columns; unit, denominator, question,
respondents and source_url are optional (leave a cell empty when it does not apply).
Every row repeats the same as_at and source. `figure` is a standard figure name,
``survey:<id>`` (with a question) or ``kpi:<id>`` (a KPI in data/metrics.yaml).

Both: units must be the standard figure's unit, percentages 0 to 100, counts of people
whole numbers, nothing negative; as_at must be after the newest stored snapshot.
"""

from __future__ import annotations

import csv
import functools
import http.client
import io
import json
import os
import re
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from cswork_site.clock import build_date
from cswork_site.data.loading import validate_document
from cswork_site.data.models.common import NotANumber
from cswork_site.data.models.metrics import (
    STANDARD_FIGURES,
    MetricsSettings,
    PullSource,
    Snapshot,
    SourceFormat,
)
from cswork_site.data.yamlfile import Loc, YamlDocument
from cswork_site.files import NotText, decode_text
from cswork_site.metrics.store import (
    CREDENTIALS_MESSAGE,
    TOKEN_VARIABLE,
    MetricsError,
    Settings,
    check_snapshot,
    exists_message,
    has_credentials,
    load_settings,
    load_snapshots,
    snapshot_path,
    stored_dates,
    without_secrets,
    write_snapshot,
)
from cswork_site.problems import FirstSeen, Problem, ProblemsFound, did_you_mean, dotted, errors

# Retries wait 0.2 s, 0.4 s, 0.8 s ... never more than 2 s: a dashboard that is briefly
# busy gets a second chance, and one that is down does not hold a build up for long.
BASE_DELAY = 0.2
MAX_DELAY = 2.0
# A year of figures is a few kilobytes; anything this big is not what we asked for.
MAX_BYTES = 5_000_000
# source.timeout_seconds bounds one try, from connecting to the last byte; all tries
# together stop after this many times it, and a try is given up on this long after its
# deadline even if the network is stuck somewhere no socket timeout reaches.
ALL_TRIES_FACTOR = 3
DEADLINE_MARGIN = 0.5
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_DEFAULTS = PullSource(url="-", format=SourceFormat.json)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
_ACCEPT = {SourceFormat.json: "application/json", SourceFormat.csv: "text/csv"}


@dataclass(frozen=True)
class PullResult:
    path: Path
    snapshot: Snapshot
    fetched_from: str
    # Figures stored that look mistaken (a rate written as a fraction, a headcount that
    # doubled), as they will be reported against the stored file by `cswork check`.
    warnings: tuple[Problem, ...] = ()


def _to_stderr(problem: Problem) -> None:
    print(problem, file=sys.stderr, flush=True)


def pull(site: Path, source: str | None = None,
         warn: Callable[[Problem], None] | None = _to_stderr) -> PullResult:
    """Fetch, check and store one new snapshot; raise MetricsError or ProblemsFound if not.

    Warnings about the stored figures are passed to warn (by default printed on stderr,
    which is how the command line shows them) and kept in the result."""
    site = Path(site)
    metrics = load_settings(site)  # read once, and handed to all that follows
    settings, problems = metrics
    if errors(problems):
        raise ProblemsFound(problems)
    configured = settings.source if settings else None
    if source is None:
        if configured is None:
            raise MetricsError("no source to pull from: give one with --from, "
                               "or set source.url in data/metrics.yaml")
        source = configured.url
    source = source.strip()
    if not source:
        raise MetricsError("the source is empty: give an http(s) address or a file path")
    limits = configured or _DEFAULTS
    shown = _shown(source)
    is_address = _SCHEME.match(source)
    if is_address:
        _check_address(source, shown)
    fmt = _expected_format(source, configured)
    if is_address:
        body, content_type = _fetch(source, shown, limits.timeout_seconds, limits.retries, fmt)
        fmt = _check_content_type(content_type, fmt, shown)
    else:
        body = _read_file(site, source, shown)
        if fmt is None:
            raise MetricsError(f"{shown}: cannot tell whether this is JSON or CSV; "
                               "name the file .json or .csv, or set source.format in data/metrics.yaml")
    text = _decode(body, shown, fmt)
    parsed = _parse_json(text, shown) if fmt is SourceFormat.json else _parse_csv(text, shown, settings)
    snapshot = _validate(parsed, shown, settings)
    _check_dates(site, snapshot, shown, metrics)
    path = write_snapshot(site, snapshot, metrics)
    stored = snapshot_path(snapshot.as_at)
    warnings = tuple(p for p in load_snapshots(site, metrics)[1] if p.path == stored and not p.is_error)
    if warn is not None:
        for problem in warnings:
            warn(problem)
    return PullResult(path=path, snapshot=snapshot, fetched_from=shown, warnings=warnings)


# ---------------------------------------------------------------------------
# Where from, and what format


def _shown(source: str) -> str:
    """The source as it is safe to print: no password, and no query (it may hold a key)."""
    if not _SCHEME.match(source):
        return source
    try:
        parts = urllib.parse.urlsplit(source)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if parts.port:
            host += f":{parts.port}"
    except ValueError:  # _check_address reports it; here it only has to print safely
        return without_secrets(source)
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "..." if parts.query else "", ""))


def _check_address(url: str, shown: str) -> None:
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise MetricsError(f"{shown}: cswork fetches http:// and https:// addresses, or reads a file "
                           "(give its path, not a file:// address)")
    if has_credentials(url):
        raise MetricsError(f"{shown}: {CREDENTIALS_MESSAGE}; nothing was saved")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a port that is not a number
    except ValueError as exc:
        raise MetricsError(f"{shown}: is not a valid address ({exc})") from None
    if not parts.hostname:
        raise MetricsError(f"{shown}: is not a valid address (it names no server)")
    try:
        parts.hostname.encode("idna")  # what the name lookup will do with it
    except UnicodeError:
        raise MetricsError(f"{shown}: is not a valid address (the server's name {parts.hostname[:60]!r} "
                           "has an empty or too long part)") from None
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise MetricsError(f"{shown}: is not a valid address (it contains spaces); write spaces as %20")


def _expected_format(source: str, configured: PullSource | None) -> SourceFormat | None:
    """The configured format for the configured source; else the name's ending says."""
    if configured is not None and source == configured.url.strip():
        return configured.format
    path = urllib.parse.urlsplit(source).path if _SCHEME.match(source) else source
    suffix = Path(path).suffix.lower()
    if suffix in (".json", ".csv"):
        return SourceFormat(suffix[1:])
    return configured.format if configured is not None else None


def _read_file(site: Path, source: str, shown: str) -> bytes:
    path = Path(source).expanduser()
    if not path.is_absolute():
        path = site / path
    try:
        if path.stat().st_size > MAX_BYTES:
            raise MetricsError(f"{shown}: is larger than {MAX_BYTES // 1_000_000} MB; "
                               "expected a small export of workforce figures")
        return path.read_bytes()
    except FileNotFoundError:
        raise MetricsError(f"{shown}: no such file (looked for {path})") from None
    except IsADirectoryError:
        raise MetricsError(f"{shown}: is a folder; expected a .json or .csv file") from None
    except OSError as exc:
        raise MetricsError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    except ValueError:  # a path holding a NUL character, which no file can have
        raise MetricsError(f"{shown}: is not a file path cswork can use") from None


# ---------------------------------------------------------------------------
# Fetching over HTTP
#
# timeout_seconds is a deadline for the whole of one try: connecting, the headers and the
# last byte of the body. Every socket wait is given only the time left, and the try runs in
# a thread of its own that is given up on at the deadline (plus a moment to say why), so
# neither a server that sends a byte a second nor a name lookup that hangs can hold a
# pull up. All tries together stop after ALL_TRIES_FACTOR times timeout_seconds.


class _Retry(Exception):
    """A failure worth another try: no connection, no answer in time, a 5xx, a cut-short body."""


class _OutOfTime(TimeoutError):
    """The try's deadline has passed."""


class _TooSlow(Exception):
    """The server answered, but the answer did not arrive in full by the deadline: another
    try would be as slow, so it is not retried."""


class _Clock:
    """One try's deadline, and the sockets to cut off when it passes."""

    def __init__(self, at: float):
        self.at = at
        self.answered = False  # the status line and headers arrived
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._expired = False

    def left(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0 or self._expired:
            raise _OutOfTime("the deadline has passed")
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self._expired
        if expired:
            _cut(sock)

    def tighten(self) -> None:
        """Give every socket of this try no longer to wait than the time left."""
        left = self.left()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                sock.settimeout(left)
            except OSError:
                pass

    def expire(self) -> None:
        with self._lock:
            self._expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _cut(sock)


def _cut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading it
    except OSError:
        pass


class _TimedResponse(http.client.HTTPResponse):
    """Notes on the clock when the server starts to answer: from then on, running out of
    time means the server is too slow to send, not too busy to answer."""

    def __init__(self, sock, *args, clock: _Clock, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self.clock = clock

    def begin(self) -> None:
        if self.headers is None and self.fp is not None and self.fp.peek(1):
            self.clock.answered = True
        super().begin()


class _Timed(http.client.HTTPConnection):
    """An http.client connection that connects by the clock and hands its sockets to it."""

    clock: _Clock

    def _setup(self, clock: _Clock) -> None:
        self.clock = clock
        self._create_connection = self._connect_in_time
        # Not a class but makes one, which is all http.client asks of it.
        self.response_class = functools.partial(_TimedResponse, clock=clock)  # type: ignore[assignment]

    def _connect_in_time(self, address, timeout=None, source_address=None, *args, **kwargs) -> socket.socket:
        host, port = address
        last: OSError | None = None
        for family, kind, proto, _, where in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
            sock = socket.socket(family, kind, proto)
            self.clock.watch(sock)
            try:
                sock.settimeout(self.clock.left())
                if source_address:
                    sock.bind(source_address)
                sock.connect(where)
                return sock
            except OSError as exc:
                last = exc
                sock.close()
        raise last or OSError("the server's name gave no address")

    def connect(self) -> None:
        super().connect()
        self.clock.watch(self.sock)  # for https, the encrypted socket


class _TimedHTTP(_Timed, http.client.HTTPConnection):
    def __init__(self, *args, clock: _Clock, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(clock)


class _TimedHTTPS(_Timed, http.client.HTTPSConnection):
    def __init__(self, *args, clock: _Clock, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(clock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, clock: _Clock):
        super().__init__()
        self.clock = clock

    def do_open(self, http_class, req, **kwargs):
        return super().do_open(functools.partial(_TimedHTTP, clock=self.clock), req, **kwargs)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, clock: _Clock):
        super().__init__()
        self.clock = clock

    def do_open(self, http_class, req, **kwargs):
        return super().do_open(functools.partial(_TimedHTTPS, clock=self.clock), req, **kwargs)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to http(s), never from https to http, never to an address
    with a password in it, and at most MAX_REDIRECTS times."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri")
        if location:
            try:
                self._check(req, urllib.parse.urljoin(req.full_url, location.strip()))
            except MetricsError:
                fp.close()
                raise
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    @staticmethod
    def _check(req, new_url: str) -> None:
        old_shown, new_shown = _shown(req.full_url), _shown(new_url)
        old = urllib.parse.urlsplit(req.full_url).scheme.lower()
        new = new_url.split(":", 1)[0].lower() if ":" in new_url else ""
        if new not in ("http", "https"):
            raise MetricsError(f"{old_shown}: the server redirected to {new_shown}; cswork follows redirects "
                               "only to http:// and https:// addresses; nothing was saved")
        if old == "https" and new == "http":
            raise MetricsError(f"{old_shown}: the server redirected to {new_shown}, which is not encrypted; "
                               "cswork never follows a redirect from https:// to http://; nothing was saved")
        if has_credentials(new_url):
            raise MetricsError(f"{old_shown}: the server redirected to {new_shown} with a user name or "
                               "password in the address; cswork does not follow it; nothing was saved")
        visited: dict[str, int] = getattr(req, "redirect_dict", {})
        if new_url in visited or new_url == req.full_url:
            raise MetricsError(f"{old_shown}: the server redirected in a loop (back to {new_shown}); "
                               "ask your IT team for the export's own address; nothing was saved")
        if sum(visited.values()) >= MAX_REDIRECTS:
            raise MetricsError(f"{old_shown}: the server redirected more than {MAX_REDIRECTS} times "
                               f"(last to {new_shown}); ask your IT team for the export's own address; "
                               "nothing was saved")


def _user_agent() -> str:
    try:
        return f"cswork/{version('cswork-site')}"
    except PackageNotFoundError:  # run from a source folder: the name alone is enough
        return "cswork"


_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def _token(url: str, shown: str) -> str | None:
    """The access token from the environment, if set, checked fit to send."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        return None
    if not re.fullmatch(r"[\x21-\x7e]+", token):
        raise MetricsError(f"{TOKEN_VARIABLE} holds a space, a line break or another character a token "
                           "cannot have; copy the token again; nothing was saved")
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() != "https" and host not in _LOOPBACK and not host.startswith("127."):
        raise MetricsError(f"{shown}: {TOKEN_VARIABLE} is set, but the address is not https://; cswork "
                           "sends a token only over https://, where it cannot be read on the way; "
                           "nothing was saved")
    return token


def _fetch(url: str, shown: str, timeout: float, retries: int,
           fmt: SourceFormat | None) -> tuple[bytes, str | None]:
    accept = _ACCEPT[fmt] if fmt else "application/json, text/csv"
    token = _token(url, shown)
    started = time.monotonic()
    all_tries = started + timeout * ALL_TRIES_FACTOR
    attempts = 0
    reason = ""
    cut_short = False
    while True:
        attempts += 1
        try:
            return _attempt(url, shown, timeout, min(time.monotonic() + timeout, all_tries), accept, token)
        except _Retry as exc:
            reason = str(exc)
        except _TooSlow:
            raise MetricsError(f"{shown}: the answer was still arriving after {timeout:g} seconds, the most "
                               "a try may take (source.timeout_seconds); the server is sending it too "
                               "slowly; nothing was saved") from None
        if attempts > retries:
            break
        wait = min(BASE_DELAY * 2 ** (attempts - 1), MAX_DELAY)
        if time.monotonic() + wait + min(timeout, 1.0) / 2 > all_tries:
            cut_short = True
            break
        time.sleep(wait)
    tried = f" (tried {attempts} times)" if attempts > 1 else ""
    if cut_short:
        tried = (f" (tried {attempts} time{'s' if attempts > 1 else ''}; all tries together stop after "
                 f"{timeout * ALL_TRIES_FACTOR:g} seconds, {ALL_TRIES_FACTOR} times source.timeout_seconds)")
    raise MetricsError(f"{shown}: {reason}{tried}; nothing was saved")


def _attempt(url: str, shown: str, timeout: float, deadline: float, accept: str,
             token: str | None) -> tuple[bytes, str | None]:
    """One try, given up on at the deadline whatever the server or the network is doing."""
    clock = _Clock(deadline)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["answer"] = _try(clock, url, shown, timeout, accept, token)
        except BaseException as exc:  # handed to the waiting thread, which raises it
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="cswork-metrics-pull", daemon=True)
    try:
        worker.start()
    except RuntimeError:  # the machine has no thread to spare: say so, not "internal error"
        raise MetricsError(f"{shown}: this computer is too busy to start the download "
                           "(no thread could be started); try again; nothing was saved") from None
    worker.join(max(0.0, deadline - time.monotonic()) + DEADLINE_MARGIN)
    if worker.is_alive():
        clock.expire()  # the worker stops at its next read; nobody waits for it
        if clock.answered:
            raise _TooSlow()
        raise _Retry(f"no answer within {timeout:g} seconds")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["answer"]


def _try(clock: _Clock, url: str, shown: str, timeout: float, accept: str,
         token: str | None) -> tuple[bytes, str | None]:
    opener = urllib.request.build_opener(_HTTPHandler(clock), _HTTPSHandler(clock), _Redirects())
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": _user_agent()})
    if token:
        # Not passed on to wherever a redirect leads: only the address itself gets the token.
        request.add_unredirected_header("Authorization", f"Bearer {token}")
    try:
        response = opener.open(request, timeout=clock.left())
    except urllib.error.HTTPError as exc:
        exc.close()
        what = f"the server answered HTTP {exc.code} ({_printable(exc.reason)})"
        if exc.code >= 500:
            raise _Retry(what) from None
        hint = {401: "it needs a sign-in cswork does not have", 403: "cswork is not allowed to read it",
                404: "check the address"}.get(exc.code, "expected 200 with the figures")
        raise MetricsError(f"{shown}: {what}; {hint}") from None
    except urllib.error.URLError as exc:
        raise _connection_failure(exc.reason, shown, timeout) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if clock.answered and clock.at <= time.monotonic():
            raise _TooSlow() from None  # the headers were still arriving at the deadline
        raise _connection_failure(exc, shown, timeout) from None
    clock.answered = True
    with response:
        if response.status != 200:
            raise MetricsError(f"{shown}: the server answered HTTP {response.status}; "
                               "expected 200 with the figures")
        content_type = response.headers.get("Content-Type")
        length = _content_length(response.headers.get("Content-Length"), shown)
        body = _read_body(response, shown, clock)
    if length is not None and len(body) != length:
        raise _Retry(f"the answer was cut short: {len(body)} of {length} bytes arrived")
    return body, content_type


def _printable(text: object, limit: int = 60) -> str:
    """What a server said, safe to print on one line of a terminal."""
    clean = "".join(c if c.isprintable() else " " for c in str(text))
    clean = " ".join(clean.split())
    return clean if len(clean) <= limit else clean[: limit - 3] + "..."


def _connection_failure(reason: object, shown: str, timeout: float) -> Exception:
    if isinstance(reason, TimeoutError):
        return _Retry(f"no answer within {timeout:g} seconds")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return MetricsError(f"{shown}: the server's certificate is not trusted ({reason.verify_message})")
    if isinstance(reason, ConnectionRefusedError):
        return _Retry("could not connect: the connection was refused (is the dashboard running?)")
    if isinstance(reason, socket.gaierror):
        return _Retry("could not find the server: check the address and the network")
    if isinstance(reason, OSError) and reason.strerror:
        return _Retry(f"could not connect: {reason.strerror}")
    return _Retry(f"could not connect: {_printable(reason)}")


def _too_big(shown: str, size: str) -> MetricsError:
    return MetricsError(f"{shown}: the answer is {size}; cswork reads at most {MAX_BYTES // 1_000_000} MB "
                        "from a source, and a year of figures is a few kilobytes: check the address; "
                        "nothing was saved")


def _content_length(value: str | None, shown: str) -> int | None:
    if value is None:
        return None
    if not value.strip().isdigit():
        raise MetricsError(f"{shown}: the server sent a broken Content-Length ({_printable(value, 30)!r})")
    length = int(value)
    if length > MAX_BYTES:
        raise _too_big(shown, f"{length} bytes")
    return length


def _read_body(response: http.client.HTTPResponse, shown: str, clock: _Clock) -> bytes:
    # Each read waits no longer than the time left, and takes what has arrived rather than
    # waiting for a whole chunk, so the deadline holds however the bytes trickle in.
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            clock.tighten()
            chunk = response.read1(_CHUNK)
        except http.client.IncompleteRead as exc:
            chunks.append(exc.partial)
            break  # the length check reports it, or the parser does for a chunked answer
        except TimeoutError:  # also _OutOfTime
            raise _TooSlow() from None
        except (OSError, http.client.HTTPException, ValueError):
            if clock.at <= time.monotonic():
                raise _TooSlow() from None
            raise _Retry("the connection broke while the figures were arriving") from None
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > MAX_BYTES:
            raise _too_big(shown, f"larger than {MAX_BYTES // 1_000_000} MB")
    return b"".join(chunks)


def _check_content_type(content_type: str | None, fmt: SourceFormat | None, shown: str) -> SourceFormat:
    expected = _ACCEPT[fmt] if fmt else "application/json or text/csv"
    if not content_type:
        raise MetricsError(f"{shown}: the server did not say what it sent (no Content-Type); expected {expected}")
    mime = content_type.split(";")[0].strip().lower()
    is_json = mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))
    is_csv = mime == "text/csv"
    got = SourceFormat.json if is_json else SourceFormat.csv if is_csv else None
    if got is None or (fmt is not None and got is not fmt):
        hint = ("; it may be a sign-in or error page: check the address, and that it needs no sign-in"
                if mime in ("text/html", "application/xhtml+xml") else "")
        raise MetricsError(f"{shown}: the server sent {mime or 'nothing named'} (Content-Type), "
                           f"not {expected}{hint}")
    charset = re.search(r";\s*charset\s*=\s*\"?([^\";\s]+)", content_type, re.IGNORECASE)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8", "us-ascii"):
        raise MetricsError(f"{shown}: the server says the text is {charset.group(1)}; cswork reads UTF-8 only")
    return got


# ---------------------------------------------------------------------------
# Reading the figures


def _decode(body: bytes, shown: str, fmt: SourceFormat) -> str:
    # A byte-order mark is what Excel puts at the start of "CSV UTF-8"; harmless in JSON too.
    text = decode_text(body)
    if isinstance(text, NotText) and text.binary:
        raise MetricsError(f"{shown}: is a binary file; expected {fmt.value.upper()} text")
    if isinstance(text, NotText):
        raise MetricsError(f"{shown}: is not UTF-8 text (a byte on line {text.line} is not); "
                           "export it as UTF-8")
    if not text.strip():
        raise MetricsError(f"{shown}: is empty; expected the figures as {fmt.value.upper()}")
    return text


class _SourceDocument(YamlDocument):
    """A pulled snapshot posing as a document, so that loading.validate_document can
    word its problems; `rename` turns a snapshot location into the source's own naming."""

    def __init__(self, path: str, value: Any, lines: dict[Loc, int] | None, rename: Callable[[Loc], Loc]):
        super().__init__(path, value, lines or {})
        self.rename = rename
        self.numbered = lines is not None  # CSV rows have lines; JSON from a server has none worth giving

    def problem(self, loc: Loc, message: str, severity: str = "error") -> Problem:
        line = self.line_of(loc) if self.numbered else 0
        return Problem(self.path, line, dotted(self.rename(tuple(loc))), message, "error")


@dataclass
class _Parsed:
    """What a parser made of the source: the snapshot's keys, a document to word problems
    against, and the problems found before the schema had its say."""

    raw: dict[str, Any]
    doc: _SourceDocument
    problems: list[Problem]


def _report(shown: str, problems: list[Problem]) -> MetricsError:
    def line(p: Problem) -> str:
        where = f"{shown}:{p.line}" if p.line else shown
        return f"{where}: {p.field}: {p.message}"

    lines = [line(p) for p in sorted(problems, key=lambda p: (p.line, p.field))]
    if len(lines) == 1:
        return MetricsError(lines[0] + "; nothing was saved")
    return MetricsError(f"{shown}: {len(lines)} problems in the figures; nothing was saved", lines)


def _suggest(word: str, known) -> str:
    return did_you_mean(word, known) or "expected one of: " + ", ".join(known)


_JSON_KEYS = ("as_at", "source", "source_url", "figures", "staff_survey", "local")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _json_int(text: str) -> int | Decimal:
    # Python refuses to turn more than 4300 digits into an int; as a Decimal, the figure's
    # own check says it is too large to be a figure, naming the field.
    return int(text) if len(text) <= 30 else Decimal(text)


def _json_text(value: Any) -> str:
    """A JSON value as it was sent, short, for 'found ...'."""
    text = str(value) if isinstance(value, Decimal) else json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_json(text: str, shown: str) -> _Parsed:
    try:
        # Decimal keeps 14.2 as 14.2, exactly as the dashboard sent it. NaN and Infinity,
        # which JSON does not have but Python reads, are kept as written so that the
        # figure they were sent for is named when the schema refuses them.
        data = json.loads(text, parse_float=Decimal, parse_int=_json_int, parse_constant=NotANumber,
                          object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise MetricsError(f"{shown}: is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except ValueError as exc:
        raise MetricsError(f"{shown}: is not valid JSON: {exc}") from None
    except RecursionError:
        raise MetricsError(f"{shown}: is nested too deeply to read") from None
    if not isinstance(data, dict):
        raise MetricsError(f"{shown}: expected a JSON object with as_at, source and figures; "
                           f"found {type(data).__name__ if data is not None else 'null'}")

    def rename(loc: Loc) -> Loc:
        return ("figures", *loc) if loc and loc[0] in STANDARD_FIGURES else loc

    raw: dict[str, Any] = {}
    doc = _SourceDocument(shown, raw, None, rename)
    problems: list[Problem] = []
    for key, value in data.items():
        if key not in _JSON_KEYS:
            problems.append(doc.problem((key,), f"unknown key {key!r}; {_suggest(key, _JSON_KEYS)}"))
        elif key != "figures":
            raw[key] = value
    figures = data.get("figures", {})
    if not isinstance(figures, dict):
        problems.append(Problem(shown, 0, "figures",
                                'expected an object of figures by name, like {"vacancy_rate": {...}}'))
        figures = {}
    for name, figure in figures.items():
        if name not in STANDARD_FIGURES:
            problems.append(Problem(shown, 0, f"figures.{name}",
                                    f"unknown figure {name!r}; {_suggest(name, STANDARD_FIGURES)}"))
        elif not isinstance(figure, dict):
            unit = STANDARD_FIGURES[name][1].value
            problems.append(Problem(shown, 0, f"figures.{name}",
                                    f'expected {{"value": ..., "unit": "{unit}"}}; found {_json_text(figure)}'))
        else:
            raw[name] = figure
    return _Parsed(raw, doc, problems)


_CSV_REQUIRED = ("as_at", "source", "figure", "value")
_CSV_OPTIONAL = ("unit", "denominator", "period_months", "question", "respondents", "source_url")
_CSV_SHARED = ("as_at", "source", "source_url")


def _csv_rows(text: str, shown: str) -> list[tuple[int, list[str]]]:
    """The rows that hold anything, each with the line it starts on."""
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        start = 1
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise MetricsError(f"{shown}: is not valid CSV: {exc} (line {reader.line_num})") from None
    if not rows:
        raise MetricsError(f"{shown}: is empty; expected a header row and one row per figure")
    return rows


def _csv_columns(header_line: int, header: list[str], shown: str) -> list[str]:
    columns = [c.strip().lower() for c in header]
    if len(columns) == 1 and (";" in columns[0] or "\t" in columns[0]):
        separator = "semicolons" if ";" in columns[0] else "tabs"
        raise MetricsError(f"{shown}:{header_line}: (header): the columns are separated by {separator}; "
                           'cswork reads commas: save it as "CSV UTF-8 (comma delimited)"')
    problems: list[Problem] = []
    for i, column in enumerate(columns):
        if column not in _CSV_REQUIRED + _CSV_OPTIONAL:
            hint = _suggest(column, _CSV_REQUIRED + _CSV_OPTIONAL)
            problems.append(Problem(shown, header_line, "(header)", f"unknown column {header[i].strip()!r}; {hint}"))
        elif columns.index(column) != i:
            problems.append(Problem(shown, header_line, "(header)", f"the column {column!r} appears twice"))
    missing = [c for c in _CSV_REQUIRED if c not in columns]
    if missing:
        problems.append(Problem(shown, header_line, "(header)",
                                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                                f"the header must include {', '.join(_CSV_REQUIRED)}"))
    if problems:  # without the right columns no row can be read
        raise _report(shown, problems)
    return columns


def _parse_csv(text: str, shown: str, settings: MetricsSettings | None) -> _Parsed:
    rows = _csv_rows(text, shown)
    columns = _csv_columns(*rows[0], shown)
    if len(rows) == 1:
        raise MetricsError(f"{shown}: has a header but no figures; add one row per figure")

    raw: dict[str, Any] = {"staff_survey": [], "local": []}
    lines: dict[Loc, int] = {}
    names: dict[Loc, str] = {}  # a snapshot location -> the figure column's text, for messages
    seen: FirstSeen[str, int] = FirstSeen()
    first: dict[str, tuple[str, int]] = {}
    kpi_units = {k.id: k.unit for k in settings.local_kpis} if settings else {}
    problems: list[Problem] = []

    def problem(line: int, field: str, message: str) -> None:
        problems.append(Problem(shown, line, field, message))

    for line, row in rows[1:]:
        if any(cell.strip() for cell in row[len(columns):]):
            problem(line, "(row)", f"has {len(row)} values; the header has {len(columns)} columns")
            continue
        cells = {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(columns)}
        # Every row repeats as_at and source (so a spreadsheet can be sorted or filtered
        # freely); they must agree, since one file is one snapshot.
        for shared in _CSV_SHARED:
            value = cells.get(shared, "")
            if not value:
                continue
            if shared not in first:
                first[shared] = (value, line)
                raw[shared] = value
                lines[(shared,)] = line
            elif value != first[shared][0]:
                was, at = first[shared]
                problem(line, shared, f"is {value!r} but line {at} says {was!r}; "
                                      f"a file holds one snapshot, so every row has the same {shared}")
        figure = cells["figure"]
        if not figure:
            problem(line, "figure", "is empty; expected a figure name such as vacancy_rate")
            continue
        on_line = seen.before(figure, line)
        if on_line is not None:
            problem(line, figure, f"appears twice; it is already on line {on_line}")
            continue
        given = {k: v for k, v in cells.items() if v and k not in (*_CSV_SHARED, "figure")}
        kind, _, ident = figure.partition(":")
        loc: Loc
        allowed: tuple[str, ...]
        if figure in STANDARD_FIGURES:
            allowed, loc = ("value", "unit", "denominator", "period_months"), (figure,)
            raw[figure] = {k: given[k] for k in allowed if k in given}
        elif kind == "survey" and ident:
            allowed, loc = ("value", "unit", "question", "respondents"), ("staff_survey", len(raw["staff_survey"]))
            if given.get("unit", "percent") != "percent":
                problem(line, f"{figure}.unit", f"a survey result is a percent; found {given['unit']!r}")
            raw["staff_survey"].append({"id": ident} | {k: given[k] for k in ("question", "value", "respondents")
                                                        if k in given})
        elif kind == "kpi" and ident:
            allowed, loc = ("value", "unit"), ("local", len(raw["local"]))
            unit = given.get("unit")
            if unit and ident in kpi_units and unit.lower() != kpi_units[ident].strip().lower():
                problem(line, f"{figure}.unit",
                        f"KPI {ident!r} is in {kpi_units[ident]!r} (data/metrics.yaml); found {unit!r}")
            raw["local"].append({"kpi": ident, **({"value": given["value"]} if "value" in given else {})})
        else:
            problem(line, "figure", f"unknown figure {figure!r}; "
                                    f"{_suggest(figure, STANDARD_FIGURES)} (or survey:<id>, kpi:<id>)")
            continue
        for column in given:
            if column not in allowed:
                problem(line, f"{figure}.{column}", "does not apply to this figure; leave the cell empty")
        lines[loc] = line
        names[loc] = figure

    def rename(loc: Loc) -> Loc:
        for size in (2, 1):
            if loc[:size] in names:
                return (names[loc[:size]], *loc[size:])
        return loc

    return _Parsed(raw, _SourceDocument(shown, raw, lines, rename), problems)


def _validate(parsed: _Parsed, shown: str, settings: MetricsSettings | None) -> Snapshot:
    """The schema, then the same checks a stored snapshot gets; every problem at once."""
    today = build_date()
    parsed.raw["collected"] = today  # ours to set: when these figures reached the site
    doc, problems = parsed.doc, list(parsed.problems)
    snapshot, found = validate_document(doc, Snapshot)
    # Unknown keys are only warnings in a file a person edits; from a pull, the figure
    # they meant to send would be lost without anyone seeing the warning, so all count.
    problems += found
    if isinstance(snapshot, Snapshot) and not found:
        for loc, message in check_snapshot(snapshot, settings):
            # collected is ours (today), and "no figures" is no news when a figure was refused.
            if loc != ("collected",) and (loc != () or not problems):
                problems.append(doc.problem(loc, message))
        if snapshot.as_at > today:
            problems.append(doc.problem(("as_at",), f"{snapshot.as_at} is in the future (today is {today}); "
                                                   "figures describe a date that has passed"))
    if problems or not isinstance(snapshot, Snapshot):
        raise _report(shown, problems)
    return snapshot


def _check_dates(site: Path, snapshot: Snapshot, shown: str, metrics: Settings) -> None:
    taken = stored_dates(site) | {s.as_at for _, s in load_snapshots(site, metrics)[0]}
    if snapshot.as_at in taken:
        raise MetricsError(exists_message(snapshot.as_at))
    latest = max(taken, default=None)
    if latest is not None and snapshot.as_at < latest:
        raise MetricsError(f"{shown}: as_at: the figures are as at {snapshot.as_at}, older than the newest "
                           f"snapshot ({latest}, {snapshot_path(latest)}); check the source is the right "
                           "one; nothing was saved")

