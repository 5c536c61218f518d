"""Read YAML while remembering the line every key and list item came from.

PyYAML's composer gives each node a start mark; we build plain Python values from
the node tree ourselves so that every location (a tuple of keys and indexes) maps
to the line a person would look at to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import WHOLE_FILE, Problem, dotted

Loc = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed YAML file: its value, and the line of every location in it."""

    path: str  # relative to the site folder, as shown to users
    value: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """The line of loc, or of the nearest enclosing location we know."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def problem(self, loc: Loc, message: str, severity: str = "error") -> Problem:
        return Problem(self.path, self.line_of(loc), dotted(loc), message, severity)  # type: ignore[arg-type]


class _Builder:
    def __init__(self, doc: YamlDocument, loader: yaml.SafeLoader):
        self.doc = doc
        self.loader = loader
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.doc.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node)
                if isinstance(key, (list, dict)) or key is None:
                    self.problems.append(
                        Problem(self.doc.path, key_node.start_mark.line + 1, dotted(loc),
                                "keys must be plain words; found a key that is not")
                    )
                    continue
                key = key if isinstance(key, (str, int)) else str(key)
                if key in result:
                    self.problems.append(
                        Problem(self.doc.path, key_node.start_mark.line + 1, dotted(loc + (key,)),
                                f"duplicate key {key!r}; it is already set on line "
                                f"{self.doc.lines[loc + (key,)]}")
                    )
                    continue
                child = loc + (key,)
                result[key] = self.build(value_node, child)
                # A key's line is where the key is written, which is what people look for.
                self.doc.lines[child] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return self.build(node, ())
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            # e.g. 2024-13-45 matches YAML's timestamp pattern but is no date: keep the
            # text so that the schema reports it against the field, with its line.
            return node.value


def link_outside_site(file: Path, shown_as: str) -> Problem | None:
    """A problem if file is a link (or lies in a linked folder) leading out of the site folder.

    Such a file is refused, not followed: its content is not the site's to publish, and
    a link to /etc/hostname or to a copy kept elsewhere would put that file on the web.
    The site folder is where file sits once shown_as (its path inside the site) is taken
    off; a file not named by its place in the site, such as a temporary copy, is not judged.
    """
    parts = Path(shown_as).parts
    if not parts or Path(shown_as).is_absolute() or ".." in parts or file.parts[-len(parts):] != parts:
        return None
    site = file.parents[len(parts) - 1]
    try:
        inside = file.resolve().is_relative_to(site.resolve())
    except (OSError, RuntimeError):  # a loop of links: reading it reports that
        return None
    if inside:
        return None
    return Problem(shown_as, 1, WHOLE_FILE, "is a link to a file outside the site folder; copy the file in instead")


_CLoader = getattr(yaml, "CSafeLoader", None)
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def _compose(loader: Any, shown_as: str) -> tuple[YamlDocument, list[Problem]]:
    """The document a loader reads, with the line of every key (raises on bad YAML)."""
    doc = YamlDocument(shown_as, None)
    node = loader.get_single_node()
    if node is None:
        return doc, []
    builder = _Builder(doc, loader)
    doc.value = builder.build(node, ())
    return doc, builder.problems


def _load_fast(text: str, shown_as: str) -> tuple[YamlDocument, list[Problem]] | None:
    """libyaml's parser, several times faster, for a file that reads without error; for
    anything else None, and the pure-Python parser gives the messages our reports expect."""
    if _CLoader is None or _NON_PRINTABLE.search(text):
        return None
    loader = _CLoader(text)
    try:
        return _compose(loader, shown_as)
    except Exception:
        return None
    finally:
        loader.dispose()


def load_yaml(file: Path, shown_as: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML file. Returns the document (None if unreadable) and problems."""
    outside = link_outside_site(file, shown_as)
    if outside is not None:
        return None, [outside]
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return None, [Problem(shown_as, 1, WHOLE_FILE, "file is missing; expected a YAML file here")]
    except OSError as exc:
        return None, [Problem(shown_as, 1, WHOLE_FILE, f"cannot be read: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown_as, line, WHOLE_FILE,
                              "is not UTF-8 text; save it as UTF-8 (found a byte that is not)")]
    if "\x00" in text:
        return None, [Problem(shown_as, 1, WHOLE_FILE, "is a binary file; expected YAML text")]
    fast = _load_fast(text, shown_as)
    if fast is not None:
        return fast
    try:
        loader = yaml.SafeLoader(text)  # checks every character first
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [Problem(shown_as, line, WHOLE_FILE,
                              f"is not valid YAML: it holds a control character (#x{exc.character:04x}) "
                              "that YAML does not allow; delete it")]
    try:
        return _compose(loader, shown_as)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "cannot be read"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what += f" ({exc.context}, which started on line {exc.context_mark.line + 1})"
        return None, [Problem(shown_as, line, WHOLE_FILE, f"is not valid YAML: {what}")]
    except yaml.YAMLError as exc:
        first = (str(exc).splitlines() or ["cannot be read"])[0]  # a report is one line
        return None, [Problem(shown_as, 1, WHOLE_FILE, f"is not valid YAML: {first}")]
    except RecursionError:
        return None, [Problem(shown_as, 1, WHOLE_FILE, "is nested too deeply to read")]
    finally:
        loader.dispose()
