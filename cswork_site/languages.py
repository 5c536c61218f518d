"""Languages: which ones there are, what each calls itself, and which one is being written.

A site declares its languages in data/service.yaml (`languages: [cy, en]`, the main one
first). A build renders the site once per language; while it renders one, `speaking(code)`
makes it the current language, which the data's two-language text, the interface
translations (translation.py) and the dates and numbers (pages/filters.py) all read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # as a site names it in service.yaml
    name: str  # its own name for itself, as messages and a language switch show it
    tag: str  # as <html lang> and hreflang give it (BCP 47)
    locale: str  # as Babel names it, for dates, numbers and money


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English", "en-GB", "en_GB"),
    "cy": Language("cy", "Cymraeg", "cy", "cy_GB"),
}
DEFAULT_LANGUAGE = "en"

_current: ContextVar[str] = ContextVar("cswork_language", default=DEFAULT_LANGUAGE)


def current() -> Language:
    """The language being written now (English outside any `speaking`)."""
    return LANGUAGES[_current.get()]


@contextmanager
def speaking(code: str) -> Iterator[Language]:
    """Everything inside is written in the language `code`."""
    token = _current.set(code)
    try:
        yield LANGUAGES[code]
    finally:
        _current.reset(token)
