"""Replace output/ only when a build has finished: build beside it, then swap.

On Linux the swap is one atomic renameat2(RENAME_EXCHANGE) call, so a build killed at
any moment leaves either the old site or the new one, never a mix.

One build at a time writes an output: `building()` holds an flock on `.NAME.lock`
beside it from before it tidies up until after the swap. A second build waits for it
(up to LOCK_WAIT seconds), then refuses. Only the holder of the lock removes the
half-built folders beside the output, so a running build's work is never taken from
under it. The kernel releases an flock when its process ends, however it ends, so a
killed build never blocks the next one; the lock file itself is left in place (removing
it would let two builds lock two different files).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cswork_site.output.spare import drop_spare, keep_as_spare, spare_for
from cswork_site.problems import InputError

MARKER = ".cswork-output"
_BUILDING = ".building-"
LOCK_SUFFIX = ".lock"
LOCK_WAIT = 60.0  # seconds a build waits for another one writing the same output
_held: set[int] = set()  # lock files this process holds open
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


def lock_for(output: Path) -> Path:
    return output.parent / f".{output.name}{LOCK_SUFFIX}"


def _close_in_child() -> None:
    # A forked process (work done aside) must not keep the lock after the build has
    # ended or was killed. Only close: unlocking here would unlock the parent too.
    for fd in list(_held):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)


@contextlib.contextmanager
def _writing(output: Path) -> Iterator[None]:
    """Hold the lock on writing output; wait for another build up to LOCK_WAIT seconds."""
    fd = os.open(lock_for(output), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline, said = time.monotonic() + LOCK_WAIT, False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pass
            if time.monotonic() >= deadline:
                raise InputError(f"another cswork build is writing {output}; "
                                 "wait for it to finish (or stop it), then try again")
            if not said:
                sys.stderr.write(f"Waiting for another cswork build to finish writing {output} "
                                 f"(up to {LOCK_WAIT:.0f} seconds)...\n")
                sys.stderr.flush()
                said = True
            time.sleep(0.1)
        _held.add(fd)
        try:
            yield
        finally:
            _held.discard(fd)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _clear_leftovers(output: Path) -> None:
    """Remove half-built folders that a killed build left beside the output (only ever
    called holding the lock: no other build is writing one)."""
    for leftover in output.parent.glob(f".{output.name}{_BUILDING}*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def building(output: Path) -> Iterator[Path]:
    """Yield a fresh folder to build into; on success it becomes `output`, and the
    output it replaces becomes the spare (see spare.py)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with _writing(output):
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
        _swap(tmp, output)


def _swap(tmp: Path, output: Path) -> None:
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
