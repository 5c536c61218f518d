"""Languages: which ones there are, and what each calls itself.

A site declares its languages in data/service.yaml (`languages: [cy, en]`, the main one
first). This version writes the English pages only, and says so when Welsh is listed
(data/crosscheck.py); the Welsh build will render the site once per language from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # as a site names it in service.yaml
    name: str  # its own name for itself, as messages and a language switch show it


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English"),
    "cy": Language("cy", "Cymraeg"),
}
DEFAULT_LANGUAGE = "en"
