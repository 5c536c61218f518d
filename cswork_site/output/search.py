"""Site search: after Pelican has written the site, Pagefind indexes it into pagefind/.

Only the parts of pages marked `data-pagefind-body` are indexed (published stories, the
offer and role pages, careers and stage pages, our practice, job pages, applying to us
and each team's page).

The index is written in parts ("shards"): one for the site's own pages and one for each
year of stories, each a Pagefind bundle in pagefind/<name>/, listed in pagefind/shards.json.
A story's page is known by the date it says it was published (in its <head>), not by
its address, which the site's ARTICLE_SAVE_AS may shape in any way; each part names its
pages exactly, so no page is in two parts however the folders are laid out.
The search page loads the first and merges in the others. Parts are indexed side by side,
one per CPU core, and a part whose pages are byte for byte those of the previous build is
taken from that build instead of being indexed again, so a changed story costs the
indexing of its own year only.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cswork_site.cache import Store
from cswork_site.problems import InputError

BUNDLE_DIR = "pagefind"
SHARDS_FILE = "shards.json"
MARK = b"data-pagefind-body"
SHARD_PAGES = 200  # Pagefind needs about 50 MB to index this many story pages
TIMEOUT_SECONDS = 300
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# What theme/templates/article.html writes in the head of a story's page.
_PUBLISHED = re.compile(rb'<meta property="article:published_time" content="(\d{4})-')


class SearchIndexFailed(InputError):
    """Pagefind could not index the site: one line for the user, and nothing is replaced."""


@dataclass(frozen=True)
class Shard:
    name: str  # the bundle's folder in pagefind/
    glob: str  # the pages Pagefind reads; only the marked ones among them are indexed
    digest: str  # of the marked pages' bytes and the indexer: equal digests, equal bundles


def _pagefind() -> Path:
    """The Pagefind program, looked for where pagefind.service.get_executable looks, in
    the same order. That function imports asyncio for the service it belongs to, which
    would add a twentieth of a second to every build; the packages that ship the
    program say where it is without it."""
    executable = os.environ.get("PAGEFIND_BINARY_PATH")
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        if executable:
            break
        try:
            executable = importlib.import_module(package).get_executable()
        except (ImportError, OSError):
            pass
    executable = executable or shutil.which("pagefind_extended") or shutil.which("pagefind")
    if not executable:
        raise SearchIndexFailed("the search index was not built: the Pagefind program is missing; "
                                "install it with: pip install 'pagefind[bin]'")
    return Path(executable)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in _ANSI.sub("", text).splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


# Each page read: its inode, size and time, and for a marked page a hash of its bytes
# and the group it belongs to.
Seen = dict[str, tuple[tuple[int, int, int], bytes | None, str]]


def _group(content: bytes) -> str:
    """A year of stories for a story's page, by the date in its head; else the site's own."""
    end = content.find(b"</head>")
    published = _PUBLISHED.search(content, 0, end if end >= 0 else len(content))
    return f"stories-{published.group(1).decode()}" if published else "site"


def _read(output: Path, rel: str, seen: Seen) -> tuple[tuple[int, int, int], bytes | None, str]:
    """What seen knows of the page at rel, read again only if it has changed."""
    st = (output / rel).stat()
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    known = seen.get(rel)
    if known is not None and known[0] == stamp:
        return known
    content = (output / rel).read_bytes()
    if MARK not in content:
        seen[rel] = (stamp, None, "")
    else:
        seen[rel] = (stamp, hashlib.sha256(content).digest(), _group(content))
    return seen[rel]


def _html(output: Path, pages: Iterable[str] | None) -> list[str]:
    """The pages that may be indexed: those written (paths in output), or all there."""
    if pages is None:
        found = [p.relative_to(output).as_posix() for p in output.rglob("*.html")]
    else:
        found = [rel for rel in pages if rel.endswith(".html")]
    return [rel for rel in found if not rel.startswith(BUNDLE_DIR + "/")]


def _marked(output: Path, seen: Seen | None = None,
            pages: Iterable[str] | None = None) -> dict[str, list[tuple[str, bytes]]]:
    """The marked pages in output, each with a hash of its bytes, by the group they
    belong to: the site's own pages, or a year of stories. `seen` keeps what was read,
    by each file's inode, size and time, so a page is read once (a page the last build
    wrote, linked into this one, is not read at all). `pages`, the pages written (paths
    in output), saves walking the folders."""
    groups: dict[str, list[tuple[str, bytes]]] = {}
    seen = {} if seen is None else seen
    for rel in sorted(set(_html(output, pages))):
        _, digest, group = _read(output, rel, seen)
        if digest is not None:
            groups.setdefault(group, []).append((rel, digest))
    return groups


def _glob_text(text: str) -> str:
    return re.sub(r"([\\{}\[\]*?,!])", r"\\\1", text)


def _any_of(globs: list[str]) -> str:
    return globs[0] if len(globs) == 1 else "{" + ",".join(globs) + "}"


def _parts(name: str, pages: list[tuple[str, bytes]],
           story_pages: Iterable[str] = ()) -> list[tuple[str, str, list[tuple[str, bytes]]]]:
    """A group as (name, glob, pages) parts of at most SHARD_PAGES pages: Pagefind's
    memory grows with the pages it indexes at once. A year too big for one part is cut,
    in the order of its pages, into equal parts, so editing a story changes one part
    only. story_pages: every story's page, which the site's part must not take in."""
    if name == "site":
        avoid = {rel[:i + 1] for rel in story_pages for i, c in enumerate(rel) if c == "/"}
        return [(name, _any_of(_cover([rel for rel, _ in pages], avoid)), pages)]
    count = -(-len(pages) // SHARD_PAGES)
    if count == 0:
        return []
    size = -(-len(pages) // count)
    chunks = [pages[i * size:(i + 1) * size] for i in range(count)]
    return [(name if count == 1 else f"{name}-{i + 1}", _any_of([_glob_text(rel) for rel, _ in chunk]), chunk)
            for i, chunk in enumerate(chunks)]


def _cover(pages: list[str], avoid: set[str], prefix: str = "") -> list[str]:
    """Globs for pages (all under prefix): every folder that holds one (or the page itself,
    when it is not in a folder); unmarked pages matched are skipped by Pagefind. A folder
    in avoid (one that holds stories' pages too, as with ARTICLE_SAVE_AS
    careers/stories/...) is gone into, so that no story's page is matched."""
    folders: dict[str, list[str]] = {}
    for rel in pages:
        here, sep, _ = rel[len(prefix):].partition("/")
        folders.setdefault(here + sep, []).append(rel)
    globs = []
    for entry in sorted(folders, key=lambda e: e.rstrip("/")):  # as folder names sort
        if not entry.endswith("/"):
            globs.append(prefix + entry if not prefix else _glob_text(prefix + entry))
        elif prefix + entry in avoid:
            globs += _cover(folders[entry], avoid, prefix + entry)
        else:
            globs.append(f"{_glob_text(prefix + entry)}**/*.html")
    return globs


