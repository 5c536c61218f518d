"""Pages whose inputs have not changed since the last build are taken from that build's
output (hard-linked into the new one) instead of being rendered again.

Every page's inputs are summed up in a key:
- everything but the stories: the settings, data, theme and pictures in the site folder,
  this code, the build date and the kind of build (`inputs_digest`);
- a story's own page: that story's file;
- every other page (lists, tags, home, ...): what each story shows in a list, which is
  its metadata, never its text.
The keys of the last build's pages are kept in the site's cache, with each file's size
and time, so a page changed or removed by hand in output/ is rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.utils import sanitised_join
from pelican.writers import Writer

from cswork_site.cache import code_version, for_output, keep, stamp
from cswork_site.output.swap import MARKER
from cswork_site.output.spare import Folders, spare_for

MANIFEST_VERSION = 1
_SKIPPED_DIRS = {"output", "__pycache__", ".git", "cache"}


def inputs_digest(site: Path, settings_file: str, build_date: str, preview: bool, skip: list[Path],
                  story_folders: tuple[str, ...]) -> str:
    """Everything a page depends on apart from the stories (Markdown directly in
    story_folders, within site): any change renders every page."""
    digest = hashlib.sha256()
    digest.update(f"{MANIFEST_VERSION} {code_version()} {sys.version} {settings_file} {build_date} {preview}".encode())
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
            digest.update(path.relative_to(site).as_posix().encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


class PageReuse:
    """The last build's page keys for one output folder, and this build's. A write of
    Pelican's (one name) may produce several files (a paginated list): they are taken
    from the last build together or not at all."""

    def __init__(self, site: Path, target: Path, output: Path, inputs: str):
        """target: the output folder as published; output: the folder being built."""
        self.previous = target if (target / MARKER).is_file() else None
        self.output = output
        self.folders = Folders(output, spare_for(target))
        self.inputs = inputs
        self.path = for_output(site, "pages", target)
        self.old: dict[str, Any] = {}  # file -> [key, [size, mtime_ns]]
        self.old_writes: dict[str, list[str]] = {}  # name written -> files it produced
        self.new: dict[str, str] = {}
        self.new_writes: dict[str, list[str]] = {}
        self.written: list[str] = []  # every file in the new build so far, as it is opened or linked
        self.reused = 0
        self.rendered = 0
        if self.previous is not None:
            try:
                stored = json.loads(self.path.read_text(encoding="utf-8"))
                if stored.get("version") == MANIFEST_VERSION:
                    self.old, self.old_writes = stored["pages"], stored["writes"]
            except (OSError, ValueError, KeyError, TypeError):
                self.old, self.old_writes = {}, {}

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
                if base not in self.folders.make(folder, {base: found[file]}):
                    os.link(self.previous / file, target)
                linked.append(target)
        except OSError:  # e.g. a file system without hard links: render them instead
            for target in linked:
                target.unlink()
            return None
        for file in files:
            self.new[file] = key
        self.written += files
        self.new_writes[name] = files
        self.reused += len(files)
        return files

    def record(self, name: str, files: list[str], key: str) -> None:
        for file in files:
            self.new[file] = key
        self.new_writes[name] = files
        self.rendered += len(files)

    def save(self, final: Path) -> None:
        """After the swap: keep the keys, with the stamps of the files as published."""
        pages = {}
        for file, key in self.new.items():
            now = stamp(final / file)
            if now is not None:
                pages[file] = [key, now]
        keep(self.path, json.dumps({"version": MANIFEST_VERSION, "pages": pages,
                                    "writes": self.new_writes}).encode())


def _story_digest(article: Article, digests: dict[str, str]) -> str:
    path = article.source_path
    header = getattr(article, "cswork", None)
    if header is not None and header.digest:
        digests[path] = header.digest
    elif path not in digests:
        try:
            digests[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            digests[path] = "unreadable"
    # Its address follows from the file and the settings, both in the key already.
    return f"{digests[path]} {article.status}"


def _listing_digest(context: dict[str, Any]) -> str:
    """What any list can show of the stories: their metadata, never their text."""
    digest = hashlib.sha256()
    for group in ("articles", "hidden_articles", "drafts"):
        for a in context.get(group) or ():
            header = getattr(a, "cswork", None)
            if header is not None and header.meta_digest:
                shown = header.meta_digest  # the metadata lines as written
            else:
                shown = repr(sorted((k, repr(v)) for k, v in a.metadata.items()))
            digest.update(repr((group, a.source_path, a.status, shown)).encode())
    return digest.hexdigest()


class ReusingWriter(Writer):
    """Pelican's writer, which first looks for the page in the last build."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._reuse: PageReuse | None = (settings or {}).get("CSWORK_REUSE")
        self._digests: dict[str, str] = {}
        self._listing: str | None = None
        self._linked: set[str] = set()  # files shared with the last build: never written into

    def _open_w(self, filename, encoding, override=False):
        if filename in self._linked:  # an allowed overwrite: break the link first
            os.unlink(filename)
            self._linked.discard(filename)
        handle = super()._open_w(filename, encoding, override)
        if self._reuse is not None:
            self._reuse.written.append(os.path.relpath(filename, self.output_path))
        return handle

    def _key(self, name: str, template, context: dict[str, Any], kwargs: dict[str, Any]) -> str:
        article = kwargs.get("article")
        if isinstance(article, Article):
            own = _story_digest(article, self._digests)
        else:
            if self._listing is None:
                self._listing = _listing_digest(context)
            own = self._listing
        return hashlib.sha256(f"{self._reuse.inputs} {name} {getattr(template, 'name', template)} "
                              f"{kwargs.get('relative_urls')} {own}".encode()).hexdigest()

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        if self._reuse is None or not name:
            return super().write_file(name, template, context, relative_urls, paginated,
                                      template_name, override_output, url, **kwargs)
        key = self._key(name, template, context, {**kwargs, "relative_urls": relative_urls})
        files = self._reuse.reuse(name, key)
        if files is not None:
            paths = {sanitised_join(self.output_path, f) for f in files}
            self._written_files.update(paths)
            self._linked.update(paths)
            if "article" in kwargs:  # a story's page is in place, as if written (for search)
                for path in sorted(paths):
                    signals.content_written.send(path, context={**context, **kwargs})
            return None
        if not paginated:  # the one folder it writes in, from the spare if it can
            path = sanitised_join(self.output_path, name)
            self._reuse.folders.make(os.path.relpath(os.path.dirname(path), self.output_path))
        mark = len(self._reuse.written)
        result = super().write_file(name, template, context, relative_urls, paginated,
                                    template_name, override_output, url, **kwargs)
        produced = sorted(set(self._reuse.written[mark:]))
        self._reuse.record(name, produced, key)
        return result
