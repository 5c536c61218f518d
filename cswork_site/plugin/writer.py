"""Pelican's writer, which first looks for each page in the last build (see output/reuse.py)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.utils import sanitised_join
from pelican.writers import Writer

from cswork_site.plugin import internals, session
from cswork_site.output.reuse import PageReuse


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
        build = session.current()
        self._reuse: PageReuse | None = build.reuse if build is not None else None
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
            internals.count_as_written(self, paths)
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