def _shards_of(name: str, pages: list[tuple[str, bytes]], indexer: str,
               story_pages: Iterable[str] = ()) -> list[Shard]:
    shards = []
    for part, glob, chunk in _parts(name, pages, story_pages):
        digest = hashlib.sha256(f"{indexer}\0{glob}".encode())
        for rel, page_digest in chunk:
            digest.update(rel.encode() + b"\0" + page_digest)
        shards.append(Shard(part, glob, digest.hexdigest()))
    return shards


def shards(output: Path, indexer: str = "", seen: Seen | None = None,
           pages: Iterable[str] | None = None) -> list[Shard]:
    """The parts of the index: the site's own marked pages, then each year of stories,
    newest first (so the part the search page loads first is small)."""
    groups = _marked(output, seen, pages)
    stories = [rel for name, group in groups.items() if name != "site" for rel, _ in group]
    found = [s for name, group in groups.items() for s in _shards_of(name, group, indexer, stories)]
    return [s for s in found if s.name == "site"] + sorted(
        (s for s in found if s.name != "site"), key=lambda s: _order(s.name), reverse=True)


def _order(name: str) -> tuple[int, int]:
    parts = name.split("-")  # stories-YEAR or stories-YEAR-PART
    return (int(parts[1]), -int(parts[2]) if len(parts) > 2 else 0)


