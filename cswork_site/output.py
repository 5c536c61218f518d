"""Replace output/ only when a build has finished: build beside it, then swap.

On Linux the swap is one atomic renameat2(RENAME_EXCHANGE) call, so a build killed at
any moment leaves either the old site or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .spare import drop_spare, keep_as_spare, spare_for

MARKER = ".cswork-output"
_BUILDING = ".building-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputRefused(Exception):
    """The output folder holds something that is not ours to replace."""


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    result = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def check_replaceable(output: Path, site: Path) -> None:
    output, site = output.resolve(), site.resolve()
    if output == site or site.is_relative_to(output) or output.is_relative_to(site / "content") \
            or output.is_relative_to(site / "data") or output.is_relative_to(site / "theme"):
        raise OutputRefused(f"{output} would overwrite the site's own files; choose a separate folder")
    if output.exists() and not output.is_dir():
        raise OutputRefused(f"{output} is a file, not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise OutputRefused(f"{output} is not empty and was not made by cswork; "
                            "choose another folder or empty it first, so nothing you wrote is lost")


def _clear_leftovers(output: Path) -> None:
    """Remove half-built folders that a killed build left beside the output."""
    for leftover in output.parent.glob(f".{output.name}{_BUILDING}*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def building(output: Path) -> Iterator[Path]:
    """Yield a fresh folder to build into; on success it becomes `output`, and the
    output it replaces becomes the spare (see spare.py)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(output)
    if not (output / MARKER).is_file():
        drop_spare(output)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}{_BUILDING}", dir=output.parent))
    try:
        yield tmp
        (tmp / MARKER).write_text("This folder is written by cswork build and replaced whole by the next build.\n")
        tmp.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not output.exists():
        os.rename(tmp, output)
    elif _exchange(tmp, output):
        keep_as_spare(tmp, spare_for(output))  # tmp now holds the previous build
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}{_BUILDING}old-", dir=output.parent))
        os.rename(output, old / "site")
        os.rename(tmp, output)
        keep_as_spare(old / "site", spare_for(output))
        shutil.rmtree(old, ignore_errors=True)
