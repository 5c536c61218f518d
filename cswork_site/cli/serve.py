"""`cswork serve`: a loopback-only preview that rebuilds on change and reloads the page.

Only the preview adds script to pages (a small poller) and the problems banner; built
sites carry none of it.

The preview shows drafts, so it is built into a folder of its own in the site's cache
(`.cswork-cache/preview/`), never into the output folder that gets published. It answers
only requests addressed to this computer by name (127.0.0.1, localhost or [::1] with its
own port): a web page elsewhere cannot read it through a DNS name pointed at 127.0.0.1.
Whatever makes a build fail, the preview keeps the last good site, shows why at the top
of every page, and keeps watching.
"""

from __future__ import annotations

import contextvars
import errno
import functools
import http.server
import json
import os
import threading
import traceback
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import click
import jinja2
from jinja2 import Environment, PackageLoader, select_autoescape
from watchfiles import watch

from cswork_site.build.run import build_site
from cswork_site.cache import CACHE_DIR
from cswork_site.clock import BadEpoch
from cswork_site.data.site import SiteData
from cswork_site.languages import LANGUAGES
from cswork_site.output.swap import OutputRefused
from cswork_site.problems import InputError, Problem, ProblemsFound

# theme/ is a site's own theme, templates/ the usual folder of THEME_TEMPLATES_OVERRIDES.
WATCHED = ("content", "data", "theme", "templates", "pelicanconf.py")
ALLOWED_HOSTS = ("127.0.0.1", "localhost", "[::1]")
_assets = Environment(loader=PackageLoader("cswork_site", "assets"),
                      autoescape=select_autoescape(["html"]))


def preview_folder(site: Path) -> Path:
    """Where the preview is built: the site's cache, never the output that is published."""
    return site / CACHE_DIR / "preview"


def _pages(data: SiteData):
    """Each story's two possible pages in the preview, published then draft, as
    (file, address, page file within the preview folder), from the site's settings."""
    for header in data.stories.values():
        for draft in (False, True):
            save_as = data.addresses.story_save_as(header, draft)
            if save_as:
                yield header.path, "/" + data.addresses.story_url(header, draft).lstrip("/"), save_as


def story_urls(data: SiteData) -> dict[str, str]:
    """Each story's address in the preview, published or draft, mapped to its file."""
    return {url: path for path, url, _ in _pages(data)}


def story_addresses(data: SiteData, folder: Path) -> dict[str, str]:
    """Each story file mapped to the address its page has in the build in folder."""
    current: dict[str, str] = {}
    for path, url, save_as in _pages(data):
        if path not in current and (folder / save_as).is_file():
            current[path] = url
    return current


@dataclass
class PreviewState:
    version: int = 0
    problems: list[Problem] = field(default_factory=list)
    failed: bool = False  # the last change could not be built; the last good site is shown
    failure: str | None = None  # why, when it is not a problem in one of the site's files
    built: bool = False  # a build has worked: there is a site to show
    stories: dict[str, str] = field(default_factory=dict)  # every address a story has had -> its file
    addresses: dict[str, str] = field(default_factory=dict)  # each story file -> its address now
    files: dict[str, str] = field(default_factory=dict)  # a story page's address -> its file in the build
    lock: threading.Lock = field(default_factory=threading.Lock)

    def for_page(self, url: str) -> tuple[list[Problem], int]:
        """The problems to show on the page at url, and how many others there are.

        A story's page shows its own problems; every page shows problems in data/,
        which feeds them all. After a failed build every problem is shown."""
        with self.lock:
            if self.failed:
                return list(self.problems), 0
            source = self.stories.get(url.split("?")[0])
            shown = [p for p in self.problems if p.path == source or p.path.startswith("data/")]
            return shown, len(self.problems) - len(shown)

    def file_of(self, url: str) -> str | None:
        """The file of the story page at url, for an address that is not its file's path
        (ARTICLE_URL news/{slug} with ARTICLE_SAVE_AS news/{slug}.html)."""
        with self.lock:
            return self.files.get(url.split("?")[0])

    def moved(self, url: str) -> str | None:
        """The address the story once at url has now, if it is another one."""
        with self.lock:
            path = url.split("?")[0]
            now = self.addresses.get(self.stories.get(path, ""))
            return now if now and now != path else None


