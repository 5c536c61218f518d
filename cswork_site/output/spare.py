"""Folders for the build being written, moved from the build before last where they can be.

After a build is swapped in, the output it replaced is not deleted: it is kept beside the
output as the spare (`.NAME.spare`), and the next build moves the spare's page folders
into place instead of making new ones. Why: a build writes a folder per page, and making
some 1,500 folders, then deleting as many after the swap, was a third of a rebuild's time.
Moving a folder is one rename and frees nothing; on ext4 without a journal, every folder
made soon after others were freed is slower still.

Only a leaf is moved: a folder that holds regular files and nothing else. Its files are
removed first, except those the caller asks to keep because they are the very file (the
same inode) the page would be linked to anyway. So a moved folder holds exactly what a
new one would, and a build from the spare gives the same bytes as one without it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

SPARE_SUFFIX = ".spare"


def spare_for(output: Path) -> Path:
    return output.parent / f".{output.name}{SPARE_SUFFIX}"


class Folders:
    """Makes the folders of the build in `root`, moving them from `spare` where it can."""

    def __init__(self, root: Path, spare: Path | None = None):
        self.root = str(root)
        self.spare = str(spare) if spare is not None and spare.is_dir() else None
        self._made: set[str] = {""}
        self.moved = 0

    def make(self, folder: str, keep: Mapping[str, os.stat_result] | None = None) -> set[str]:
        """Make root/folder (a relative path) if it is not there yet. Returns the names of
        the files in `keep` that are already in it, as the same inode: those need no link."""
        folder = os.path.normpath(folder) if folder else ""
        if folder == ".":
            folder = ""
        if folder in self._made:
            return set()
        kept = self._move(self.spare, folder, keep or {}) if self.spare is not None else None
        if kept is None:
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            kept = set()
        self._made.add(folder)
        return kept

    def _move(self, spare: str, folder: str, keep: Mapping[str, os.stat_result]) -> set[str] | None:
        source = os.path.join(spare, folder)
        try:
            with os.scandir(source) as found:
                entries = list(found)
        except OSError:
            return None
        if not all(e.is_file(follow_symlinks=False) for e in entries):
            return None  # not a leaf (or a link): made anew, never moved with what is inside
        kept = set()
        try:
            for entry in entries:
                wanted = keep.get(entry.name)
                if wanted is not None and entry.inode() == wanted.st_ino \
                        and entry.stat(follow_symlinks=False).st_dev == wanted.st_dev:
                    kept.add(entry.name)
                else:
                    os.unlink(entry.path)
            parent = os.path.dirname(folder)
            if parent:
                self.make(parent)
            os.rename(source, os.path.join(self.root, folder))
        except OSError:
            return None  # e.g. another file system: the caller makes the folder
        self.moved += 1
        return kept


def keep_as_spare(previous: Path, spare: Path) -> None:
    """After the swap: the build just replaced becomes the spare; the old spare's remains go."""
    shutil.rmtree(spare, ignore_errors=True)
    try:
        os.rename(previous, spare)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)


def drop_spare(output: Path) -> None:
    """A spare whose output is gone (deleted by hand) is a leftover, not a head start."""
    shutil.rmtree(spare_for(output), ignore_errors=True)
