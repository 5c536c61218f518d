"""Files as bytes on disk: writing one whole or not at all, and reading bytes as text.

One way to write a file (`write_whole`): the cache, the pictures, the snapshots and the
benchmarks all go through a temporary file beside the target, so an interrupted run never
leaves half a file. One way to read a file's bytes as text (`decode_text`): UTF-8 with or
without a byte-order mark, NUL bytes found; each caller words what is wrong in its own
terms (a story, a YAML file, a CSV export).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal


def write_whole(path: Path, data: bytes | Callable[[BinaryIO], None], *, replace: bool = True,
                check: Callable[[Path], None] | None = None, durable: bool = False,
                mode: int | None = None, prefix: str = ".tmp-", suffix: str = "") -> None:
    """Write via a temporary file beside path, so an interrupted run never leaves half a file.

    data: the bytes, or what writes them into the open file (so that a large cache is
    never held in memory as bytes as well).
    replace: False never replaces a file already at path: the file is given its name with
    a hard link, which fails if the name is taken, and FileExistsError is raised.
    check: called with the temporary file once it is written, before it gets its name;
    whatever it raises stops the write and nothing at path changes.
    durable: the bytes and the folder's entry are synced to disk.
    mode: the file's permissions (a temporary file is made private to its owner).
    prefix, suffix: of the temporary file's name, so that readers of the folder can tell
    it from the files they read.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    temp = Path(name)
    moved = False
    try:
        with os.fdopen(fd, "wb") as out:
            if callable(data):
                data(out)
            else:
                out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if mode is not None:
            temp.chmod(mode)
        if check is not None:
            check(temp)
        if replace:
            os.replace(temp, path)
            moved = True
        else:
            _link_new(temp, path, durable)
    finally:
        if not moved:
            temp.unlink(missing_ok=True)
    if durable:
        _sync_folder(path.parent)


def _link_new(temp: Path, path: Path, durable: bool) -> None:
    """Give temp's bytes the name path, never replacing a file there (FileExistsError)."""
    try:
        os.link(temp, path)  # atomic, and fails if path exists: nothing is ever replaced
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # a filesystem without hard links: fall back to an exclusive create
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, temp.stat().st_mode & 0o777)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(temp.read_bytes())
            if durable:
                out.flush()
                os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)  # ours, created just now: never leave half a file
        raise


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True)
class NotText:
    """Why a file's bytes are not text, for the caller to word: a byte that is not UTF-8
    (binary False), or NUL bytes, which no text holds (binary True: a binary file, a
    spreadsheet, or text saved as UTF-16). line: where the first such byte is."""

    binary: bool
    line: int


def decode_text(raw: bytes, *, nul: Literal["any", "mostly", "never"] = "any",
                newlines: bool = False) -> str | NotText:
    """The text of a file's bytes: UTF-8, a byte-order mark (which Excel and Notepad write)
    dropped; or why it is not text.

    nul: "any" NUL byte makes it not text; "mostly" only when more than a quarter of it is
    NUL (a UTF-16 file or a spreadsheet; the caller reports a stray one itself); "never"
    leaves NULs to the caller.
    newlines: line endings made "\\n", as Python's universal newlines (and Pelican) read them.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return NotText(binary=False, line=raw[: exc.start].count(b"\n") + 1)
    if nul != "never" and "\x00" in text and (nul == "any" or text.count("\x00") * 4 > len(text)):
        return NotText(binary=True, line=text.count("\n", 0, text.index("\x00")) + 1)
    return universal_newlines(text) if newlines else text


def universal_newlines(text: str) -> str:
    """text with "\\r\\n" and "\\r" line endings made "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
