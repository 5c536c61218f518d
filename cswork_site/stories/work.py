"""Everything done to one story file before Pelican sees it: its metadata checked, its
text screened, its Markdown converted. Each file is read once, the work is kept in the
site's cache by the file's content, and what is not cached is shared among the CPU cores.

The result for a file depends only on its bytes, on a picture it names (by size and
time), and on the context (the ids it may refer to, the build date, the watch lists, the
Markdown settings and this code); a change to any of them makes the work be done again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import pickle
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cswork_site.addresses import SiteAddresses
from cswork_site.cache import BuildCache, Store, stamp
from cswork_site.files import NotText, decode_text
from cswork_site.languages import current
from cswork_site.problems import Problem
from cswork_site.safeguarding.detectors import WatchLists
from cswork_site.safeguarding.screening import screen_story
from cswork_site.stories.meta import (
    StoryHeader,
    StoryRefs,
    check_story,
    pair_versions,
    read_stories,
    unique_addresses,
)
from cswork_site.stories.sanitise import clean_html, clean_story
from cswork_site.stories.video import VIDEO_FIELDS

# Below this many stories to do, starting worker processes costs more than it saves.
PARALLEL_FROM = 64


@dataclass(frozen=True)
class PreparedMarkdown:
    """A story's Markdown as Pelican's reader would convert it: the body's HTML, the raw
    metadata lines, and the HTML of the formatted fields (the summary), by their text."""
    content: str
    meta: dict[str, list[str]]
    formatted: dict[str, str]


@dataclass(frozen=True)
class MarkdownSettings:
    markdown: dict[str, Any]  # Pelican's MARKDOWN setting, as its reader completes it
    formatted_fields: tuple[str, ...]


@dataclass(frozen=True)
class StoryContext:
    site: Path
    refs: StoryRefs
    lists: WatchLists
    markdown: MarkdownSettings  # the site's, as Pelican's reader completes them
    # Where the stories are and what addresses they get (only the clash of two addresses
    # depends on it, which is found afresh each time): the default scheme unless given.
    addresses: SiteAddresses | None = None
    pictures: Path | None = None  # the pictures' cache (see output.pictures.check_image)

    @property
    def where(self) -> SiteAddresses:
        return self.addresses or SiteAddresses.default(self.site)

    def fingerprint(self) -> str:
        # The code's version is in every cache file's header.
        parts = [repr(self.site), repr(self.refs.today),
                 *(repr(sorted(ids)) if ids is not None else "None"
                   for ids in (self.refs.role_ids, self.refs.stage_ids, self.refs.value_names)),
                 repr(self.refs.languages),
                 repr(self.lists), repr(self.markdown),
                 current().code]  # the problems are written in the reader's language (--language)
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class StoryWork:
    header: StoryHeader | None
    problems: list[Problem]
    markdown: PreparedMarkdown | None = None
    depends_on: tuple[tuple[str, tuple[int, int] | None], ...] = ()  # a picture, by (size, mtime)


@dataclass
class StoriesDone:
    headers: list[StoryHeader] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    markdown: dict[str, PreparedMarkdown] = field(default_factory=dict)  # by path within the site
    studied: int = 0  # how many files were worked on, rather than taken from the cache
    unreadable: list[str] = field(default_factory=list)  # stories too broken to check: never read


def pelican_text(raw: bytes) -> str:
    """The text Pelican reads from a file: UTF-8 without a BOM, with universal newlines."""
    text = decode_text(raw, nul="never", newlines=True)
    if isinstance(text, NotText):  # parse_header refuses such a story before it gets here
        raise ValueError(f"not UTF-8 text (line {text.line})")
    return text


def convert_markdown(text: str, settings: MarkdownSettings) -> PreparedMarkdown:
    """What pelican.readers.MarkdownReader.read computes, with the formatted fields kept
    by their text so a reader can replay them. The body comes out cleaned (as Pelican's
    content hook would clean it), with its word count."""
    body, fields = _converters(settings)
    content = body.reset().convert(text)
    meta: dict[str, list[str]] = getattr(body, "Meta", {})
    formatted = {}
    for name, values in meta.items():
        if name.lower() in settings.formatted_fields:
            joined = "\n".join(values)
            # Cleaned as the body is: a summary is published in pages and feeds too.
            formatted[joined] = clean_html(fields.reset().convert(joined))
    return PreparedMarkdown(clean_story(content), meta, formatted)


_markdown: tuple[MarkdownSettings, Any, Any] | None = None


def _converters(settings: MarkdownSettings) -> tuple[Any, Any]:
    """One Markdown converter for bodies and one, without the metadata step, for formatted
    fields, made once per process: reset() between documents gives the same result as a
    new converter (Pelican makes one per file) at a fraction of the cost."""
    global _markdown
    if _markdown is None or _markdown[0] != settings:
        from markdown import Markdown

        fields = Markdown(**settings.markdown)
        fields.preprocessors.deregister("meta")
        _markdown = (settings, Markdown(**settings.markdown), fields)
    return _markdown[1], _markdown[2]


def study(shown_as: str, raw: bytes, context: StoryContext) -> StoryWork:
    """All the work on one story: check its metadata, screen it, convert its Markdown."""
    header, problems = check_story(context.site, shown_as, raw, context.refs, context.pictures)
    if header is None:
        return StoryWork(None, problems)
    text = pelican_text(raw)
    # Screened as it will be published: the HTML Pelican's reader will make of it.
    prepared = convert_markdown(text, context.markdown)
    if "lang" in prepared.meta:  # Pelican is given the language as checked: cy, not " CY "
        prepared = dataclasses.replace(prepared, meta={**prepared.meta, "lang": [header.lang]})
    header, found = screen_story(context.site, header, context.lists, text, prepared)
    if any(p.is_error for p in problems):
        # An error in one story holds back that story only; the rest of the site builds.
        header = dataclasses.replace(header, held_back=True)
    # The story's result also rests on the files it names: its picture, its video's files.
    named = ((header.meta.image,) if header.meta.image else ()) + tuple(
        getattr(header.meta, f) for f in VIDEO_FIELDS if getattr(header.meta, f))
    depends_on = tuple((path, stamp(context.site / path)) for path in named)
    return StoryWork(header, problems + found, prepared, depends_on)


def do_stories(context: StoryContext, cache: BuildCache, workers: int | None = None) -> StoriesDone:
    """Study every story in the story folders, from the cache where nothing changed."""
    site = context.site
    addresses = context.where
    stories = _Cache(site, cache.store("stories", context.fingerprint(), suffix=".pickle"))
    done = StoriesDone()
    todo: list[tuple[str, bytes]] = []
    digests: dict[str, bytes] = {}
    works: dict[str, StoryWork] = {}
    for shown_as, raw, refused in read_stories(site, addresses.story_folders):
        if raw is None:
            works[shown_as] = StoryWork(None, [refused])  # type: ignore[list-item]
            continue
        digests[shown_as] = hashlib.sha256(raw).digest()
        cached = stories.get(shown_as, digests[shown_as])
        if cached is not None:
            works[shown_as] = cached
        else:
            todo.append((shown_as, raw))
    for (shown_as, _), work in zip(todo, _run(todo, context, workers), strict=True):
        works[shown_as] = work
        stories.put(shown_as, digests[shown_as], work)
    done.studied = len(todo)
    stories.save()
    for shown_as in sorted(works):
        work = works[shown_as]
        done.problems += work.problems
        if work.header is None:
            done.unreadable.append(shown_as)
        else:
            done.headers.append(work.header)
            if work.markdown is not None:
                done.markdown[shown_as] = work.markdown
    clashes = unique_addresses(done.headers, addresses)
    clashes += [p for p in pair_versions(done.headers, context.refs.languages) if p.is_error]
    if clashes:
        # The second story to claim an address is held back, as is a version astray in
        # another year; the first keeps its address.
        clashing = {p.path for p in clashes}
        done.headers = [dataclasses.replace(h, held_back=True) if h.path in clashing else h
                        for h in done.headers]
    # Only stories still published are missing a version.
    done.problems += clashes + [p for p in pair_versions(done.headers, context.refs.languages) if not p.is_error]
    return done


# --- sharing the work among processes -------------------------------------

_context: StoryContext | None = None


def _set_context(context: StoryContext) -> None:
    global _context
    _context = context


def _study_in_worker(item: tuple[str, bytes]) -> StoryWork:
    assert _context is not None
    return study(item[0], item[1], _context)


def worker_count(todo: int, requested: int | None = None) -> int:
    """Processes to use: CSWORK_WORKERS if set, else one per core for a large batch. A
    process with other threads (the preview server) is never forked."""
    if requested is None:
        env = os.environ.get("CSWORK_WORKERS", "").strip()
        requested = int(env) if env.isdigit() else None
    if requested is None:
        requested = (os.cpu_count() or 1) if todo >= PARALLEL_FROM else 1
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(requested, todo))


def _run(todo: list[tuple[str, bytes]], context: StoryContext, workers: int | None) -> Iterable[StoryWork]:
    count = worker_count(len(todo), workers)
    if count <= 1:
        return [study(shown_as, raw, context) for shown_as, raw in todo]
    # fork: the workers start at once with everything already imported.
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                             initializer=_set_context, initargs=(context,)) as pool:
        return list(pool.map(_study_in_worker, todo, chunksize=max(1, len(todo) // (count * 8))))


# --- the cache ------------------------------------------------------------

class _Cache:
    """The work on each story file, by its content, in the build cache (stories.pickle)."""

    def __init__(self, site: Path, store: Store):
        self.site = site
        self.store = store
        self.entries: dict[str, tuple[bytes, StoryWork]] = {}
        self.changed = False
        self.old: dict[str, tuple[bytes, StoryWork]] = store.load(pickle.load) or {}

    def get(self, shown_as: str, digest: bytes) -> StoryWork | None:
        entry = self.old.get(shown_as)
        if entry is None or entry[0] != digest:
            return None
        work = entry[1]
        if any(stamp(self.site / path) != then for path, then in work.depends_on):
            return None
        self.entries[shown_as] = entry
        return work

    def put(self, shown_as: str, digest: bytes, work: StoryWork) -> None:
        self.entries[shown_as] = (digest, work)
        self.changed = True

    def save(self) -> None:
        if not self.changed and self.entries.keys() == self.old.keys():
            return
        try:
            data = pickle.dumps(self.entries, protocol=pickle.HIGHEST_PROTOCOL)
        except pickle.PicklingError:
            return
        self.store.save(data)
