"""Pelican's content cache at its generator layer, for the stories' Article objects.

Pelican can keep the content objects it made and take them again for files whose stamp
has not changed (CACHE_CONTENT with CONTENT_CACHING_LAYER "generator"). cswork uses
that layer, with changes that Pelican's own settings cannot make:
- a story's stamp is the hash of its bytes, which the check has already taken;
- the whole cache belongs to one state of everything else an Article depends on (the
  settings, data, build date, kind of build and this code: `reuse.inputs_digest`), and
  is not used when that changes, as a story's object holds its checked metadata and
  whether it may be published;
- it is written without the build's settings and shared context, which every object
  refers to and which hold what no file can (the search index's thread pool), and
  without each story's checked metadata, which the check has just made again: each
  object is stored with a reference to them, and given this build's on loading;
- it is two files: the whole cache, and the objects made since it was written (the
  changes). A build that made few objects writes only the changes, so changing one
  story does not write thousands of objects again. Every object carries its story's
  stamp, so an object from either file is only taken for the very story it was made of.
  Each file starts with the stamps alone, so that before the objects are loaded the
  stories they stand for can let go of their converted Markdown (`unneeded`), which only
  a new object is made from.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from cswork_site.cache import BuildCache, Store
from cswork_site.plugin import internals
from cswork_site.plugin.session import BuildSession

# The changes are written alone while they are at most this share of the whole cache
# (and the objects it holds for stories that are gone are no more than that either).
CHANGES_SHARE = 8


class _Pickler(pickle.Pickler):
    def __init__(self, file, shared: dict[Any, Any]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = {id(obj): name for name, obj in shared.items()}

    def persistent_id(self, obj):
        return self._names.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, shared: dict[Any, Any]):
        super().__init__(file)
        self._shared = shared

    def persistent_load(self, pid):
        # A story no longer there: its object is never taken, as no file has its stamp.
        return self._shared.get(pid)


class ArticleCache:
    def __init__(self, cache: BuildCache, target: Path, inputs: str, digests: dict[str, str],
                 unneeded: Callable[[str], object] | None = None):
        """target: the output folder the objects belong to; inputs: everything else they
        depend on; digests: each story file's hash, by its path within the site folder;
        unneeded: told each story (by that path) whose object is in the cache, before it is loaded."""
        self.whole = cache.store("articles", inputs, target, ".pickle")
        self.changes = cache.store("articles-changes", inputs, target, ".pickle")
        self.digests = digests
        self.unneeded = unneeded
        self.taken: set[str] = set()  # files whose object came from the cache
        self.made: set[str] = set()  # files whose object this build made
        self._whole: set[str] = set()  # files whose object as loaded is the whole cache's
        self._whole_size = 0

    def attach(self, generator, build: BuildSession) -> None:
        """Turn on the generator's cache (called as Pelican makes the articles generator)."""
        self._build = build
        # Pelican names each file by its path within the content folder, and stamps it by
        # its full path; the stories are known by their path within the site folder.
        self._key = lambda name: build.site_key(os.path.join(generator.path, name)) or ""
        internals.use_story_cache(generator, lambda full_path: self.digests.get(build.site_key(full_path) or ""),
                                  self._load(generator), lambda: self._save(generator))
        get, put = generator.get_cached_data, generator.cache_data

        def counted(filename, default=None):
            if self._key(filename) not in self.digests:
                return default  # a file the check did not read has no stamp to compare
            found = get(filename, default)
            if found is not default:
                self.taken.add(filename)
            return found

        def noted(filename, data):
            put(filename, data)
            self.made.add(filename)

        generator.get_cached_data = counted
        generator.cache_data = noted

    def _shared(self, generator) -> dict[Any, Any]:
        """What the objects refer to that is this build's, not theirs: kept by name. Each
        story's checked metadata is the build's own too (the same for the same file)."""
        stories = self._build.data.stories.items()
        return {"settings": generator.settings, "context": generator.context,
                **{("story", key): header for key, header in stories}}

    def _read(self, store: Store, generator) -> dict[str, Any] | None:
        def read(f: BinaryIO) -> dict[str, Any]:
            stamps = pickle.load(f)
            if self.unneeded is not None:
                for name, stamp in stamps.items():
                    key = self._key(name)
                    if stamp == self.digests.get(key):
                        self.unneeded(key)
            return _Unpickler(f, self._shared(generator)).load()

        return store.load(read)

    def _load(self, generator) -> dict[str, Any]:
        whole = self._read(self.whole, generator)
        if whole is None:
            return {}
        changes = self._read(self.changes, generator) or {}
        self._whole = whole.keys() - changes.keys()
        self._whole_size = len(whole)
        whole.update(changes)
        return whole

    def _save(self, generator) -> None:
        used = self.taken | self.made
        cache = internals.cached_entries(generator)
        entries = {name: cache[name] for name in used if name in cache}
        changes = {name: entry for name, entry in entries.items()
                   if name in self.made or name not in self._whole}
        gone = self._whole_size - len(self._whole & entries.keys())
        small = max(16, len(entries) // CHANGES_SHARE)
        if self._whole_size and len(changes) <= small and gone <= small:
            if self.made:  # else the files as they are hold exactly this build's objects
                self._write(self.changes, changes, generator)
            return
        if not self.changes.remove():
            return  # changes that cannot be removed would be read with the new whole cache
        # Written here, not in a forked process: pickling touches every object, so a fork
        # would come to hold a copy of them all, while Pagefind runs beside it.
        self._write(self.whole, entries, generator)

    def _write(self, store: Store, entries: dict[str, Any], generator) -> None:
        def fill(f: BinaryIO) -> None:
            pickle.dump({name: entry[0] for name, entry in entries.items()}, f, pickle.HIGHEST_PROTOCOL)
            _Pickler(f, self._shared(generator)).dump(entries)

        try:
            store.save(fill)
        except Exception:  # something a plugin added that cannot be kept: no cache
            pass
