"""Property: whatever is wrong with one input file, `cswork build` either builds a whole
new site (exit 0) or reports every problem as `PATH:LINE: FIELD: MESSAGE` and exits 2
with output/ untouched byte for byte. It never crashes: no traceback, never exit 1 or 70.
A broken story is held back and the rest of the site built (exit 0, saying so).

Each example copies the demo site, puts a previous good build in output/, breaks one
data file (data/*.yaml, data/metrics/*.yaml) or story (content/stories/*.md) in one
way, and runs the real command line.

Links out of the site folder (decided here, and enforced):
    A data file or story that is a symbolic link to a file outside the site folder is
    refused, never followed, even when the file it points to is perfectly valid:
        data/offer.yaml:1: (file): is a link to a file outside the site folder; copy the file in instead
    so nothing outside the site (/etc/hostname, a copy kept elsewhere) can reach the web.
    A link to another file inside the site folder is fine. A logo that is such a link is
    refused through logo.path ("... which is outside it").

One line per problem, always: a key or value holding a space (in FIELD), a line
separator, a control character or a direction override is written as an escape
(my\\x20key, \\u2028, \\u202e), so no report spills onto a second line or reads backwards.

The faults of issue 14 are drawn too: a named pipe or a link to nothing where a file
should be, a YAML alias bomb, nesting thousands deep, a number that is NaN, infinite or
absurdly large, a mistake in pelicanconf.py, and a mistake in a template. Each ends within
the bounded time of the run, with exit 0 or 2 and the contract above.

Set CSWORK_PROPERTY_EXAMPLES to try more (or fewer) examples than the default 60.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings, strategies as st

from .helpers import PACKAGE_THEME, REPO, copy_site, cswork, own_theme, tree_digest
from .test_error_contract import LINE_FORMAT, SUMMARY

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

DATA_FILES = sorted(p.relative_to(REPO).as_posix()
                    for p in [*REPO.glob("data/*.yaml"), *REPO.glob("data/metrics/*.yaml")])
STORY_FILES = sorted(p.relative_to(REPO).as_posix() for p in REPO.glob("content/stories/*.md"))
LOGO = "content/images/logo.svg"
OUTSIDE_MESSAGE = "is a link to a file outside the site folder; copy the file in instead"
EXAMPLES = int(os.environ.get("CSWORK_PROPERTY_EXAMPLES", "60"))
# A story with errors is held back and the rest of the site is built; the build says so.
HELD = re.compile(r"^cswork: \d+ stor(y|ies) held back until the problems above are fixed", re.M)

# --- values ---------------------------------------------------------------------------

ODD_CHARS = [
    "\u200f", "\u200e", "\u202e", "\u202d", "\u2066", "\u2069",  # direction marks and overrides
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",  # zero-width
    "\U0001f600", "\U0001f469\u200d\U0001f467", "\U0001f3f3\ufe0f\u200d\U0001f308",  # emoji
    "e\u0301", "\u0301", "\u0336" * 3, "Z\u0351\u0362\u0337\u0489",  # combining
    "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f",  # control, no NUL
    "\u2028", "\u2029", "\ufffe", "\uffff", "\U0010ffff",
    "<script>", "&amp;", "{{ x }}", "{% raw %}", "'", '"', "\\", "#", ": ", "- ", "%", "\u0644\u0627",
]
odd_text = st.lists(
    st.one_of(st.sampled_from(ODD_CHARS),
              st.characters(exclude_characters="\x00", exclude_categories=("Cs",))),
    min_size=1, max_size=24).map("".join)
long_text = st.tuples(st.sampled_from(["a", "x y ", "\u00e9", "\U0001f600", "\u200b", "-", "/"]),
                      st.integers(100_000, 101_000)).map(lambda t: (t[0] * t[1])[: t[1]])
plain_scalar = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.booleans(),
                         st.none(), st.text(max_size=20))
wrong_value = st.one_of(
    st.lists(plain_scalar, max_size=4),
    st.dictionaries(st.text(min_size=1, max_size=8), plain_scalar, max_size=3),
    st.integers(-10**20, 10**20), st.floats(), st.booleans(), st.none(), st.just(""),
    st.just([]), st.just({}), odd_text,
)
extra_key = st.one_of(st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True), odd_text,
                      st.integers(-5, 5), st.booleans())

BROKEN_LINES = [
    "key: [unbalanced", "key: {unbalanced: 1", "]", "}", "\tkey: tabbed", "\t- tabbed item",
    ": stray colon", "key: value: another", "key:value:more", "   badly: indented",
    " - item in a mapping", "- item", "key: 'unclosed quote", 'key: "unclosed quote',
    "&anchor", "*unknown_alias", "!!python/object:os.system", "? complex", "key: |\n bad", "---",
    "...", "%YAML 9.9", "key: !!int not-a-number", "<<: *nothing", "@reserved", "`reserved",
]

# --- edits ----------------------------------------------------------------------------


def _paths(value: Any, loc: tuple = ()) -> list[tuple]:
    found = [loc]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, loc + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, loc + (i,))
    return found


def _get(value: Any, loc: tuple) -> Any:
    for part in loc:
        value = value[part]
    return value


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=10**9)


def _edit_yaml(data, text: str, kind: str) -> str | bytes:
    value = yaml.safe_load(text)
    paths = _paths(value)
    if kind == "wrong-type":
        loc = data.draw(st.sampled_from(paths[1:] or paths), label="where")
        new = data.draw(wrong_value, label="value")
        if not loc:
            return _dump(new)
        _get(value, loc[:-1])[loc[-1]] = new
    elif kind == "missing-key":
        keyed = [p for p in paths if p and isinstance(p[-1], str)]
        loc = data.draw(st.sampled_from(keyed), label="where")
        del _get(value, loc[:-1])[loc[-1]]
    elif kind == "extra-key":
        mappings = [p for p in paths if isinstance(_get(value, p), dict)]
        loc = data.draw(st.sampled_from(mappings), label="where")
        _get(value, loc)[data.draw(extra_key, label="key")] = data.draw(plain_scalar, label="value")
    elif kind in ("odd-unicode", "long-string"):
        strings = [p for p in paths if p and isinstance(_get(value, p), str)]
        loc = data.draw(st.sampled_from(strings), label="where")
        new = data.draw(odd_text if kind == "odd-unicode" else long_text, label="value")
        how = data.draw(st.sampled_from(["replace", "prefix", "suffix"]), label="how")
        old = _get(value, loc)
        _get(value, loc[:-1])[loc[-1]] = new if how == "replace" else new + old if how == "prefix" else old + new
    elif kind == "raw-unicode":  # written straight into the file, not through a YAML writer
        at = data.draw(st.integers(0, len(text)), label="at")
        return text[:at] + data.draw(odd_text, label="value") + text[at:]
    elif kind == "broken-yaml":
        return _broken_lines(data, text)
    else:
        raise AssertionError(kind)
    return _dump(value)


def _broken_lines(data, text: str) -> str:
    lines = text.splitlines()
    n = data.draw(st.integers(0, len(lines)), label="line")
    how = data.draw(st.sampled_from(["insert", "tab-indent", "indent", "dedent", "stray-colon", "bracket"]),
                    label="how")
    if how == "insert" or n == len(lines):
        lines.insert(n, data.draw(st.sampled_from(BROKEN_LINES), label="broken"))
    elif how == "tab-indent":
        lines[n] = "\t" + lines[n].lstrip(" ")
    elif how == "indent":
        lines[n] = " " * data.draw(st.integers(1, 5), label="spaces") + lines[n]
    elif how == "dedent":
        lines[n] = lines[n].lstrip()
    elif how == "stray-colon":
        at = data.draw(st.integers(0, len(lines[n])), label="at")
        lines[n] = lines[n][:at] + ": " + lines[n][at:]
    else:
        at = data.draw(st.integers(0, len(lines[n])), label="at")
        lines[n] = lines[n][:at] + data.draw(st.sampled_from("[]{}"), label="bracket") + lines[n][at:]
    return "\n".join(lines) + "\n"


def _edit_story(data, text: str, kind: str) -> str:
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    if kind == "wrong-type":
        n = data.draw(st.integers(0, header - 1), label="line")
        key = lines[n].split(":", 1)[0]
        lines[n] = f"{key}: " + _dump(data.draw(wrong_value, label="value")).strip().replace("\n", " ")
    elif kind == "missing-key":
        del lines[data.draw(st.integers(0, header - 1), label="line")]
    elif kind == "extra-key":
        key = data.draw(st.one_of(st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,15}", fullmatch=True), odd_text),
                        label="key")
        lines.insert(data.draw(st.integers(0, header), label="line"),
                     f"{key}: {data.draw(st.text(max_size=20), label='value')}".replace("\n", " "))
    elif kind in ("odd-unicode", "long-string", "raw-unicode"):
        n = data.draw(st.integers(0, len(lines) - 1), label="line")
        new = data.draw(long_text if kind == "long-string" else odd_text, label="value")
        at = data.draw(st.integers(len(lines[n].split(":", 1)[0]) + 1 if n < header else 0, len(lines[n])),
                       label="at")
        lines[n] = lines[n][:at] + new + lines[n][at:]
    elif kind == "broken-yaml":
        return _broken_lines(data, text)
    else:
        raise AssertionError(kind)
    return "\n".join(lines) + "\n"


TEXT_KINDS = ["wrong-type", "missing-key", "extra-key", "odd-unicode", "raw-unicode", "long-string", "broken-yaml"]
FILE_KINDS = ["empty", "binary", "symlink-etc", "symlink-outside-copy", "symlink-inside"]
# The classes of issue 14: what must never hang, crash or be called a fault in cswork.
FAULT_KINDS = ["fifo", "dangling-link", "alias-bomb", "deep-nesting", "not-a-number", "settings-syntax",
               "template-mistake"]
KINDS = TEXT_KINDS + FILE_KINDS + FAULT_KINDS + ["logo-symlink"]
TEMPLATES = sorted(p.name for p in (PACKAGE_THEME / "templates").glob("*.html") if p.name != "brand.css.html")
TEMPLATE_MISTAKES = ["{% if %}", "{{ no_such_thing.attribute }}", "{% endfor %}", "{{ 1 +* 2 }}",
                     '{% include "no-such-part.html" %}', "{% block %}", "{{ x | no_such_filter }}"]


def _numbers(value: Any, loc: tuple = ()) -> list[tuple]:
    """Where the numbers (not booleans) in a parsed YAML value are."""
    return [p for p in _paths(value, loc) if p and isinstance(_get(value, p), (int, float))
            and not isinstance(_get(value, p), bool)]


def _fault(data, site: Path, kind: str) -> tuple[str, str, bool]:
    if kind == "settings-syntax":
        rel = data.draw(st.sampled_from(["pelicanconf.py"]), label="file")
        junk = data.draw(st.sampled_from(['SITENAME = "unclosed', "THEME = (", "import no_such_module_here",
                                          "1 +", "def broken(:", 'THEME = "no-such-theme"']), label="junk")
        with (site / rel).open("a") as f:
            f.write("\n" + junk + "\n")
        return kind, rel, False
    if kind == "template-mistake":
        own_theme(site)
        rel = "theme/templates/" + data.draw(st.sampled_from(TEMPLATES), label="template")
        text = (site / rel).read_text()
        at = text.find("{% block content %}")
        at = at + len("{% block content %}") if at >= 0 else data.draw(st.integers(0, len(text)), label="at")
        mistake = data.draw(st.sampled_from(TEMPLATE_MISTAKES), label="mistake")
        (site / rel).write_text(text[:at] + mistake + text[at:])
        return kind, rel, False
    rel = data.draw(st.sampled_from(DATA_FILES + (STORY_FILES if kind in ("fifo", "dangling-link") else [])),
                    label="file")
    file = site / rel
    if kind == "fifo":
        file.unlink()
        os.mkfifo(file)
    elif kind == "dangling-link":
        file.unlink()
        file.symlink_to(site / "no-such-file.yaml")
    elif kind == "alias-bomb":
        levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
        levels += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
        file.write_text("\n".join(levels) + "\n")
    elif kind == "deep-nesting":
        depth = data.draw(st.integers(200, 20000), label="depth")
        flow = data.draw(st.booleans(), label="flow")
        file.write_text("key: " + "[" * depth + "]" * depth + "\n" if flow else
                        "".join(" " * i + f"k{i}:\n" for i in range(min(depth, 3000))) + " " * 3000 + "v: 1\n")
    else:  # not-a-number: a number in the file made NaN, infinite or absurdly large
        value = yaml.safe_load(file.read_text(encoding="utf-8"))
        numbers = _numbers(value)
        bad = data.draw(st.sampled_from([float("nan"), float("inf"), float("-inf"), "1E+999999999"]), label="value")
        if numbers:
            loc = data.draw(st.sampled_from(numbers), label="where")
            _get(value, loc[:-1])[loc[-1]] = bad
            text = _dump(value).replace("'1E+999999999'", "1E+999999999")
        else:
            text = file.read_text(encoding="utf-8") + "\nextra_figure: .nan\n"
        file.write_text(text, encoding="utf-8")
    return kind, rel, False


def _break(data, site: Path, outside: Path) -> tuple[str, str, bool]:
    """Break one file of site; returns (kind, file, whether it must be refused as outside)."""
    kind = data.draw(st.sampled_from(KINDS), label="kind")
    if kind in FAULT_KINDS:
        return _fault(data, site, kind)
    if kind == "logo-symlink":
        copy = outside / "logo.svg"
        shutil.copy2(site / LOGO, copy)
        (site / LOGO).unlink()
        (site / LOGO).symlink_to(copy)
        return kind, LOGO, True
    rel = data.draw(st.sampled_from(DATA_FILES + STORY_FILES), label="file")
    file = site / rel
    text = file.read_text(encoding="utf-8")
    if kind in TEXT_KINDS:
        edit = _edit_story if rel.endswith(".md") else _edit_yaml
        new = edit(data, text, kind)
        file.write_bytes(new.encode("utf-8", "surrogatepass") if isinstance(new, str) else new)
        return kind, rel, False
    if kind == "empty":
        file.write_text(data.draw(st.sampled_from(["", "\n", "   \n\n", "# only a comment\n", "\ufeff"]),
                                  label="content"), encoding="utf-8")
        return kind, rel, False
    if kind == "binary":
        file.write_bytes(data.draw(st.binary(min_size=1, max_size=4096), label="bytes"))
        return kind, rel, False
    file.unlink()
    if kind == "symlink-etc":
        target = Path(data.draw(st.sampled_from(["/etc/hostname", "/etc/passwd", "/etc/os-release"]),
                                label="target"))
        if not target.exists():
            target = outside / "hostname"
            target.write_text("a-host-name\n")
    elif kind == "symlink-outside-copy":  # valid content: only where it lives is wrong
        target = outside / Path(rel).name
        target.write_text(text, encoding="utf-8")
    else:  # a link to a copy kept inside the site folder is fine
        target = site / "kept" / Path(rel).name
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
    relative = data.draw(st.booleans(), label="relative link")
    file.symlink_to(os.path.relpath(target, file.parent) if relative else target)
    return kind, rel, kind != "symlink-inside"


# --- the property -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, built_demo) -> tuple[Path, Path, Path]:
    """(pristine demo copy, previous good output, a folder for the examples)."""
    root = tmp_path_factory.mktemp("property")
    return copy_site(root / "pristine"), built_demo[1], root


def _check_report(result, kind: str, rel: str, outside: bool, before: dict, site: Path) -> None:
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both[-3000:]
    assert result.returncode in (0, 2), f"exit {result.returncode} ({kind} in {rel}):\n{both[-3000:]}"
    assert not list(site.glob(".output.building-*")), "a half-built folder was left beside output/"
    story = rel.startswith("content/stories/")
    if outside and not story:
        assert result.returncode == 2, f"a link out of the site folder ({kind}, {rel}) was followed"
    if result.returncode == 2:
        lines = result.stderr.splitlines()
        assert lines and SUMMARY.match(lines[-1]), f"no summary line ({kind} in {rel}):\n{result.stderr[-3000:]}"
        for line in lines[:-1]:
            assert LINE_FORMAT.match(line), f"not PATH:LINE: FIELD: MESSAGE ({kind} in {rel}): {line[:500]!r}"
        if outside and rel != LOGO:
            assert f"{rel}:1: (file): {OUTSIDE_MESSAGE}" in lines, result.stderr[-3000:]
        if rel == LOGO:
            assert any(re.match(r"data/service\.yaml:\d+: logo\.path: .*outside", line) for line in lines), \
                result.stderr[-3000:]
        assert tree_digest(site / "output") == before, "output/ must be left exactly as it was"
    else:
        for line in result.stderr.splitlines():  # warnings: ours in the same form, or Pelican's
            assert LINE_FORMAT.match(line) or line.startswith("warning: ") or HELD.match(line), \
                f"not PATH:LINE: FIELD: MESSAGE ({kind} in {rel}): {line[:500]!r}"
        if outside:  # a story that is a link out of the site: held back, never followed
            assert f"{rel}:1: (file): {OUTSIDE_MESSAGE}" in result.stderr.splitlines(), result.stderr[-3000:]
            assert HELD.search(result.stderr), result.stderr[-3000:]
        out = site / "output"
        assert (out / "index.html").is_file() and (out / ".cswork-output").is_file(), "incomplete site"
        assert (out / "404.html").is_file()


@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_broken_input_is_reported_or_built(workspace, data):
    pristine, previous, root = workspace
    example = root / uuid.uuid4().hex[:12]
    site, outside = example / "site", example / "outside"
    outside.mkdir(parents=True)
    shutil.copytree(pristine, site, symlinks=True)
    shutil.copytree(previous, site / "output")
    before = tree_digest(site / "output")
    try:
        kind, rel, refused = _break(data, site, outside)
        result = cswork("build", str(site), timeout=240)
        event(f"{kind}: exit {result.returncode}")
        _check_report(result, kind, rel, refused, before, site)
    finally:
        shutil.rmtree(example, ignore_errors=True)


# --- links, one by one (so the decision above holds whatever the random draw) ----------


@pytest.mark.parametrize("rel", ["data/offer.yaml", "data/metrics/2026-09-30.yaml", "data/safeguarding.yaml",
                                 STORY_FILES[0]])
@pytest.mark.parametrize("target", ["etc", "copy"])
def test_a_link_out_of_the_site_folder_is_refused(site: Path, tmp_path: Path, built_demo, rel: str, target: str):
    shutil.copytree(built_demo[1], site / "output")
    before = tree_digest(site / "output")
    file = site / rel
    if target == "copy" or not Path("/etc/hostname").is_file():
        dest = tmp_path / "elsewhere" / file.name
        dest.parent.mkdir()
        shutil.copy2(file, dest)
    else:
        dest = Path("/etc/hostname")
    file.unlink()
    file.symlink_to(dest)
    story = rel.startswith("content/")
    # A story so linked is held back (never followed); --strict stops the build for it too.
    result = cswork("build", *(["--strict"] if story else []), str(site))
    assert result.returncode == 2, result.stderr
    assert f"{rel}:1: (file): {OUTSIDE_MESSAGE}" in result.stderr.splitlines(), result.stderr
    assert tree_digest(site / "output") == before
    if story:
        lenient = cswork("build", str(site))
        assert lenient.returncode == 0 and HELD.search(lenient.stderr), lenient.stderr
        slug = Path(rel).stem[11:]
        assert not list((site / "output").rglob(f"*{slug}*"))


def test_a_logo_linked_from_outside_the_site_folder_is_refused(site: Path, tmp_path: Path):
    kept = tmp_path / "elsewhere" / "logo.svg"
    kept.parent.mkdir()
    shutil.move(site / LOGO, kept)
    (site / LOGO).symlink_to(kept)
    result = cswork("build", str(site))
    assert result.returncode == 2, result.stderr
    assert re.search(r"^data/service\.yaml:\d+: logo\.path: .*outside", result.stderr, re.MULTILINE), result.stderr
    assert not (site / "output").exists()


def test_a_link_inside_the_site_folder_is_followed(site: Path):
    rel = "data/offer.yaml"
    kept = site / "kept" / "offer.yaml"
    kept.parent.mkdir()
    shutil.move(site / rel, kept)
    (site / rel).symlink_to(Path("..") / "kept" / "offer.yaml")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "output" / "our-offer" / "index.html").is_file()


def test_control_characters_in_yaml_are_reported_at_their_line(site: Path):
    file = site / "data/service.yaml"
    text = file.read_text(encoding="utf-8")
    line = text[: text.index("short_name:")].count("\n") + 1
    file.write_text(text.replace("short_name: Castlebrook", "short_name: Castle\x01brook"), encoding="utf-8")
    result = cswork("build", str(site))
    assert result.returncode == 2, result.stderr
    assert f"data/service.yaml:{line}: (file): is not valid YAML: it holds a control character (#x0001)" \
        in result.stderr


def test_odd_keys_keep_every_report_on_one_line(site: Path):
    """A key with a space, a line separator or a direction override is shown escaped,
    so each report stays one PATH:LINE: FIELD: MESSAGE line and reads the right way round."""
    file = site / "data/service.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("short_name: Castlebrook", 'short_name: Castlebrook\nmy key: 1\n"a\\u2028b": 2\n'
                                 '"\\u202eevil": 3\n').replace("region: South East", "region: [South, East]"),
                    encoding="utf-8")
    result = cswork("build", str(site))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert SUMMARY.match(lines[-1])
    assert all(LINE_FORMAT.match(line) for line in lines[:-1]), lines
    written = file.read_text(encoding="utf-8").splitlines()
    at = written.index("my key: 1") + 1  # the lines of the keys added, counted in the file as written
    assert any(line.startswith(f"data/service.yaml:{at}: my\\x20key: warning: unknown key 'my key'") for line in lines)
    assert any(line.startswith(f"data/service.yaml:{at + 1}: a\\u2028b: warning:") for line in lines)
    assert any(line.startswith(f"data/service.yaml:{at + 2}: \\u202eevil: warning:") for line in lines)
