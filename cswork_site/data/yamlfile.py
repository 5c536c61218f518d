"""Read YAML while remembering the line every key and list item came from.

PyYAML's composer gives each node a start mark; we build plain Python values from
the node tree ourselves so that every location (a tuple of keys and indexes) maps
to the line a person would look at to fix it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from cswork_site.files import NotText, decode_text
from cswork_site.problems import WHOLE_FILE, Problem, dotted, repeats

Loc = tuple[str | int, ...]

# Bounds that keep reading one data file quick, whatever is in it. The demo's biggest data
# file is 15 kB with about a thousand values, nested six levels deep: these are far above
# anything real data needs, and far below what would make a build hang or run out of memory.
MAX_DATA_FILE_BYTES = 1_000_000  # a YAML data file; a file is checked before it is read
MAX_DEPTH = 100  # lists and mappings inside each other
MAX_ALIASES = 10_000  # uses of YAML aliases (*name) in one file
MAX_VALUES = 1_000_000  # values once every alias is written out (a "billion laughs" file has 10**9)


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

    def duplicate_ids(self, listname: str, ids: Iterable[str]) -> list[Problem]:
        """A problem at each item of the list listname whose id an item before it has."""
        return [self.problem((listname, i, "id"), f"duplicate id {ident!r}; {listname}[{first}] already uses it")
                for ident, i, first in repeats((ident, i) for i, ident in enumerate(ids))]


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
        except Exception:  # noqa: BLE001 - PyYAML's own constructors fail in many ways
            # e.g. 2024-13-45 matches YAML's timestamp pattern but is no date, and an empty
            # `!!float` or `!!bool` fails inside PyYAML with IndexError or KeyError: keep the
            # text so that the schema reports it against the field, with its line.
            return node.value


def _outside_site(file: Path, shown_as: str) -> Problem | None:
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
    except (OSError, RuntimeError):  # a loop of links: refused_file reports that
        return None
    if inside:
        return None
    return Problem(shown_as, 1, WHOLE_FILE, "is a link to a file outside the site folder; copy the file in instead")


def _kind_of_file(shown_as: str) -> str:
    suffix = Path(shown_as).suffix.lower()
    return {".yaml": "a YAML file", ".yml": "a YAML file", ".csv": "a CSV file",
            ".md": "a Markdown file"}.get(suffix, "a file")


def refused_file(file: Path, shown_as: str) -> Problem | None:
    """Why the data file at file must not be read, or None when it is an ordinary file in
    the site folder, or when nothing at all is there (``os.path.lexists`` tells which).

    The one check every data file goes through before it is opened: a link to nothing, a
    loop of links, a folder, a named pipe (opening one would wait for ever for a writer),
    a device or socket, or a link out of the site folder. ``os.stat`` looks at what is
    there without opening it. Each is reported rather than passed over, so a file never
    drops out of a build unnoticed.
    """
    expected = _kind_of_file(shown_as)
    kind, detail = what_is_there(file)
    if kind == "absent":
        return None  # nothing there: the caller says whether that is fine
    if kind == "dangling":
        return Problem(shown_as, 1, WHOLE_FILE,
                       f"is a link to {detail!r}, which does not exist, so the file cannot be read; "
                       f"put {expected} here, or make the link point to one")
    if kind == "loop":
        return Problem(shown_as, 1, WHOLE_FILE,
                       "is a link that leads round in a loop (to itself, or through other links back "
                       f"to itself), so the file cannot be read; replace the link with {expected}")
    if kind == "error":
        return Problem(shown_as, 1, WHOLE_FILE, f"cannot be read: {detail}")
    outside = _outside_site(file, shown_as)
    if outside is not None:
        return outside
    if kind == "file":
        return None
    found = {"folder": "a folder", "pipe": "a named pipe (FIFO)", "socket": "a socket"}.get(kind, "a device")
    return Problem(shown_as, 1, WHOLE_FILE, f"is {found}, not a file, so it cannot be read; "
                                            f"put {expected} here instead")


def what_is_there(path: Path) -> tuple[str, str]:
    """What is at path, looked at with os.stat without opening it (opening a named pipe
    would wait for ever): "file", "absent", "dangling" (a link to nothing; detail: its
    target), "loop", "folder", "pipe", "socket", "device", or "error" (detail: why)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if not os.path.islink(path):
            return "absent", ""
        try:
            return "dangling", os.readlink(path)
        except OSError:
            return "dangling", "?"
    except NotADirectoryError:
        return "absent", ""  # a file on the way: nothing can be there
    except OSError as exc:
        return ("loop", "") if exc.errno == errno.ELOOP else ("error", str(exc.strerror or exc))
    if stat.S_ISREG(mode):
        return "file", ""
    if stat.S_ISDIR(mode):
        return "folder", ""
    if stat.S_ISFIFO(mode):
        return "pipe", ""
    return ("socket", "") if stat.S_ISSOCK(mode) else ("device", "")


