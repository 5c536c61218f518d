"""The interface's messages, found in the source, and the catalogue that translates them.

Every message the theme's templates (`_()`, `ngettext()`, `{% trans %}`) and the package's
Python (`_()`, `gettext()`, `ngettext()`) pass through gettext is extracted with Babel,
and new ones are merged into `locale/<code>/LC_MESSAGES/cswork.po`: a maintainer never
types a msgid by hand, only its translation. A message that another catalogue in the
same folder already holds (messages.po) is left to that one.

    python -m cswork_site.catalogue            # list what is not translated yet
    python -m cswork_site.catalogue --update   # add new messages to every language's cswork.po
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from cswork_site.languages import DEFAULT_LANGUAGE, LANGUAGES
from cswork_site.settings import JINJA_ENVIRONMENT
from cswork_site.translation import LOCALE, catalogues

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "theme" / "templates"
CATALOGUE = "cswork.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
# Extracted as the build compiles them: the same extension and whitespace control.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true",
                 "trim_blocks": str(JINJA_ENVIRONMENT["trim_blocks"]).lower(),
                 "lstrip_blocks": str(JINJA_ENVIRONMENT["lstrip_blocks"]).lower()}
# Each language's plural rule, as its catalogue's header gives it.
PLURAL_FORMS = {
    "cy": "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;",
}


@dataclass(frozen=True)
class Message:
    msgid: str | tuple[str, ...]  # a pair for a message with a plural
    where: tuple[str, int]  # file (relative to the package) and line, for the catalogue's comments


def _found(folder: Path, method: str, options: dict[str, str], prefix: str) -> Iterator[Message]:
    pattern = "**.html" if method == "jinja2" else "**.py"
    methods = [(pattern, "jinja2.ext.babel_extract" if method == "jinja2" else "python")]
    for filename, line, message, _comments, _context in extract_from_dir(
            str(folder), methods, options_map={pattern: options}, keywords=KEYWORDS, strip_comment_tags=True):
        yield Message(message, (f"{prefix}{filename}", line))


def templates_messages(folder: Path = TEMPLATES) -> list[Message]:
    """The messages of every template in `folder`."""
    return list(_found(folder, "jinja2", JINJA_OPTIONS, "theme/templates/" if folder == TEMPLATES else ""))


def python_messages(folder: Path = PACKAGE) -> list[Message]:
    return list(_found(folder, "python", {}, ""))


def all_messages() -> list[Message]:
    return templates_messages() + python_messages()


def _template(messages: list[Message], code: str) -> Catalog:
    template = Catalog(locale=code, project="cswork_site", domain="cswork")
    for m in messages:
        template.add(m.msgid, locations=[m.where], flags=["python-format"] if "%" in str(m.msgid) else [])
    return template


def read(path: Path, code: str) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=code)


def held_elsewhere(code: str, own: Path) -> set[str]:
    """The msgids the language's other catalogues (messages.po) translate."""
    held: set[str] = set()
    for path in sorted(own.parent.glob("*.po")):
        if path != own:
            held |= {m.id if isinstance(m.id, str) else m.id[0] for m in read(path, code) if m.id}
    return held


def update(code: str, messages: list[Message] | None = None, locale: Path = LOCALE) -> Path:
    """Merge the source's messages into the language's cswork.po: new ones are added with
    no translation, gone ones are dropped, translations are kept."""
    path = locale / code / "LC_MESSAGES" / CATALOGUE
    found = all_messages() if messages is None else messages
    held = held_elsewhere(code, path)
    template = _template([m for m in found if (m.msgid if isinstance(m.msgid, str) else m.msgid[0]) not in held], code)
    catalogue = read(path, code) if path.is_file() else Catalog(locale=code, project="cswork_site", domain="cswork")
    created = catalogue.creation_date
    catalogue.update(template, no_fuzzy_matching=True)
    catalogue.creation_date = created  # unchanged by an update, so a run with nothing new changes nothing
    # A fuzzy header would be dropped when the catalogue is compiled, and its plural rule with it.
    catalogue.fuzzy = False
    catalogue.obsolete.clear()  # the history is in git
    if code in PLURAL_FORMS:
        catalogue.mime_headers = [("Plural-Forms", PLURAL_FORMS[code])]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalogue, width=100, sort_output=False, omit_header=False, include_previous=False)
    return path


def untranslated(code: str) -> list[str]:
    """The source's msgids with no translation, in no catalogue of the language."""
    done: set[str] = set()
    for path in catalogues(code):
        for m in read(path, code):
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            if m.id and not m.fuzzy and all(strings):
                done.add(m.id if isinstance(m.id, str) else m.id[0])
    ids = [m.msgid if isinstance(m.msgid, str) else m.msgid[0] for m in all_messages()]
    return sorted(set(ids) - done)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cswork_site.catalogue", description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="add the source's new messages to each cswork.po")
    args = parser.parse_args(argv)
    codes = [c for c in LANGUAGES if c != DEFAULT_LANGUAGE]
    if args.update:
        messages = all_messages()
        for code in codes:
            print(f"updated {update(code, messages).relative_to(PACKAGE.parent)}")
    missing = {code: untranslated(code) for code in codes}
    for code, ids in missing.items():
        for msgid in ids:
            print(f"{code}: not translated: {msgid}")
    return 1 if any(missing.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
