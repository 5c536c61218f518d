"""Languages: which ones there are, and what each is called and tagged.

A site declares its languages in data/service.yaml (`languages: [cy, en]`, the main one
first). This version writes the English pages only, and says so when Welsh is listed
(data/crosscheck.py); the Welsh build will render the site once per language from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # as a site names it in service.yaml
    tag: str  # the BCP 47 tag for <html lang>, lang="..." and hreflang
    name: str  # its own name for itself, as a language switch shows it
    locale: str  # Babel's locale, for dates, numbers and money


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en-GB", "English", "en_GB"),
    "cy": Language("cy", "cy", "Cymraeg", "cy_GB"),
}
DEFAULT_LANGUAGE = "en"


def language(code: str) -> Language:
    return LANGUAGES[code]
