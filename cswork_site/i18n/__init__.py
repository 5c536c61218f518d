"""Languages: which ones a site is written in, and which one the work at hand is in.

A site declares its languages in data/service.yaml (`languages: [cy, en]`, the main one
first). A build renders the site once per language; while it renders one, `current()` is
that language, and the interface text, dates and numbers (catalogue.py, formats.py) and the
data's text in both languages (`{en: ..., cy: ...}`) are taken in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # as a site names it in service.yaml and a story in its Lang: line
    tag: str  # the BCP 47 tag for <html lang>, lang="..." and hreflang
    name: str  # its own name for itself, as the language switch shows it
    locale: str  # Babel's locale, for dates, numbers and money


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en-GB", "English", "en_GB"),
    "cy": Language("cy", "cy", "Cymraeg", "cy_GB"),
}
DEFAULT_LANGUAGE = "en"

_current: ContextVar[str] = ContextVar("cswork_language", default=DEFAULT_LANGUAGE)


def language(code: str) -> Language:
    return LANGUAGES[code]


def current() -> str:
    """The language being rendered or told (a code of LANGUAGES)."""
    return _current.get()


@contextmanager
def using(code: str) -> Iterator[str]:
    """Render or tell what follows in the language code."""
    if code not in LANGUAGES:
        raise ValueError(f"no such language: {code!r}")
    token = _current.set(code)
    try:
        yield code
    finally:
        _current.reset(token)
