"""Problems found in a site's data or content, and how they are reported.

Every problem is one line, ``PATH:LINE: FIELD: MESSAGE``; warnings carry ``warning:``
and notes ``note:`` at the start of the message so that all kinds sort and read alike.

- an error stops the build when it is in a data file or the settings (every page would be
  wrong); in a story it holds back that story only;
- a warning is something to fix, such as a safeguarding finding that holds an item back;
- a note is how things are and nothing to fix, such as a draft waiting for consent.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

Severity = Literal["error", "warning", "note"]

# FIELD used when a problem concerns a whole file rather than one key in it.
WHOLE_FILE = "(file)"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        field = _escaped(self.field, keep_spaces=False)
        return f"{self.path}:{self.line}: {field}: {prefix}{_escaped(self.message, keep_spaces=True)}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def is_note(self) -> bool:
        return self.severity == "note"

    @property
    def holds_back_one_item(self) -> bool:
        """An error in a story (or in another file under content/): the story is held back
        and the rest of the site builds."""
        return self.is_error and self.path.startswith("content/")


def _escaped(text: str, keep_spaces: bool) -> str:
    """text with every character that could break the one-line form written as an escape
    such as \\u2028: line breaks and other invisible or direction-changing characters (a
    key a person typed by mistake may hold them), and in FIELD, which never has spaces,
    the space too."""
    if text.isprintable() and (keep_spaces or " " not in text):
        return text
    return "".join(c if c.isprintable() and (keep_spaces or c != " ")
                   else f"\\x{ord(c):02x}" if ord(c) < 0x100
                   else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in text)


class InputError(Exception):
    """Bad input that is not about one field of one file: one line for the user, exit 2."""


class ProblemsFound(Exception):
    """Raised when input is bad; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def stopping(problems: Iterable[Problem]) -> list[Problem]:
    """The errors that stop a build: all but those that hold back one story."""
    return [p for p in problems if p.is_error and not p.holds_back_one_item]


def to_fix(problems: Iterable[Problem]) -> list[Problem]:
    """Errors and warnings: what `cswork check` exits 1 for (notes are not)."""
    return [p for p in problems if not p.is_note]


def dotted(loc: Iterable[str | int]) -> str:
    """Turn a location such as ('roles', 2, 'pay', 'max') into 'roles[2].pay.max'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or WHOLE_FILE


def describe(value: object, limit: int = 60) -> str:
    """A short, readable rendering of a value the user wrote, for 'found ...'."""
    if isinstance(value, dict):
        return "a mapping of keys" if value else "an empty mapping"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------
# Wording shared by many checks: a name met twice, a name that is nearly a known one

K = TypeVar("K", bound=Hashable)
W = TypeVar("W")


class FirstSeen(Generic[K, W]):
    """Where each key was first seen, for a check that meets keys one at a time."""

    def __init__(self) -> None:
        self._first: dict[K, W] = {}

    def before(self, key: K, where: W) -> W | None:
        """Where key was first seen, if it was seen before; else None, and key is noted as
        first seen here."""
        if key in self._first:
            return self._first[key]
        self._first[key] = where
        return None


def repeats(keys: Iterable[tuple[K, W]]) -> Iterator[tuple[K, W, W]]:
    """(key, where, where it was first) for each key, of (key, where) pairs, that was
    already seen: what a duplicate-id check words as its problem."""
    seen: FirstSeen[K, W] = FirstSeen()
    for key, where in keys:
        first = seen.before(key, where)
        if first is not None:
            yield key, where, first


def closest(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known word that word most looks like (by difflib), if any is close enough."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """"did you mean 'x'?" for the known word that word most looks like, if any."""
    match = closest(word, known, cutoff)
    return f"did you mean {match!r}?" if match is not None else None