def _template_problem(exc: jinja2.TemplateError, site: Path) -> Problem:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "theme"
    try:
        name = Path(name).resolve().relative_to(site.resolve()).as_posix()
    except (ValueError, OSError):
        pass
    return Problem(name, getattr(exc, "lineno", None) or 1, "(template)",
                   getattr(exc, "message", None) or str(exc) or type(exc).__name__)


def _rebuild(site: Path, output: Path, state: PreviewState) -> None:
    """Build the preview once. Never raises: any failure is shown in the banner."""
    failed, failure, stories, addresses, files, notes = False, None, None, None, {}, []
    problems: list[Problem] = []
    try:
        result = build_site(site, output, preview=True)
        problems, notes = result.problems, result.notes
        stories = story_urls(result.data)
        addresses = story_addresses(result.data, result.output)
        files = {url: save_as for _, url, save_as in _pages(result.data)}
        click.echo(f"Rebuilt: {result.pages} pages.")
    except ProblemsFound as exc:
        problems, failed = exc.problems, True
    except jinja2.TemplateError as exc:
        problems, failed = [_template_problem(exc, site)], True
    except (OutputRefused, InputError, BadEpoch) as exc:
        failure, failed = str(exc), True
    except Exception as exc:  # a fault in cswork or Pelican: the preview carries on
        if os.environ.get("CSWORK_DEBUG"):
            traceback.print_exc()
        failure, failed = (f"internal error: {type(exc).__name__}: {exc} (a fault in cswork, not in "
                           "your files; set CSWORK_DEBUG=1 to see details)"), True
    if failed:
        click.echo("Build stopped; still showing the last good build:" if state.built
                   else "Build stopped; the preview shows nothing but the problems until they are fixed:",
                   err=True)
    for line in [str(p) for p in problems] + notes + ([f"cswork: {failure}"] if failure else []):
        click.echo(line, err=True)
    with state.lock:
        state.problems, state.failed, state.failure = problems, failed, failure
        if stories is not None and addresses is not None and files is not None:
            state.built = True
            state.stories.update(stories)  # old addresses stay known, to follow a story that moved
            state.addresses, state.files = addresses, files
        state.version += 1


