"""Pelican's content cache at its generator layer, for the stories' Article objects.

Pelican can keep the content objects it made and take them again for files whose stamp
has not changed (CACHE_CONTENT with CONTENT_CACHING_LAYER "generator"). cswork uses
that layer, with three changes that Pelican's own settings cannot make:
- a story's stamp is the hash of its bytes, which the check has already taken;
- the whole cache belongs to one state of everything else an Article depends on (the
  settings, data, build date, kind of build and this code: `reuse.inputs_digest`), and
  is not used when that changes, as a story's object holds its checked metadata and
  whether it may be published;
- it is written without the build's settings and shared context, which every object
  refers to and which hold what no file can (the search index's thread pool): each
  object is stored with a reference to them, and given this build's on loading.
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

from .cachefiles import keep

VERSION = b"cswork-articles 1"


class _Pickler(pickle.Pickler):
    def __init__(self, file, shared: dict[str, Any]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = {id(obj): name for name, obj in shared.items()}

    def persistent_id(self, obj):
        return self._names.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, shared: dict[str, Any]):
        super().__init__(file)
        self._shared = shared

    def persistent_load(self, pid):
        return self._shared[pid]


class ArticleCache:
    def __init__(self, path: Path, inputs: str, digests: dict[str, str], aside=None):
        """digests: each story file's hash, by its path within the site folder."""
        self.path = path
        self.inputs = inputs
        self.digests = digests
        self.aside = aside
        self.taken = 0

    def attach(self, generator) -> None:
        """Turn on the generator's cache (called as Pelican makes the articles generator)."""
        from .generators.data_pages import site_key

        settings = generator.settings
        generator._filestamp_func = lambda full_path: self.digests.get(site_key(settings, full_path) or "")
        generator._cache_data_policy = True
        generator._cache = self._load(generator)
        generator.save_cache = lambda: self._save(generator)
        get = generator.get_cached_data

        def counted(filename, default=None):
            found = get(filename, default)
            if found is not default:
                self.taken += 1
            return found

        generator.get_cached_data = counted

    def _shared(self, generator) -> dict[str, Any]:
        return {"settings": generator.settings, "context": generator.context}

    def _load(self, generator) -> dict[str, Any]:
        try:
            with self.path.open("rb") as f:
                if f.readline().rstrip(b"\n") != VERSION or f.readline().rstrip(b"\n") != self.inputs.encode():
                    return {}
                return _Unpickler(f, self._shared(generator)).load()
        except Exception:  # missing, cut short or from another version: the cache is only a shortcut
            return {}

    def _save(self, generator) -> None:
        def write() -> None:
            out = io.BytesIO()
            out.write(VERSION + b"\n" + self.inputs.encode() + b"\n")
            try:
                _Pickler(out, self._shared(generator)).dump(generator._cache)
            except Exception:  # something a plugin added that cannot be kept: no cache
                return
            keep(self.path, out.getvalue())

        # Of no use to this build: written aside while the pages are written, if it can be.
        if self.aside is None or not self.aside.run(write):
            write()