def _size(n: int) -> str:
    """n bytes as people read a file size: 52.4 MB, 1 MB, 900 kB."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def too_big(shown_as: str, size: int | None, limit: int) -> Problem:
    """The problem of a data file bigger than limit bytes (size None: it grew while read)."""
    most = f"the {limit:,} bytes ({_size(limit)}) {_kind_of_file(shown_as)} may be"
    found = f"is {size:,} bytes ({_size(size)}), more than {most}" if size is not None else \
        f"grew past {most} while it was being read"
    return Problem(shown_as, 1, WHOLE_FILE, f"{found}, so it is not read; check that this is the right "
                                            "file, and keep in it only what the site needs")


def read_data_file(file: Path, shown_as: str, limit: int = MAX_DATA_FILE_BYTES
                   ) -> tuple[bytes | None, Problem | None]:
    """The bytes of the data file at file, or why it cannot be read; (None, None) when
    nothing is there. Opened without waiting (a pipe put there after the check cannot
    block), and its type checked again on the open file. A file of more than limit bytes
    is refused before it is read (and one that grows past it while read), so a 50 MB file
    put there by mistake never slows a build down or fills the memory."""
    refused = refused_file(file, shown_as)
    if refused is not None:
        return None, refused
    if not os.path.lexists(file):
        return None, None
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None, None
    except PermissionError:
        return None, Problem(shown_as, 1, WHOLE_FILE,
                             "cannot be read: permission denied; give the account that runs cswork "
                             f"permission to read it (on Linux or macOS: chmod a+r {shown_as})")
    except OSError as exc:
        return None, Problem(shown_as, 1, WHOLE_FILE, f"cannot be read: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, Problem(shown_as, 1, WHOLE_FILE, "changed while it was being read and is no longer "
                                                          f"a file; put {_kind_of_file(shown_as)} here")
        if info.st_size > limit:
            return None, too_big(shown_as, info.st_size, limit)
        chunks, total = [], 0
        with os.fdopen(fd, "rb", closefd=False) as f:
            while total <= limit:  # one read of limit bytes would set aside that much memory
                chunk = f.read(min(max(info.st_size + 1, 1 << 16), limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        if total > limit:
            return None, too_big(shown_as, None, limit)
        return b"".join(chunks), None
    except OSError as exc:
        return None, Problem(shown_as, 1, WHOLE_FILE, f"cannot be read: {exc.strerror or exc}")
    finally:
        os.close(fd)


_CLoader = getattr(yaml, "CSafeLoader", None)
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_COUNT_CAP = 10**15  # counts of values stop here: a bomb's true count can have thousands of digits


class _Refused(Exception):
    """A file that is read no further: why, and the line to look at."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _too_deep(line: int) -> _Refused:
    return _Refused(line, f"nests more than {MAX_DEPTH} levels deep (lists and mappings inside each other), "
                          "so it is not read; data for this site needs a few levels at most: check the "
                          "brackets [ ] and { } and the indentation from this line on")


