"""What the rest of cswork takes from Pelican, all through this one module, so that only
the plugin package imports Pelican (see docs/architecture.md)."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any


def pelican_version() -> str:
    return version("pelican")


def slugify_title(text: str) -> str:
    """A story's slug exactly as Pelican makes it from the title with default settings."""
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    return slugify(text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def slugify(text: str, regex_subs: Any, preserve_case: bool = False, use_unicode: bool = False) -> str:
    from pelican.utils import slugify as pelican_slugify

    return pelican_slugify(text, regex_subs=regex_subs, preserve_case=preserve_case, use_unicode=use_unicode)


def split_list(value: str) -> list[str]:
    """A list metadata line (Tags) split as Pelican splits it: on semicolons if there are
    any, else on commas."""
    from pelican.readers import ensure_metadata_list

    return ensure_metadata_list(value)


def read_extensions() -> set[str]:
    """The file extensions Pelican reads as content with its own readers."""
    from pelican.readers import HTMLReader, MarkdownReader, RstReader

    return {ext for reader in (MarkdownReader, HTMLReader, RstReader) for ext in reader.file_extensions}


def read_settings(path: str | None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    from pelican.settings import read_settings as pelican_read_settings

    return pelican_read_settings(path, override=overrides or {})


def run_pelican(settings: dict[str, Any]) -> None:
    from pelican import Pelican

    Pelican(settings).run()
