"""The build cache: every store in SITE/.cswork-cache/, one mechanism, one way to load.

The cache is only ever a shortcut. Each file starts with a header: the format, the kind of
store, this code's version and a fingerprint of everything else its entries depend on.
A file from another version of cswork, or made from other inputs, is passed over; one
that is damaged or was not written by cswork is ignored with a note, never trusted; what
cannot be written is left out, with one warning. `cswork build --no-cache` reads none of
it and writes none of it.

Each file is written whole or not at all (`files.write_whole`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from cswork_site.files import write_whole

CACHE_DIR = ".cswork-cache"
_MAGIC = b"cswork-cache 1"

T = TypeVar("T")


class BuildCache:
    """The cache of one site for one run: where each store lives, and what went wrong."""

    def __init__(self, site: Path, enabled: bool = True):
        self.site = site
        self.root = site / CACHE_DIR
        self.enabled = enabled
        self._unwritable: dict[str, str] = {}
        self._ignored: list[str] = []

    def store(self, kind: str, fingerprint: str = "", target: Path | None = None, suffix: str = ".json") -> Store:
        """One file of the cache; with target, the one that belongs to that output folder."""
        name = kind
        if target is not None:
            name += "-" + hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:16]
        return Store(self, self.root / f"{name}{suffix}", kind, fingerprint)

    def folder(self, kind: str) -> Path | None:
        """A folder of the cache for a store of many files (None: no cache in this run)."""
        if not self.enabled:
            return None
        folder = self.root / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.unwritable(folder, exc)
            return None
        return folder

    def unwritable(self, path: Path, exc: OSError) -> None:
        folder = path if path.is_dir() else path.parent
        self._unwritable.setdefault(str(folder), exc.strerror or type(exc).__name__)

    def ignored(self, path: Path) -> None:
        self._ignored.append(path.relative_to(self.site).as_posix() if path.is_relative_to(self.site) else str(path))

    def warnings(self) -> list[str]:
        """One line for what could not be written, one for what was ignored."""
        lines = []
        if self._unwritable:
            reasons = sorted(set(self._unwritable.values()))
            lines.append(f"warning: the build cache in {self.root} cannot be written ({', '.join(reasons)}), "
                         "so this build did all its work again and the next one will too; make the folder "
                         "writable (or delete it) to make rebuilds fast. Nothing else is affected.")
        if self._ignored:
            lines.append(f"note: {len(self._ignored)} build cache file(s) could not be read and were ignored "
                         f"(damaged, or not written by this cswork): {', '.join(sorted(self._ignored))}. "
                         "Their work was done again; the next build writes them anew.")
        return lines


class Store:
    """One file of the build cache, behind its header."""

    def __init__(self, cache: BuildCache, path: Path, kind: str, fingerprint: str):
        self.cache = cache
        self.path = path
        self._header = b"%s %s %s\n%s\n" % (_MAGIC, kind.encode(), code_version().encode(), fingerprint.encode())

    def load(self, read: Callable[[BinaryIO], T]) -> T | None:
        """What read makes of the payload, or None: no cache in this run, no file, a file
        of another version or other inputs, or one that cannot be read (noted)."""
        if not self.cache.enabled:
            return None
        try:
            f = self.path.open("rb")
        except OSError:
            return None
        with f:
            try:
                first = f.readline()
                if not first.startswith(_MAGIC + b" "):
                    self.cache.ignored(self.path)
                    return None
                if first + f.readline() != self._header:
                    return None  # another version of cswork, or other inputs: only outdated
                return read(f)
            except Exception:  # damaged, cut short: never trusted
                self.cache.ignored(self.path)
                return None

    def save(self, data: bytes | Callable[[BinaryIO], None]) -> None:
        """Write the store whole, if the site folder allows it (and this run has a cache)."""
        if not self.cache.enabled:
            return

        def fill(f: BinaryIO) -> None:
            f.write(self._header)
            if callable(data):
                data(f)
            else:
                f.write(data)

        try:
            write_whole(self.path, fill)
        except OSError as exc:
            self.cache.unwritable(self.path, exc)

    def remove(self) -> bool:
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            return False
        return True


def stamp(path: Path) -> tuple[int, int] | None:
    """A file's size and time: cheap to read, and changed by any edit."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


_code: str | None = None


def code_version() -> str:
    """This package's own source, so that a changed cswork never reuses an old result."""
    global _code
    if _code is None:
        digest = hashlib.sha256()
        package = Path(__file__).parent
        # The theme, assets and translations that come with cswork shape pages as much as its code does.
        sources = [*package.rglob("*.py"), *(package / "theme").rglob("*"), *(package / "assets").rglob("*"),
                   *(package / "locale").rglob("*.po")]
        for source in sorted(p for p in sources if p.is_file() and "__pycache__" not in p.parts):
            digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
        import markdown

        from cswork_site.plugin.pelican_api import pelican_version

        digest.update(f"{pelican_version()} {markdown.__version__}".encode())
        _code = digest.hexdigest()
    return _code
