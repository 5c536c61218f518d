"""`cswork serve`: a loopback-only preview that rebuilds on change and reloads the page.

Only the preview adds script to pages (a small poller) and the problems banner; built
sites carry none of it.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import click
from jinja2 import Environment, PackageLoader, select_autoescape
from watchfiles import watch

from .build import build_site, load_settings
from .output import OutputRefused
from .problems import Problem, ProblemsFound
from .site import SiteData

WATCHED = ("content", "data", "theme", "pelicanconf.py")
_assets = Environment(loader=PackageLoader("cswork_site", "assets"),
                      autoescape=select_autoescape(["html"]))


def story_urls(data: SiteData) -> dict[str, str]:
    """Each story's address in the preview, published or draft, mapped to its file."""
    urls = {}
    for header in data.stories.values():
        urls[f"/stories/{header.meta.date.year}/{header.slug}/"] = header.path
        urls[f"/stories/drafts/{header.slug}/"] = header.path
    return urls


@dataclass
class PreviewState:
    version: int = 0
    problems: list[Problem] = field(default_factory=list)
    failed: bool = False  # the last change could not be built; the last good site is shown
    stories: dict[str, str] = field(default_factory=dict)
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


def _rebuild(site: Path, output: Path, state: PreviewState) -> None:
    failed, stories = False, None
    try:
        result = build_site(site, output, preview=True)
        problems, notes = result.problems, result.notes
        stories = story_urls(result.data)
        click.echo(f"Rebuilt: {result.pages} pages.")
    except ProblemsFound as exc:
        problems, notes, failed = exc.problems, [], True
        click.echo("Build stopped; still showing the last good build:", err=True)
    except OutputRefused as exc:
        problems, notes, failed = [], [str(exc)], True
    for line in [str(p) for p in problems] + notes:
        click.echo(line, err=True)
    with state.lock:
        state.problems, state.failed = problems, failed
        if stories is not None:
            state.stories = stories
        state.version += 1


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: PreviewState

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal is for problems
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/__cswork/version"):
            with self.state.lock:
                body = json.dumps({"version": self.state.version}).encode()
            return self._send(200, "application/json", body)
        if self.path.startswith("/__cswork/reload.js"):
            return self._send(200, "text/javascript", _assets.get_template("reload.js").render().encode())
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().do_GET()  # let the base class redirect to the folder
            target = target / "index.html"
        if target.suffix == ".html":
            status = 200
            if not target.is_file():
                target, status = Path(self.directory) / "404.html", 404
            if target.is_file():
                return self._send(status, "text/html; charset=utf-8", self._with_preview(target))
        return super().do_GET()

    def _with_preview(self, page: Path) -> bytes:
        html = page.read_text(encoding="utf-8")
        problems, others = self.state.for_page(self.path)
        extra = _assets.get_template("banner.html").render(
            problems=problems, others=others, failed=self.state.failed, version=self.state.version)
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
        self.wfile.write(body)


def run_preview(site: Path, port: int) -> None:
    output = Path(load_settings(site)["OUTPUT_PATH"])
    state = PreviewState()
    _rebuild(site, output, state)
    output.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"state": state})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(output)))
    stop = threading.Event()

    def watcher() -> None:
        paths = [site / p for p in WATCHED if (site / p).exists()]
        for _changes in watch(*paths, stop_event=stop, debounce=300, rust_timeout=500):
            _rebuild(site, output, state)

    threading.Thread(target=watcher, daemon=True).start()
    click.echo(f"Serving on http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
