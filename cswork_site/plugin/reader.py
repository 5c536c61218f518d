"""Pelican's Markdown reader, taking a story's Markdown already converted when there is
one (converted in parallel, or kept from the last build) instead of converting it again."""

from __future__ import annotations

import copy
import re
from typing import Any

from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime

from cswork_site.languages import LANGUAGES
from cswork_site.plugin import session
from cswork_site.stories.work import MarkdownSettings, PreparedMarkdown


def markdown_settings(settings: dict[str, Any]) -> MarkdownSettings:
    """The Markdown options exactly as Pelican's reader completes them."""
    own = {**settings, "MARKDOWN": copy.deepcopy(settings["MARKDOWN"])}
    reader = MarkdownReader(own)
    return MarkdownSettings(reader.settings["MARKDOWN"], tuple(settings["FORMATTED_FIELDS"]))


def _story_fields() -> frozenset[str]:
    from cswork_site.stories.meta import StoryMeta

    return frozenset(StoryMeta.model_fields)


_STORY_FIELDS = _story_fields()
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class _Replay:
    """Stands in for the Markdown converter while Pelican's reader formats metadata."""

    class _Steps:
        def deregister(self, _name: str) -> None:
            pass

    def __init__(self, formatted: dict[str, str]):
        self.preprocessors = self._Steps()
        self._formatted = formatted

    def reset(self) -> _Replay:
        return self

    def convert(self, text: str) -> str:
        return self._formatted[text]


class PreparedMarkdownReader(MarkdownReader):
    def _prepared(self, source_path: str) -> PreparedMarkdown | None:
        build = session.current()
        key = build.site_key(source_path) if build is not None else None
        if build is None or key is None:
            return None
        # Taken once (by the last language's run): Pelican keeps the HTML from here on, so
        # ours can be let go.
        if build.last_run:
            return build.data.story_markdown.pop(key, None)
        return build.data.story_markdown.get(key)

    def process_metadata(self, name, value):
        # Every story's Date line is a plain ISO day (and Pelican reads one from each story's
        # file name): read it directly, not through dateutil's general parser. The result
        # is the same; anything else goes the general way.
        if name in ("date", "modified") and isinstance(value, str):
            day = _ISO_DAY.fullmatch(value)
            if day is not None:
                try:
                    return SafeDatetime(*map(int, day.groups()))
                except ValueError:
                    pass
        return super().process_metadata(name, value)

    def read(self, source_path):
        prepared = self._prepared(source_path)
        build = session.current()
        if prepared is None or build is None:
            return super().read(source_path)
        self._source_path = source_path
        self._md = _Replay(prepared.formatted)
        # Pelican's own metadata handling, so the result is the same as converting here;
        # given only the lines the check knows and checked. Any other line (Save_as, Url,
        # Template, Author, a misspelt key) is never acted on: Pelican would set it as an
        # attribute of the story, and could write the page somewhere else or name someone.
        known = {k: v for k, v in prepared.meta.items() if k.lower().replace("-", "_") in _STORY_FIELDS}
        metadata = self._parse_metadata(known)
        # The story's language as the check read it (a story that names none is in the
        # site's main one, whichever language's run reads it: Pelican would take the run's
        # own), as the tag that Pelican's DEFAULT_LANG is given, lower-cased as Pelican
        # compares them (cy, en-gb), however its Lang line is written.
        header = build.data.stories.get(build.site_key(source_path) or "")
        if header is not None:
            tag = LANGUAGES[header.lang].tag.lower()
            if "lang" in metadata or tag != str(self.settings.get("DEFAULT_LANG", "")).lower():
                metadata["lang"] = tag
        return prepared.content, metadata


def use_prepared_markdown(readers) -> None:
    for ext, cls in list(readers.reader_classes.items()):
        if cls is MarkdownReader:
            readers.reader_classes[ext] = PreparedMarkdownReader