class _GuardedLoader(yaml.SafeLoader):
    """The pure-Python loader, stopping at MAX_DEPTH levels instead of recursing until
    Python gives up (its composer calls itself once for every level)."""

    _levels = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        if self._levels >= MAX_DEPTH:
            raise _too_deep(self.peek_event().start_mark.line + 1)
        self._levels += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._levels -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


def _check_shape(root: yaml.Node) -> None:
    """Raise _Refused for a node tree that would take for ever, or too deep a recursion, to
    turn into values: aliases (*name) that stand for a billion values, an alias inside the
    value it names, more than MAX_DEPTH levels once aliases are written out.

    The composer keeps one node per anchor (&name) and gives every alias that same node, so
    the tree is small even when what it stands for is not: one walk over it, never into a
    node twice and without recursion, counts what building the values would meet."""
    if not isinstance(root, yaml.CollectionNode):
        return
    done: dict[int, tuple[int, int]] = {}  # node -> (values it stands for, levels it holds)
    open_: set[int] = {id(root)}
    aliases = 0
    first_too_big: int | None = None
    # Each frame: node, its children, next child, values so far, deepest child so far, level.
    stack: list[list[Any]] = [[root, _children(root), 0, 1, 0, 1]]
    while stack:
        frame = stack[-1]
        node, kids, i, level = frame[0], frame[1], frame[2], frame[5]
        if i < len(kids):
            frame[2] = i + 1
            kid = kids[i]
            key = id(kid)
            seen = done.get(key)
            if seen is not None:  # an alias of a value read before
                aliases += 1
                if aliases > MAX_ALIASES:
                    where = kids[i - 1] if isinstance(node, yaml.MappingNode) and i % 2 else node
                    raise _Refused(where.start_mark.line + 1,
                                   f"uses YAML aliases (*name) more than {MAX_ALIASES:,} times, so it is "
                                   "refused (a file with so many can take for ever to read); write the values "
                                   "out instead of repeating them with aliases")
                if level + seen[1] > MAX_DEPTH:
                    raise _too_deep(kid.start_mark.line + 1)
                frame[3] = min(frame[3] + seen[0], _COUNT_CAP)
                frame[4] = max(frame[4], seen[1])
                continue
            if key in open_:
                raise _Refused(kid.start_mark.line + 1,
                               "uses a YAML alias (*name) inside the very value it names, so the value "
                               "would never end; refused: write the value out instead of the alias")
            if not isinstance(kid, yaml.CollectionNode):
                done[key] = (1, 0)
                frame[3] += 1
                continue
            if level >= MAX_DEPTH:
                raise _too_deep(kid.start_mark.line + 1)
            open_.add(key)
            stack.append([kid, _children(kid), 0, 1, 0, level + 1])
            continue
        stack.pop()
        open_.discard(id(node))
        size, levels = frame[3], frame[4] + 1
        done[id(node)] = (size, levels)
        if size > MAX_VALUES and first_too_big is None:
            first_too_big = node.start_mark.line + 1
        if stack:
            parent = stack[-1]
            parent[3] = min(parent[3] + size, _COUNT_CAP)
            parent[4] = max(parent[4], levels)
    total = done[id(root)][0]
    if total <= MAX_VALUES:
        return
    line = first_too_big or root.start_mark.line + 1
    if not aliases:
        raise _Refused(line, f"holds {total:,} values, more than the {MAX_VALUES:,} a data file may hold, so "
                             "it is refused; keep in it only what the site needs")
    count = f"more than {_COUNT_CAP - 1:,}" if total >= _COUNT_CAP else f"{total:,}"
    raise _Refused(line, f"uses YAML aliases (*name) {aliases:,} times, and with every alias written out it "
                         f"would hold {count} values, more than the {MAX_VALUES:,} a data file may hold, so it is "
                         "refused (a file like this, a 'billion laughs', would take for ever to read); write the "
                         "values out, or repeat fewer of them with aliases")


