"""Every private attribute of Pelican's that cswork still uses, in one place, with why.

No other module touches one (tests/test_architecture.py checks it), so a Pelican release
that changes one breaks here, where the reason is written down. Each was kept because
Pelican has no public way to do the same; see docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PRIVATE: dict[str, str] = {
    "Content._content": "the story's HTML is replaced, once, by the HTML nh3 cleaned; Pelican has "
                        "no setter for a content object's HTML",
    "Content._summary": "the summary is cleaned the same way; Pelican copies _summary back over "
                        "metadata['summary'] when it refreshes links, so both must hold the clean text",
    "Generator._cache": "the story cache keeps only the objects this build used, and saves them in "
                        "two files (all, and changes); Pelican's save_cache pickles the whole dict",
    "Generator._cache_data_policy": "turns the generator's content cache on without Pelican's "
                                    "CACHE_CONTENT, whose loading and saving cswork replaces",
    "Generator._filestamp_func": "a story's stamp is the hash of its bytes that the check already "
                                 "took, so no file is read twice (Pelican offers mtime or rehashing)",
    "Writer._open_w": "the reusing writer notes every file Pelican opens, feeds included, and breaks "
                      "a link to the last build before anything is written into it",
    "Writer._written_files": "a page taken from the last build counts as written, so Pelican still "
                             "refuses a second page at the same address",
}


def set_html(content: Any, html: str) -> None:
    content._content = html


def html_of(content: Any) -> str | None:
    return getattr(content, "_content", None)


def set_summary(content: Any, summary: str) -> None:
    content.metadata["summary"] = content._summary = summary


def use_story_cache(generator: Any, stamp: Callable[[str], str | None], entries: dict[str, Any],
                    save: Callable[[], None]) -> None:
    generator._filestamp_func = stamp
    generator._cache_data_policy = True
    generator._cache = entries
    generator.save_cache = save


def cached_entries(generator: Any) -> dict[str, Any]:
    return generator._cache


def count_as_written(writer: Any, paths: set[str]) -> None:
    writer._written_files.update(paths)
