"""The interface in the current language: gettext over the catalogues in locale/.

Every .po file in `locale/<code>/LC_MESSAGES/` is read (the theme's and Python's text in
cswork.po, the check's messages in messages.po) and compiled in memory with Babel, once
per process: there is no .mo file to forget to rebuild. English is the source language,
so it needs no catalogue. A message with no translation is shown in English.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment

from cswork_site.languages import current

LOCALE = Path(__file__).resolve().parent / "locale"


def catalogues(code: str) -> list[Path]:
    """The catalogue files of one language, in a stable order."""
    return sorted((LOCALE / code / "LC_MESSAGES").glob("*.po"))


@functools.cache
def translations(code: str) -> NullTranslations:
    merged: NullTranslations | None = None
    for path in catalogues(code):
        with path.open("rb") as po:
            catalogue = read_po(po, locale=code)
        compiled = io.BytesIO()
        write_mo(compiled, catalogue)  # fuzzy entries are left out, as msgfmt does
        compiled.seek(0)
        one = Translations(compiled)
        merged = one if merged is None else merged.merge(one)  # type: ignore[attr-defined]
    return merged if merged is not None else NullTranslations()


def _translated(message: str) -> str:
    return translations(current().code).gettext(message)


def _translated_plural(singular: str, plural: str, n: int) -> str:
    return translations(current().code).ngettext(singular, plural, n)


def gettext(message: str, **values: object) -> str:
    """`message` in the current language, with `values` put in its %(name)s places."""
    text = _translated(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """The singular or plural form for `n` in the current language (Welsh has six)."""
    return _translated_plural(singular, plural, n) % {"num": n, **values}


def install(env: Environment) -> None:
    """Give a Jinja environment `_`, `gettext` and `ngettext` in the current language.
    Jinja's newstyle gettext puts the values in itself (escaping them), so it is given
    the untouched translation; the language is read at each call, so one install serves
    every language a build renders."""
    env.install_gettext_callables(_translated, _translated_plural, newstyle=True)  # type: ignore[attr-defined]
