"""One build, typed: what the plugin's hooks, reader, generator and writer share while
Pelican runs. Pelican's settings carry only settings; the live objects of a build (the
checked data, the page reuse, the search indexer, the story cache) live here.

`cswork build` opens a session around its Pelican run (`running`). A plain `pelican`
run has none, so the plugin opens one of its own when Pelican starts (`hooks._load_once`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cswork_site.cache import BuildCache
from cswork_site.data.site import SiteData
from cswork_site.progress import SILENT, Progress

if TYPE_CHECKING:
    from cswork_site.output.alternates import LanguageRun
    from cswork_site.output.reuse import PageReuse
    from cswork_site.output.search import SearchIndexer
    from cswork_site.plugin.articles import ArticleCache
    from cswork_site.plugin.aside import Aside


@dataclass
class BuildSession:
    site: Path  # the site folder
    data: SiteData  # checked and typed
    preview: bool = False  # `cswork serve`: drafts get pages of their own
    reuse: PageReuse | None = None  # None: every page is rendered
    indexer: SearchIndexer | None = None  # None: the site is indexed when Pelican finishes
    articles: ArticleCache | None = None
    aside: Aside | None = None
    cache: BuildCache | None = None  # None: no build cache (a plain `pelican` run, --no-cache)
    by_cswork: bool = True  # False: opened by the plugin for a plain `pelican` run
    progress: Progress = SILENT  # told of each phase of the run (a display on a terminal)
    # The language this run writes, and every language's run (None: a plain `pelican` run,
    # which writes the site's main language only, at the root).
    run: LanguageRun | None = None
    runs: tuple[LanguageRun, ...] = ()

    @property
    def main_run(self) -> bool:
        """Whether this run writes the main language, at the root of the output."""
        return self.run is None or self.run.main

    @property
    def last_run(self) -> bool:
        """Whether no run comes after this one (which may let go of what runs share)."""
        return self.run is None or self.run.last

    def site_key(self, source_path: str) -> str | None:
        """A content file's path within the site folder, as stories are keyed (None: outside
        it). Plain string work: it runs for every story, and pathlib costs more."""
        prefix = str(self.site).rstrip(os.sep) + os.sep
        if not source_path.startswith(prefix):
            return None
        return source_path[len(prefix):].replace(os.sep, "/")


_current: ContextVar[BuildSession | None] = ContextVar("cswork_build_session", default=None)


def current() -> BuildSession | None:
    return _current.get()


def required() -> BuildSession:
    session = _current.get()
    if session is None:  # only if a hook runs outside any build: a fault of ours
        raise RuntimeError("no cswork build session is open")
    return session


@contextmanager
def running(session: BuildSession) -> Iterator[BuildSession]:
    token = _current.set(session)
    try:
        yield session
    finally:
        _current.reset(token)


def open_for_plain_run(session: BuildSession) -> None:
    """A plain `pelican` run: the session lasts as long as the process (or the next run)."""
    _current.set(session)
