"""Pelican's Markdown reader, taking a story's Markdown already converted when there is
one (converted in parallel, or kept from the last build) instead of converting it again."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from pelican.readers import MarkdownReader

from .storywork import MarkdownSettings, PreparedMarkdown


def markdown_settings(settings: dict[str, Any]) -> MarkdownSettings:
    """The Markdown options exactly as Pelican's reader completes them."""
    own = {**settings, "MARKDOWN": copy.deepcopy(settings["MARKDOWN"])}
    reader = MarkdownReader(own)
    return MarkdownSettings(reader.settings["MARKDOWN"], tuple(settings["FORMATTED_FIELDS"]))


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
        from .generators.data_pages import site_folder

        data = self.settings.get("CSWORK_DATA")
        if data is None:
            return None
        site = site_folder(self.settings)
        try:
            key = Path(source_path).relative_to(site).as_posix()
        except ValueError:
            return None
        # Taken once: Pelican keeps the HTML from here on, so ours can be let go.
        return data.story_markdown.pop(key, None)

    def read(self, source_path):
        prepared = self._prepared(source_path)
        if prepared is None:
            return super().read(source_path)
        self._source_path = source_path
        self._md = _Replay(prepared.formatted)
        # Pelican's own metadata handling, so the result is the same as converting here.
        return prepared.content, self._parse_metadata(prepared.meta)


def use_prepared_markdown(readers) -> None:
    for ext, cls in list(readers.reader_classes.items()):
        if cls is MarkdownReader:
            readers.reader_classes[ext] = PreparedMarkdownReader