def _previous(previous: Path | None) -> dict[str, str]:
    """The previous build's parts, by name, with their digests."""
    if previous is None:
        return {}
    try:
        listed = json.loads((previous / BUNDLE_DIR / SHARDS_FILE).read_text(encoding="utf-8"))
        return {s["name"]: s["digest"] for s in listed["shards"]
                if (previous / BUNDLE_DIR / s["name"] / "pagefind.js").is_file()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _copy_bundle(source: Path, target: Path) -> None:
    """Hard links where the file system allows (the old build is deleted after the swap).
    `cp -al` does it in its own process, off the core Pelican is writing pages on."""
    cp = shutil.which("cp")
    if cp is not None:
        result = subprocess.run([cp, "-al", str(source), str(target)], capture_output=True)
        if result.returncode == 0:
            return
        shutil.rmtree(target, ignore_errors=True)

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


def _index(executable: Path, output: Path, shard: Shard) -> None:
    command = [str(executable), "--site", str(output), "--glob", shard.glob,
               "--output-path", str(output / BUNDLE_DIR / shard.name), "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise SearchIndexFailed(f"the search index was not built: Pagefind took longer than "
                                f"{TIMEOUT_SECONDS} seconds") from None
    except OSError as exc:
        raise SearchIndexFailed(f"the search index was not built: could not run Pagefind "
                                f"({exc.strerror or exc})") from None
    if result.returncode != 0:
        raise SearchIndexFailed("the search index was not built: Pagefind said: "
                                + _last_line(result.stderr or result.stdout))
    if not (output / BUNDLE_DIR / shard.name / "pagefind.js").is_file():
        raise SearchIndexFailed(f"the search index was not built: Pagefind wrote no "
                                f"{BUNDLE_DIR}/{shard.name}/pagefind.js")


class SearchIndexer:
    """Indexes the site's parts. A year of stories can be started as soon as its pages
    are written (`page_written`), while Pelican goes on writing the rest; `finish` then
    indexes what is left, checks that nothing started early has changed since, and
    writes pagefind/shards.json."""

    def __init__(self, output: Path, previous: Path | None = None,
                 expected: dict[int, int] | None = None,
                 pages: Callable[[], Iterable[str]] | None = None, memory: Store | None = None):
        """pages: what the writer has written so far; memory: a file in which to keep,
        between builds, what each page held (by its inode, size and time)."""
        self.output = Path(output)
        self.pages = pages
        self.memory = memory
        self.previous = previous
        self.executable = _pagefind()
        self.identity = _indexer_identity(self.executable)
        self.before = _previous(previous)
        self.waiting = dict(expected or {})  # year -> published story pages still to write
        self.started: dict[str, tuple[str, Future[None]]] = {}  # name -> (digest, job)
        self.indexed: list[str] = []
        self.seen: Seen = self._recall() if previous is not None else {}  # pages read, by path
        self._scanned = 0  # how many of the pages written have been read for early parts
        self._early: dict[str, dict[str, bytes]] = {}  # group -> its marked pages read so far
        # One part per core at a time, from the first year whose pages are all written: a
        # part started while Pelican writes takes a share of its core, but one left for the
        # end would have all the cores to itself and Pelican none, which costs more.
        self._pool = ThreadPoolExecutor(max(1, os.cpu_count() or 1), thread_name_prefix="pagefind")

    def page_written(self, year: int) -> None:
        if year not in self.waiting:
            return
        self.waiting[year] -= 1
        if self.waiting[year] == 0:
            del self.waiting[year]
            self._scan()
            name = f"stories-{year}"
            for shard in _shards_of(name, sorted(self._early.get(name, {}).items()), self.identity):
                self._start(shard)

    def _scan(self) -> None:
        """Read the pages written since the last look (each page once, not once a year)."""
        if self.pages is None:
            self._early = {name: dict(group) for name, group in _marked(self.output, self.seen).items()}
            return
        written = list(self.pages())
        for rel in _html(self.output, written[self._scanned:]):
            _, digest, group = _read(self.output, rel, self.seen)
            if digest is not None:
                self._early.setdefault(group, {})[rel] = digest
        self._scanned = len(written)

    def _start(self, shard: Shard) -> None:
        self.started[shard.name] = (shard.digest, self._pool.submit(self._make, shard))

    def _make(self, shard: Shard) -> None:
        target = self.output / BUNDLE_DIR / shard.name
        if target.exists():
            shutil.rmtree(target)
        if self.previous is not None and self.before.get(shard.name) == shard.digest:
            _copy_bundle(self.previous / BUNDLE_DIR / shard.name, target)
        else:
            _index(self.executable, self.output, shard)
            self.indexed.append(shard.name)

    def close(self) -> None:
        """Wait for whatever was started (a failed build removes the folder afterwards)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def finish(self) -> list[str]:
        """Index every part not yet done; returns the names of the parts indexed anew."""
        try:
            found = shards(self.output, self.identity, self.seen, self.pages() if self.pages else None)
            for shard in found:
                started = self.started.get(shard.name)
                if started is not None and started[0] == shard.digest:
                    continue
                if started is not None:  # its pages changed after it was started: again
                    started[1].result()
                self._start(shard)
            for _, job in self.started.values():
                job.result()
        finally:
            self.close()
        listing = {"bundles": [f"{s.name}/" for s in found],
                   "shards": [{"name": s.name, "digest": s.digest} for s in found]}
        (self.output / BUNDLE_DIR).mkdir(exist_ok=True)
        (self.output / BUNDLE_DIR / SHARDS_FILE).write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")
        self._remember()
        return sorted(self.indexed)

    def _recall(self) -> Seen:
        def read(f) -> Seen:
            return {rel: ((st[0], st[1], st[2]), bytes.fromhex(st[3]) if st[3] else None, st[4])
                    for rel, st in json.load(f).items()}

        return (self.memory.load(read) if self.memory is not None else None) or {}

    def _remember(self) -> None:
        if self.memory is not None:
            self.memory.save(json.dumps({rel: [*stamp, digest.hex() if digest else None, group]
                                         for rel, (stamp, digest, group) in self.seen.items()}).encode())


def index_site(output: Path, previous: Path | None = None) -> list[str]:
    """Write the search index for the site in output/ to output/pagefind/, reusing the
    unchanged parts of previous/pagefind/. Returns the names of the parts indexed anew."""
    return SearchIndexer(output, previous).finish()


def _indexer_identity(executable: Path) -> str:
    """Which Pagefind indexes: a different program may write a different bundle."""
    try:
        from importlib.metadata import version

        package = version("pagefind")
    except Exception:
        package = ""
    try:
        st = executable.stat()
        return f"{executable}:{st.st_size}:{st.st_mtime_ns}:{package}"
    except OSError:
        return f"{executable}:{package}"