def _compose(loader: Any, shown_as: str) -> tuple[YamlDocument, list[Problem]]:
    """The document a loader reads, with the line of every key (raises on bad YAML, and
    _Refused for a file whose values would take for ever to build)."""
    doc = YamlDocument(shown_as, None)
    node = loader.get_single_node()
    if node is None:
        return doc, []
    _check_shape(node)
    builder = _Builder(doc, loader)
    doc.value = builder.build(node, ())
    return doc, builder.problems


def _load_fast(text: str, shown_as: str) -> tuple[YamlDocument, list[Problem]] | None:
    """libyaml's parser, several times faster, for a file that reads without error; for
    anything else None, and the pure-Python parser gives the messages our reports expect.
    A file refused for its shape is refused here (raises _Refused): reading it again
    would only take longer."""
    if _CLoader is None or _NON_PRINTABLE.search(text):
        return None
    loader = _CLoader(text)
    try:
        return _compose(loader, shown_as)
    except _Refused:
        raise
    except Exception:
        return None
    finally:
        loader.dispose()


def load_yaml(file: Path, shown_as: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML file. Returns the document (None if unreadable) and problems."""
    raw, refused = read_data_file(file, shown_as)
    if refused is not None:
        return None, [refused]
    if raw is None:
        return None, [Problem(shown_as, 1, WHOLE_FILE, "file is missing; expected a YAML file here")]
    text = decode_text(raw)
    if isinstance(text, NotText):
        if text.binary:
            return None, [Problem(shown_as, 1, WHOLE_FILE, "is a binary file; expected YAML text")]
        return None, [Problem(shown_as, text.line, WHOLE_FILE,
                              "is not UTF-8 text; save it as UTF-8 (found a byte that is not)")]
    try:
        fast = _load_fast(text, shown_as)
    except _Refused as exc:
        return None, [Problem(shown_as, exc.line, WHOLE_FILE, exc.message)]
    if fast is not None:
        return fast
    try:
        loader = _GuardedLoader(text)  # checks every character first
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [Problem(shown_as, line, WHOLE_FILE,
                              f"is not valid YAML: it holds a control character (#x{exc.character:04x}) "
                              "that YAML does not allow; delete it")]
    try:
        return _compose(loader, shown_as)
    except _Refused as exc:
        return None, [Problem(shown_as, exc.line, WHOLE_FILE, exc.message)]
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
    except RecursionError:  # a safety net: _GuardedLoader and _check_shape stop far sooner
        return None, [Problem(shown_as, 1, WHOLE_FILE, f"nests more than {MAX_DEPTH} levels deep (lists and "
                                                      "mappings inside each other), so it is not read")]
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------
# Writing YAML as a person would


class _Dumper(yaml.SafeDumper):
    """Decimals as plain numbers; lists indented under their key ("  - "), as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _FlushDumper(yaml.SafeDumper):
    """Decimals as plain numbers; lists level with their key ("- "), PyYAML's own way."""


def plain_number(value: Decimal) -> str:
    """A Decimal as a person writes it: 14.2, 180, never 1.8E+2 (nor -0)."""
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    # Written as plain numbers (16.2, not '16.2'); a whole number is tagged int so that
    # PyYAML does not add an explicit !!float to it.
    text = plain_number(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)
_FlushDumper.add_representer(Decimal, _represent_decimal)


def dump_yaml(data: Any, indent_lists: bool = True) -> str:
    """data as the YAML a person would write by hand: keys in the order given, Decimals as
    plain numbers, text as it is (not escaped), lines up to 100 characters.
    indent_lists: a list under a key is indented ("  - "); else level with it ("- ")."""
    return yaml.dump(data, Dumper=_Dumper if indent_lists else _FlushDumper, sort_keys=False,
                     allow_unicode=True, default_flow_style=False, width=100)