_NOTHING_BUILT = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Preview: nothing built yet</title></head>
<body><main>
<h1>The preview has nothing to show yet</h1>
<p>No build of the site has worked yet. This page updates when one does.</p>
</main></body></html>
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: PreviewState
    server: http.server.ThreadingHTTPServer

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal is for problems
        pass

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _host_allowed(self) -> bool:
        """Only an address that names this computer: a DNS name another site controls
        may point at 127.0.0.1, and a browser would send its name here."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            return False
        port = self.server.server_port
        allowed = {f"{h}:{port}" for h in ALLOWED_HOSTS}
        if port == 80:
            allowed.update(ALLOWED_HOSTS)
        return hosts[0].strip().lower() in allowed

    def _respond(self, body: bool) -> None:
        self._body = body
        if not self._host_allowed():
            port = self.server.server_port
            return self._send(403, "text/plain; charset=utf-8",
                              f"Forbidden: this preview answers only at http://127.0.0.1:{port}/ "
                              "(this computer).\n".encode())
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/__cswork/version":
            page = urllib.parse.parse_qs(url.query).get("page", [""])[0]
            moved = self.state.moved(page) if page else None
            with self.state.lock:
                answer: dict[str, int | str] = {"version": self.state.version}
            if moved:
                answer["location"] = moved
            return self._send(200, "application/json", json.dumps(answer).encode())
        if url.path == "/__cswork/reload.js":
            return self._send(200, "text/javascript", _assets.get_template("reload.js").render().encode())
        target = Path(self.translate_path(self.path))
        own = None if target.exists() else self.state.file_of(url.path)
        if own:
            target = Path(self.directory) / own
        if target.is_dir():
            if not url.path.endswith("/"):
                return self._base()  # the base class redirects to the folder
            target = target / "index.html"
        if target.is_file():
            if target.suffix == ".html":
                return self._send(200, "text/html; charset=utf-8", self._with_preview(target.read_text("utf-8")))
            return self._base()
        moved = self.state.moved(url.path)
        if moved:  # a story whose address changed, draft to published or back
            self.send_response(307)
            self.send_header("Location", moved)
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            return self.end_headers()
        not_found = self._not_found_page(url.path)
        if not_found.is_file():
            return self._send(404, "text/html; charset=utf-8", self._with_preview(not_found.read_text("utf-8")))
        with self.state.lock:
            status = 404 if self.state.built else 503
        return self._send(status, "text/html; charset=utf-8", self._with_preview(_NOTHING_BUILT))

    def _not_found_page(self, path: str) -> Path:
        """The 404 page in the language of the address asked for (cy/404.html under /cy/)."""
        folder = path.lstrip("/").split("/", 1)[0]
        own = Path(self.directory) / folder / "404.html"
        return own if folder in LANGUAGES and own.is_file() else Path(self.directory) / "404.html"

    def _base(self) -> None:
        return super().do_GET() if self._body else super().do_HEAD()

    def _with_preview(self, html: str) -> bytes:
        problems, others = self.state.for_page(self.path)
        with self.state.lock:
            failed, failure, built, version = (self.state.failed, self.state.failure,
                                               self.state.built, self.state.version)
        extra = _assets.get_template("banner.html").render(
            problems=problems, others=others, failed=failed, failure=failure, built=built, version=version)
        # The banner goes first in <body> so it is the first thing read and seen.
        head, sep, rest = html.partition("<body")
        if sep:
            tag_end = rest.index(">") + 1
            html = head + sep + rest[:tag_end] + extra + rest[tag_end:]
        return html.encode("utf-8")

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if getattr(self, "_body", True):
            self.wfile.write(body)


def _listen(port: int, handler, folder: Path) -> http.server.ThreadingHTTPServer:
    try:
        return http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} is in use; try --port {port + 1 if port < 65535 else 8001}") from None
        if exc.errno == errno.EACCES:
            raise InputError(f"port {port} needs special permission on this computer; "
                             "try --port 8000") from None
        raise


def _watch(site: Path, output: Path, state: PreviewState, stop: threading.Event) -> None:
    """Rebuild on every change, for as long as the preview runs, whatever happens."""
    said = None
    while not stop.is_set():
        paths = [site / p for p in WATCHED if (site / p).exists()]
        if not paths:
            stop.wait(1)
            continue
        try:
            for _changes in watch(*paths, stop_event=stop, debounce=300, rust_timeout=500):
                _rebuild(site, output, state)
        except Exception as exc:  # e.g. a watched folder removed and made again
            if str(exc) != said:
                click.echo(f"cswork: watching for changes again after: {type(exc).__name__}: {exc}", err=True)
                said = str(exc)
            if not stop.wait(1):
                _rebuild(site, output, state)  # what changed meanwhile


def run_preview(site: Path, port: int) -> None:
    output = preview_folder(site)
    state = PreviewState()
    handler = type("Handler", (_Handler,), {"state": state})
    server = _listen(port, handler, output)  # first: a port in use is said at once
    try:
        _rebuild(site, output, state)
        stop = threading.Event()
        # The watcher rebuilds in the language the problems are written in (--language).
        threading.Thread(target=contextvars.copy_context().run, args=(_watch, site, output, state, stop),
                         daemon=True).start()
        click.echo(f"Serving on http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
    finally:
        server.server_close()
