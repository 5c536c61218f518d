"""The build cache's files in SITE/.cswork-cache/, and writing a file whole or not at all.

The cache is only ever a shortcut: what cannot be read is redone, and what cannot be
written is left out (`keep`)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

CACHE_DIR = ".cswork-cache"


def write_whole(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write via a temporary file, so an interrupted build never leaves half a file.
    data: the bytes, or what writes them into the open file (so that a large cache is
    never held in memory as bytes as well)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(f)
            else:
                f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Cache folders that could not be written during this run, with why: the build goes on
# without them, and says so once (see `cache_warnings`).
_unwritable: dict[str, str] = {}


def note_unwritable(path: Path, exc: OSError) -> None:
    folder = path if path.is_dir() else path.parent
    _unwritable.setdefault(str(folder), exc.strerror or type(exc).__name__)


def cache_warnings(site: Path) -> list[str]:
    """One warning for every cache that could not be written, and forget them."""
    found = dict(_unwritable)
    _unwritable.clear()
    if not found:
        return []
    reasons = sorted(set(found.values()))
    return [f"warning: the build cache in {site / CACHE_DIR} cannot be written ({', '.join(reasons)}), "
            "so this build did all its work again and the next one will too; make the folder "
            "writable (or delete it) to make rebuilds fast. Nothing else is affected."]


def keep(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write a cache file if the site folder allows it."""
    try:
        write_whole(path, data)
    except OSError as exc:
        note_unwritable(path, exc)


def for_output(site: Path, kind: str, target: Path, suffix: str = ".json") -> Path:
    """The cache file of one kind that belongs to one output folder."""
    where = hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:16]
    return site / CACHE_DIR / f"{kind}-{where}{suffix}"


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
        for source in sorted(Path(__file__).parent.rglob("*.py")):
            digest.update(source.read_bytes())
        import markdown

        from cswork_site.plugin.pelican_api import pelican_version

        digest.update(f"{pelican_version()} {markdown.__version__}".encode())
        _code = digest.hexdigest()
    return _code
