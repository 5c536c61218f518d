"""Pelican's writer, which first looks for each page in the last build (see output/reuse.py)."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.utils import sanitised_join
from pelican.writers import Writer

from cswork_site.output.reuse import PageReuse
from cswork_site.plugin import internals, reads, session
from cswork_site.plugin.generator import PageSpec


def _listing_digest(context: dict[str, Any]) -> str:
    """What any list can show of the stories: which there are, and their metadata."""
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
    """Pelican's writer, which first looks for the page in the last build. A page's key
    holds everything its rendering read (plugin/reads.py): its own story, each other story
    it read (the metadata or the text, as it read them) and, when it can show a list of
    stories, which stories there are and their metadata."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._build = session.current()
        self._reuse: PageReuse | None = self._build.reuse if self._build is not None else None
        self._listing: str | None = None
        self._story_lists: frozenset[str] | None = None
        self._names = reads.TemplateNames()
        self._linked: set[str] = set()  # files shared with the last build: never written into
        # Pages are known by their path from the root of the whole output: each language's
        # run writes into its own folder of it (cy/), with the same names as the others.
        self._root = self._reuse.output if self._reuse is not None else output_path
        folder = os.path.relpath(output_path, self._root)
        self._folder = "" if folder == "." else folder + "/"

    def _open_w(self, filename, encoding, override=False):
        if filename in self._linked:  # an allowed overwrite: break the link first
            os.unlink(filename)
            self._linked.discard(filename)
        handle = super()._open_w(filename, encoding, override)
        if self._reuse is not None:
            self._reuse.written.append(os.path.relpath(filename, self._root))
        return handle

    def _story(self, key: str, kind: str) -> str:
        """What a page read of one story, as it is in this build."""
        header = self._build.data.stories.get(key) if self._build is not None else None
        if header is None:
            return "gone"
        return header.digest if kind == "text" else header.meta_digest

    def _key(self, reuse: PageReuse, name: str, template, context: dict[str, Any], kwargs: dict[str, Any],
             read: list[list[str]], lists: bool, data: list[str]) -> str:
        parts = [reuse.inputs, name, getattr(template, "name", str(template)), str(kwargs.get("relative_urls"))]
        # The main navigation is on every page, and some of its links follow from which data
        # files are in use (applying, teams): a page reused with an old one would link to nothing.
        parts.append(repr(context.get("pages_nav")))
        parts += [f"{file} {reuse.data.get(file, 'absent')}" for file in data]
        article = kwargs.get("article")
        if isinstance(article, Article):
            own = (self._build.site_key(article.source_path) if self._build else None) or article.source_path
            parts.append(f"{self._story(own, 'text')} {article.status}")
        if lists:
            if self._listing is None:
                self._listing = _listing_digest(context)
            parts.append(self._listing)
        for key, kind in read:
            parts.append(f"{key} {kind} {self._story(key, kind)}")
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def _shows_lists(self, template, context: dict[str, Any], kwargs: dict[str, Any]) -> bool:
        """Whether the page can show a list of stories (all pages but a story's own, to be safe,
        unless the template names no list of them)."""
        if not isinstance(kwargs.get("article"), Article):
            return True
        env = getattr(template, "environment", None)
        names = self._names.of(env, template.name) if env is not None and template.name else None
        if names is None:
            return True
        if self._story_lists is None:
            self._story_lists = reads.story_lists(context)
        return bool(names & (self._story_lists | reads.story_lists(kwargs)))

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        if self._reuse is None or not name:
            return super().write_file(name, template, context, relative_urls, paginated,
                                      template_name, override_output, url, **kwargs)
        written = self._folder + name  # as the reuse knows it
        extra = {**kwargs, "relative_urls": relative_urls}
        lists = self._shows_lists(template, context, kwargs)
        last = self._reuse.reads_of(written)
        files = None
        if last is not None:  # what it read last time, as it is now
            last_read, last_lists, last_data = last
            files = self._reuse.reuse(written, self._key(self._reuse, written, template, context, extra, last_read,
                                                         lists or last_lists, last_data))
        if files is not None:
            paths = {sanitised_join(self._root, f) for f in files}
            internals.count_as_written(self, paths)
            self._linked.update(paths)
            for path in sorted(paths):  # in place, as if written: for search and other plugins
                signals.content_written.send(path, context={**context, **kwargs})
            return None
        if not paginated:  # the one folder it writes in, from the spare if it can
            path = sanitised_join(self.output_path, name)
            self._reuse.folders.make(os.path.relpath(os.path.dirname(path), self._root))
        env = getattr(template, "environment", None)
        if env is not None and self._build is not None:
            reads.record_in(env, self._build.site_key)
        mark = len(self._reuse.written)
        found, token = reads.start()
        try:
            result = super().write_file(name, template, context, relative_urls, paginated,
                                        template_name, override_output, url, **kwargs)
        finally:
            reads.stop(token)
        own = kwargs.get("article")
        own_key = self._build.site_key(own.source_path) if isinstance(own, Article) and self._build else None
        read = sorted([key, kind] for key, kind in found.stories.items() if key != own_key)
        lists = lists or found.all_stories or bool(read)
        if lists:  # the metadata of every story is in the key already
            read = [entry for entry in read if entry[1] == "text"]
        # A page drawn from the data shows what the generator made of all of it.
        data = sorted(reads.TRACKED if isinstance(kwargs.get("page"), PageSpec) else found.data | reads.EVERY_PAGE)
        produced = sorted(set(self._reuse.written[mark:]))
        self._reuse.record(written, produced, self._key(self._reuse, written, template, context, extra, read, lists,
                                                         data), read, lists, data)
        return result
