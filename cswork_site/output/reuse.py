"""Pages whose inputs have not changed since the last build are taken from that build's
output (hard-linked into the new one) instead of being rendered again.

Every page's inputs are summed up in a key:
- everything but the stories: the settings, data, theme and pictures in the site folder,
  this code, the build date and the kind of build (`inputs_digest`);
- a story's own page: that story's file;
- what else its rendering read of the stories, recorded as it rendered and kept here
  (plugin/reads.py): the metadata or the text of each story it read and, for a page that
  can show a list of stories, which stories there are and their metadata.
The keys of the last build's pages are kept in the site's cache, with each file's size
and time, so a page changed or removed by hand in output/ is rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from cswork_site.cache import BuildCache, code_version, stamp
from cswork_site.output.spare import Folders, spare_for
from cswork_site.output.swap import MARKER

MANIFEST_VERSION = 3
_SKIPPED_DIRS = {"output", "__pycache__", ".git", "cache"}


def inputs_digest(site: Path, settings_file: str, build_date: str, preview: bool, skip: list[Path],
                  story_folders: tuple[str, ...], tracked: frozenset[str] = frozenset()) -> tuple[str, dict[str, str]]:
    """Everything a page depends on apart from the stories (Markdown directly in
    story_folders, within site), whose change renders every page; and, apart from that,
    a digest of each tracked data file (a path, or a folder ending in "/" for every file
    in it), which renders only the pages that read it."""
    digest = hashlib.sha256()
    digest.update(f"{MANIFEST_VERSION} {code_version()} {sys.version} {settings_file} {build_date} {preview}".encode())
    data: dict[str, hashlib._Hash] = {}
    stories = {(site / folder).resolve() for folder in story_folders}
    skipped = {p.resolve() for p in skip}
    for root, dirs, files in os.walk(site):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith(".")
                         and (here / d).resolve() not in skipped)
        for name in sorted(files):
            if name.startswith("."):
                continue  # hidden files (a build's lock file, .gitignore) are not read by pages
            path = here / name
            if name.endswith(".md") and here.resolve() in stories:
                continue  # each story is a key of its own pages
            try:
                content = path.read_bytes()
            except OSError:
                content = b"unreadable"
            rel = path.relative_to(site).as_posix()
            entry = rel.encode() + b"\0" + hashlib.sha256(content).digest()
            group = rel if rel in tracked else next((t for t in tracked if t.endswith("/") and rel.startswith(t)), None)
            if group is None:
                digest.update(entry)
            else:
                data.setdefault(group, hashlib.sha256()).update(entry)
    return digest.hexdigest(), {group: d.hexdigest() for group, d in data.items()}


def _hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


class PageReuse:
    """The last build's page keys for one output folder, and this build's. A write of
    Pelican's (one name) may produce several files (a paginated list): they are taken
    from the last build together or not at all."""

    def __init__(self, cache: BuildCache, target: Path, output: Path, inputs: str, share: bool = True,
                 data: dict[str, str] | None = None):
        """target: the output folder as published; output: the folder being built; share:
        link the last build's files rather than copy them. Only while no other plugin runs:
        one that changes pages after Pelican writes them would change the published site
        through the link (and a failed build would leave it changed)."""
        self.share = share
        self.data = data or {}  # each tracked data file's digest (see inputs_digest)
        self.as_written: dict[str, str] = {}  # without sharing: each file's hash as Pelican wrote it
        self.previous = target if (target / MARKER).is_file() else None
        self.output = output
        self.folders = Folders(output, spare_for(target))
        self.inputs = inputs
        self.store = cache.store("pages", str(MANIFEST_VERSION), target)
        self.old: dict[str, Any] = {}  # file -> [key, [size, mtime_ns]]
        self.old_writes: dict[str, list[str]] = {}  # name written -> files it produced
        self.old_reads: dict[str, list[Any]] = {}  # name written -> [stories it read, showed lists]
        self.new: dict[str, str] = {}
        self.new_writes: dict[str, list[str]] = {}
        self.new_reads: dict[str, list[Any]] = {}
        self.written: list[str] = []  # every file in the new build so far, as it is opened or linked
        self.reused = 0
        self.rendered = 0
        if self.previous is not None:
            stored = self.store.load(lambda f: _manifest(json.load(f)))
            if stored is not None:
                self.old, self.old_writes, self.old_reads = stored

    def reads_of(self, name: str) -> tuple[list[list[str]], bool, list[str]] | None:
        """What the write of name read when it was last rendered (None: not known): the
        stories, whether it showed a list of them, and the data files."""
        found = self.old_reads.get(name)
        if not isinstance(found, list) or len(found) != 3:
            return None
        return found[0], bool(found[1]), found[2]

    def reuse(self, name: str, key: str) -> list[str] | None:
        """Link the files the write of name produced last time, if all are as they were."""
        files = self.old_writes.get(name)
        if self.previous is None or not files:
            return None
        found: dict[str, os.stat_result] = {}
        for file in files:
            entry = self.old.get(file)
            if entry is None or entry[0] != key:
                return None
            try:
                found[file] = os.stat(self.previous / file)
            except OSError:
                return None
            if (found[file].st_size, found[file].st_mtime_ns) != tuple(entry[1]):
                return None
        linked: list[Path] = []
        try:
            for file in files:
                target = self.output / file
                folder, base = os.path.split(file)
                if base not in self.folders.make(folder, {base: found[file]} if self.share else None):
                    if self.share:
                        os.link(self.previous / file, target)
                    else:
                        shutil.copyfile(self.previous / file, target)
                linked.append(target)
                if not self.share:
                    self.as_written[file] = _hash(target)
        except OSError:  # e.g. a file system without hard links: render them instead
            for target in linked:
                target.unlink()
            return None
        for file in files:
            self.new[file] = key
        self.written += files
        self.new_writes[name] = files
        self.new_reads[name] = self.old_reads[name]
        self.reused += len(files)
        return files

    def record(self, name: str, files: list[str], key: str, read: list[list[str]], lists: bool,
               data: list[str]) -> None:
        for file in files:
            self.new[file] = key
            if not self.share:
                self.as_written[file] = _hash(self.output / file)
        self.new_writes[name] = files
        self.new_reads[name] = [read, lists, data]
        self.rendered += len(files)

    def save(self, final: Path) -> None:
        """After the swap: keep the keys, with the stamps of the files as published."""
        pages = {}
        for file, key in self.new.items():
            now = stamp(final / file)
            if now is None:
                continue
            if not self.share and self.as_written.get(file) != _hash(final / file):
                key = ""  # another plugin changed it after it was written: render it every time
            pages[file] = [key, now]
        self.store.save(json.dumps({"pages": pages, "writes": self.new_writes, "reads": self.new_reads}).encode())


def _manifest(stored: Any) -> tuple[dict[str, Any], dict[str, list[str]], dict[str, list[Any]]]:
    """The three parts of a saved manifest; anything else is a damaged cache (raises)."""
    parts = stored["pages"], stored["writes"], stored["reads"]
    if not all(isinstance(part, dict) for part in parts):
        raise ValueError("not a page manifest")
    return parts
