"""`cswork serve`: a loopback-only preview that rebuilds on change and reloads the page.

Only the preview adds script to pages (a small poller); built sites carry none of it.
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
from .problems import ProblemsFound

WATCHED = ("content", "data", "theme", "pelicanconf.py")
_assets = Environment(loader=PackageLoader("cswork_site", "assets"),
                      autoescape=select_autoescape(["html"]))


@dataclass
class PreviewState:
    version: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _rebuild(site: Path, output: Path, state: PreviewState) -> None:
    try:
        result = build_site(site, output, preview=True)
        problems = result.warnings
        click.echo(f"Rebuilt: {result.pages} pages.")
    except ProblemsFound as exc:
        problems = [str(p) for p in exc.problems]
        click.echo("Build stopped; still showing the last good build:", err=True)
    except OutputRefused as exc:
        problems = [str(exc)]
    for line in problems:
        click.echo(line, err=True)
    with state.lock:
        state.problems = problems
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
        with self.state.lock:
            extra = _assets.get_template("banner.html").render(
                problems=self.state.problems, version=self.state.version)
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
    click.echo(f"Serving on http://127.0.0.1:{server.server_address[1]}/  (Ctrl+C to stop)", err=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
