"""JSON Schemas of the data files, for editors (`cswork schema`), and the reference's tables.

Each schema is generated from the file's pydantic model, then made to accept what the
YAML loader accepts as far as a JSON Schema can say it: an editor reads YAML 1.2, in
which a date is text, and the models take numbers where text is expected, numbers and
true/false written as text, choices in any capitals where the model does. Every field
is described in the words of cswork_site/assets/data-fields.yaml, the one source those
words have: docs/data-reference.md's "Fields" tables are made from it too
(``python -m cswork_site.data.schema --write-reference docs/data-reference.md``).

The schemas use only what JSON Schema draft 7 and 2020-12 share (no $ref: every part is
written out in place), since editors' YAML support reads draft 7.
"""

from __future__ import annotations

import copy
import enum
import json
import posixpath
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import AliasChoices, BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from cswork_site.data.loading import REGISTRY
from cswork_site.data.models.common import (
    CONSENT_SCOPES,
    NUMBER_LIMIT,
    _colour,
    _in_language,
    _scope_word,
    is_two_language,
)
from cswork_site.data.models.metrics import Snapshot
from cswork_site.data.models.pay_rules import _tax_year
from cswork_site.data.models.safeguarding import SafeguardingFile, _keep_leading_zero
from cswork_site.data.models.service import Inspection
from cswork_site.files import write_whole
from cswork_site.languages import LANGUAGES
from cswork_site.metrics.store import SNAPSHOT_DIR
from cswork_site.safeguarding.detectors import WATCH_LISTS_FILE

SCHEMA_DIR = "schemas"
SETTINGS_FILE = ".vscode/settings.json"
SETTINGS_KEY = "yaml.schemas"
DRAFT = "http://json-schema.org/draft-07/schema#"
# The stand-in for any key of a mapping in a field's path (rows[].figures.NAME.value).
ANY_KEY = "NAME"
FIELDS_RESOURCE = "data-fields.yaml"


@dataclass(frozen=True)
class SchemaFile:
    """One schema: its name (the data file's stem), the data file(s) it is for (a glob),
    the heading of their section in the reference, and the model."""

    name: str
    glob: str
    section: str
    model: type[BaseModel]

    @property
    def relpath(self) -> str:
        return f"{SCHEMA_DIR}/{self.name}.schema.json"


# Every data file with a model: the registry's, the safeguarding watch lists, and one
# schema for all the snapshots.
SCHEMA_FILES: tuple[SchemaFile, ...] = (
    *(SchemaFile(Path(f.path).stem, f.path, f.path, f.model) for f in REGISTRY),
    SchemaFile(Path(WATCH_LISTS_FILE).stem, WATCH_LISTS_FILE, WATCH_LISTS_FILE, SafeguardingFile),
    SchemaFile("metrics-snapshot", f"{SNAPSHOT_DIR}/*.yaml", f"{SNAPSHOT_DIR}/YYYY-MM-DD.yaml", Snapshot),
)


# ---------------------------------------------------------------------------
# The words: what to write in each field


@dataclass(frozen=True)
class FieldRow:
    """One row of a file's Fields table: the paths it describes, and its cells (Markdown)."""

    paths: tuple[str, ...]
    label: str | None
    required: str
    write: str
    example: str
    bilingual: bool = False  # the field takes its text in each of the site's languages

    @property
    def words(self) -> str:
        """What to write, with what a two-language field also takes."""
        return self.write + (f" {IN_EACH_LANGUAGE_WORDS}" if self.bilingual else "")

    def cells(self) -> list[str]:
        named = ", ".join(f"`{p}`" for p in self.paths)
        return [f"`{self.label}`: {named}" if self.label else named, self.required, self.words, self.example]


# How the reference says a field takes two-language text (see common.IN_EACH_LANGUAGE).
IN_EACH_LANGUAGE_WORDS = ("In each language: plain text in the site's main language, or "
                          "`{en: ..., cy: ...}` ([text in two languages](#text-in-two-languages)).")


@cache
def field_rows() -> dict[str, tuple[FieldRow, ...]]:
    """Every file's rows, by its section in the reference, from the package's resource."""
    text = resources.files("cswork_site").joinpath("assets", FIELDS_RESOURCE).read_text(encoding="utf-8")
    rows: dict[str, tuple[FieldRow, ...]] = {}
    for section, items in yaml.safe_load(text).items():
        rows[section] = tuple(
            FieldRow(tuple(i["field"]) if isinstance(i["field"], list) else (i["field"],), i.get("label"),
                     str(i["required"]), str(i["write"]), str(i.get("example") or ""),
                     bool(i.get("bilingual", False)))
            for i in items)
    return rows


def rows_by_path(section: str) -> dict[str, FieldRow]:
    return {path: row for row in field_rows().get(section, ()) for path in row.paths}


_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def _without_links(markdown: str) -> str:
    return _LINK.sub(r"\1", markdown)


def _plain(markdown: str) -> str:
    """Markdown as plain text: links become their words, code loses its backticks."""
    return _without_links(markdown).replace("`", "")


def _describe(row: FieldRow, aka: str | None = None) -> dict[str, str]:
    lead = f"An older name for `{aka}`: write one of them, not both. " if aka else ""
    plain = f"{_plain(lead + row.words)} Required? {_plain(row.required).rstrip('.')}."
    markdown = f"{_without_links(lead + row.words)}\n\n**Required?** {_without_links(row.required)}"
    if row.example:
        plain += f" Example: {_plain(row.example)}"
        markdown += f"\n\n**Example:** {_without_links(row.example)}"
    return {"description": plain, "markdownDescription": markdown}


# ---------------------------------------------------------------------------
# What the models accept, as JSON Schema


def _loose(words: str, separators: str = r"\s") -> str:
    """A pattern for words in any capitals, with any run of spaces (or separators) between
    them and around them, as the models read them (" Focused  visit" is "focused visit")."""
    parts = []
    for char in words:
        if char.isspace() or char in "-_" and separators != r"\s":
            parts.append(f"[{separators}]+")
        elif char.isalpha():
            parts.append(f"[{char.lower()}{char.upper()}]")
        else:
            parts.append(re.escape(char))
    return rf"^[{separators}]*{''.join(parts)}[{separators}]*$"


def _loose_choice(values: list[str], separators: str = r"\s") -> JsonSchemaValue:
    return {"anyOf": [{"enum": values}, {"type": "string", "pattern": "|".join(
        f"(?:{_loose(v, separators)})" for v in values)}]}


def _colour_schema(inner: JsonSchemaValue) -> JsonSchemaValue:
    return {**inner, "pattern": r"^\s*#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$",
            "patternErrorMessage": "Write a colour as # and 6 hex digits, like \"#1d4f6e\", in quotes"}


def _scope_schema(inner: JsonSchemaValue) -> JsonSchemaValue:
    return _loose_choice(list(CONSENT_SCOPES), r"\s_-")


def _tax_year_schema(inner: JsonSchemaValue) -> JsonSchemaValue:
    return {**inner, "pattern": r"^\s*\d{4}-\d{2}\s*$",
            "patternErrorMessage": "Write the tax year like 2026-27"}


def _two_language_schema(inner: JsonSchemaValue) -> JsonSchemaValue:
    """Text, or a mapping of language code (any capitals, spaces round it) to text."""
    codes = "|".join(_loose(code)[1:-1] for code in LANGUAGES)
    return {"anyOf": [inner, {"type": "object", "minProperties": 1, "additionalProperties": False,
                              "patternProperties": {f"^(?:{codes})$": copy.deepcopy(inner)}}]}


def two_language_paths(model: type[BaseModel]) -> set[str]:
    """The paths (as the words name them) of model's fields that take two-language text."""
    def takes(annotation: Any, metadata: list[Any]) -> bool:
        if any(is_two_language(m) for m in metadata):
            return True
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            inner, *more = typing.get_args(annotation)
            return takes(inner, more)
        if origin in (typing.Union, types.UnionType, list, tuple, dict):
            return any(takes(a, []) for a in typing.get_args(annotation) if a is not Ellipsis)
        return False

    return {f"{path}.{name}" if path else name for path, inner in model_objects(model)
            for name, info in inner.model_fields.items() if takes(info.annotation, info.metadata)}


def _text_only(inner: JsonSchemaValue) -> JsonSchemaValue:
    return {**inner, "_text_only": True}  # a number is refused (its leading 0 is lost): no number here


# The validators whose rule a JSON Schema can say, by the function the model calls. The
# others (a maximum not below its minimum, bands in order, an end after a start) compare
# fields with each other, which is for `cswork check` to report.
VALIDATOR_SCHEMAS: dict[Callable[..., Any], Callable[[JsonSchemaValue], JsonSchemaValue]] = {
    _colour: _colour_schema,
    _scope_word: _scope_schema,
    _tax_year: _tax_year_schema,
    _keep_leading_zero: _text_only,
    _in_language: _two_language_schema,
}

# A model's own rules across its fields, where a JSON Schema can say them.
MODEL_RULES: dict[type[BaseModel], JsonSchemaValue] = {
    Inspection: {"allOf": [
        {"not": {"required": ["inspectorate", "body"]}},
        {"not": {"required": ["overall", "judgement"]}},
        {"anyOf": [{"required": ["inspectorate"]}, {"required": ["body"]}]},
        {"anyOf": [{"required": [k]} for k in ("overall", "judgement", "judgements", "findings", "summary")]},
    ]},
}


class _Generator(GenerateJsonSchema):
    def enum_schema(self, schema: core_schema.EnumSchema) -> JsonSchemaValue:
        result = super().enum_schema(schema)
        cls = schema["cls"]
        if getattr(cls._missing_, "__func__", None) is not getattr(enum.Enum._missing_, "__func__", None):
            # The enum reads other spellings (InspectionKind: any capitals and spacing).
            return _loose_choice([m.value for m in cls])
        return result

    def _validated(self, schema: Any, result: JsonSchemaValue) -> JsonSchemaValue:
        change = VALIDATOR_SCHEMAS.get(schema["function"]["function"])
        return change(result) if change else result

    def function_after_schema(self, schema: core_schema.AfterValidatorFunctionSchema) -> JsonSchemaValue:
        return self._validated(schema, super().function_after_schema(schema))

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        return self._validated(schema, super().function_before_schema(schema))


def _inline(node: Any, defs: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """node with every $ref written out in place (each field then has its own words)."""
    if isinstance(node, list):
        return [_inline(n, defs, seen) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        if name in seen:
            raise ValueError(f"the model {name} holds itself; a schema without $ref cannot be written for it")
        target = _inline(defs[name], defs, seen + (name,))
        return {**target, **{k: _inline(v, defs, seen) for k, v in node.items() if k != "$ref"}}
    return {k: _inline(v, defs, seen) for k, v in node.items() if k != "$defs"}


# How the models read text as a number or true/false (pydantic's lax mode).
_INTEGER_TEXT = r"^\s*[+-]?\d[\d_]*(?:\.0*)?\s*$"
_NUMBER_TEXT = r"^\s*[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?\s*$"
_BOOLEAN_TEXT = _loose("x").replace("[xX]", "(?:" + "|".join(
    "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in w)
    for w in ("true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "1", "0")) + ")")
# A datetime as the models read it: a date, then a time with or without seconds and offset.
_DATETIME_TEXT = (r"^\s*\d{4}-\d{2}-\d{2}(?:[Tt _]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                  r"(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?\s*$")
_BOUNDS = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"}
_NUMERIC_KEYS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_KEEP = ("default", "description", "markdownDescription", "title")


def _with_limits(node: JsonSchemaValue) -> JsonSchemaValue:
    """A number of a size a figure can have (number_problem): under a million million."""
    if "maximum" not in node and "exclusiveMaximum" not in node:
        node["exclusiveMaximum"] = NUMBER_LIMIT
    if "minimum" not in node and "exclusiveMinimum" not in node:
        node["exclusiveMinimum"] = -NUMBER_LIMIT
    return node


def _numbers_as_text(node: JsonSchemaValue, kind: str, text: str) -> JsonSchemaValue:
    bounds = {k: node.pop(k) for k in _NUMERIC_KEYS if k in node}
    kept = {k: node.pop(k) for k in _KEEP if k in node}
    node.pop("type", None)
    return {**kept, "anyOf": [_with_limits({"type": kind, **bounds, **node}), {"type": "string", "pattern": text}]}


def _normalise(node: Any) -> Any:
    """The schema pydantic writes, made to say what the models read (see the module's doc)."""
    if isinstance(node, list):
        return [_normalise(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    for old, new in _BOUNDS.items():  # pydantic leaves a constraint it cannot place under its own name
        if old in node:
            value = node.pop(old)
            for branch in node.get("anyOf", []):
                if branch.get("type") == "number":
                    branch[new] = value
    branches = node.get("anyOf", [])
    if any(b.get("type") == "number" for b in branches) and {"type": "string"} in branches:
        # A Decimal (or an optional one): a number, or text that is one.
        node["anyOf"] = [_with_limits(dict(b)) if b.get("type") == "number" else
                         {"type": "string", "pattern": _NUMBER_TEXT} if b == {"type": "string"} else _normalise(b)
                         for b in branches]
        return {k: _normalise(v) if k != "anyOf" else v for k, v in node.items()}
    node = {k: _normalise(v) for k, v in node.items()}
    kind = node.get("type")
    if kind == "integer":
        return _numbers_as_text(node, "integer", _INTEGER_TEXT)
    if kind == "number":
        return _numbers_as_text(node, "number", _NUMBER_TEXT)
    if kind == "boolean":
        kept = {k: node.pop(k) for k in _KEEP if k in node}
        return {**kept, "anyOf": [{"type": "boolean"}, {"enum": [0, 1]}, {"type": "string", "pattern": _BOOLEAN_TEXT}]}
    if kind == "string":
        text_only = node.pop("_text_only", False)
        if node.get("format") == "date-time":
            del node["format"]
            node["pattern"] = _DATETIME_TEXT
        elif node.get("format") == "uri":
            node["pattern"] = r"^\s*[hH][tT][tT][pP][sS]?://"
        elif not ({"format", "enum", "const", "pattern"} & set(node) or text_only):
            node["type"] = ["string", "number"]  # `pay_year: 2025` is the text "2025"
        if node.get("minLength", 0) >= 1 and "pattern" not in node:
            node["pattern"] = r"\S"  # spaces around text are dropped: all spaces is empty
    return node


# ---------------------------------------------------------------------------
# Walking the models and the schemas by field path


def _kinds(annotation: Any, suffix: str = "") -> Iterator[tuple[Any, str]]:
    """The types behind an annotation, each with what its path gains: [] in a list,
    .NAME in a mapping."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _kinds(typing.get_args(annotation)[0], suffix)
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _kinds(arg, suffix)
    elif origin in (list, tuple, set, frozenset):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                yield from _kinds(arg, suffix + "[]")
    elif origin is dict:
        yield from _kinds(typing.get_args(annotation)[1], suffix + "." + ANY_KEY)
    else:
        yield annotation, suffix


def model_objects(model: type[BaseModel], path: str = "") -> Iterator[tuple[str, type[BaseModel]]]:
    """Every model inside model (itself first), with the path of the mapping it reads."""
    yield path, model
    for name, info in model.model_fields.items():
        for kind, suffix in _kinds(info.annotation):
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                yield from model_objects(kind, (f"{path}.{name}" if path else name) + suffix)


def schema_properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Every property of every object in a schema: (its path, its schema, the object's)."""
    if not isinstance(node, dict):
        return
    for name, prop in node.get("properties", {}).items():
        child = f"{path}.{name}" if path else name
        yield child, prop, node
        yield from schema_properties(prop, child)
    if isinstance(node.get("items"), dict):
        yield from schema_properties(node["items"], path + "[]")
    if isinstance(node.get("additionalProperties"), dict):
        yield from schema_properties(node["additionalProperties"], f"{path}.{ANY_KEY}")
    for key in ("anyOf", "allOf", "oneOf"):
        for branch in node.get(key, []):
            yield from schema_properties(branch, path)


def _objects(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object schema (with properties) and the path of the mapping it describes."""
    if not isinstance(node, dict):
        return
    if "properties" in node:
        yield path, node
    for name, prop in node.get("properties", {}).items():
        yield from _objects(prop, f"{path}.{name}" if path else name)
    if isinstance(node.get("items"), dict):
        yield from _objects(node["items"], path + "[]")
    if isinstance(node.get("additionalProperties"), dict):
        yield from _objects(node["additionalProperties"], f"{path}.{ANY_KEY}")
    for key in ("anyOf", "oneOf"):
        for branch in node.get(key, []):
            yield from _objects(branch, path)


def _strip_words(node: Any) -> Any:
    """pydantic's titles and descriptions (class and field names, docstrings written for
    developers) are dropped; the reference's words go in their place."""
    if isinstance(node, list):
        return [_strip_words(n) for n in node]
    if not isinstance(node, dict):
        return node
    return {k: (_strip_words(v) if k != "properties" else {n: _strip_words(p) for n, p in v.items()})
            for k, v in node.items() if k not in ("title", "description")}


def _add_aliases(schema: dict[str, Any], model: type[BaseModel]) -> dict[str, str]:
    """Each older name a field is read by (validation_alias) becomes a property of its own,
    with the field's schema; returns {alias path: field path}."""
    objects: dict[str, list[dict[str, Any]]] = {}
    for path, node in _objects(schema):
        objects.setdefault(path, []).append(node)
    aliases: dict[str, str] = {}
    for path, inner in model_objects(model):
        for node in objects.get(path, []):
            for name, info in inner.model_fields.items():
                choices = info.validation_alias
                if not isinstance(choices, AliasChoices):
                    continue
                names = [c for c in choices.choices if isinstance(c, str)]
                main = name if name in node["properties"] else names[0]
                for alias in names:
                    if alias != main and alias not in node["properties"]:
                        node["properties"][alias] = copy.deepcopy(node["properties"][main])
                        prefix = f"{path}." if path else ""
                        aliases[prefix + alias] = prefix + main
                if main in node.get("required", []):
                    node["required"].remove(main)
                    node.setdefault("allOf", []).append({"anyOf": [{"required": [n]} for n in names]})
            rules = MODEL_RULES.get(inner)
            if rules:
                node.setdefault("allOf", []).extend(copy.deepcopy(rules["allOf"]))
    return aliases


class MissingWords(Exception):
    """A field of a model has no row in the words resource."""


def schema_for(file: SchemaFile) -> dict[str, Any]:
    """The JSON Schema of one data file (or of every snapshot)."""
    raw = file.model.model_json_schema(mode="validation", schema_generator=_Generator)
    schema = _normalise(_strip_words(_inline(raw, raw.get("$defs", {}))))
    aliases = _add_aliases(schema, file.model)
    rows = rows_by_path(file.section)
    missing = []
    for path, prop, _ in schema_properties(schema):
        main = aliases.get(path)
        row = rows.get(main or path)
        if row is None:
            missing.append(path)
            continue
        prop.update(_describe(row, aka=main.rsplit(".", 1)[-1] if main else None))
    if missing:
        raise MissingWords(f"{FIELDS_RESOURCE} has no row for these fields of {file.section}: {', '.join(missing)}")
    return {
        "$schema": DRAFT,
        "$id": f"{file.name}.schema.json",
        "title": file.glob,
        "description": f"What cswork accepts in {file.glob}. Written by `cswork schema`; "
                       "docs/data-reference.md describes every field.",
        **schema,
    }


def schema_text(file: SchemaFile) -> str:
    return json.dumps(schema_for(file), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------
# Writing them into a site, and telling editors where they are


def schema_file_for(relpath: str) -> SchemaFile | None:
    """The schema of the data file at relpath (in the site), if it has one."""
    for file in SCHEMA_FILES:
        if posixpath.dirname(relpath) == posixpath.dirname(file.glob) and (
                relpath == file.glob or (file.glob.endswith("/*.yaml") and relpath.endswith(".yaml"))):
            return file
    return None


def schema_comment(relpath: str) -> str | None:
    """The first line for the data file at relpath (in the site) that tells an editor using
    yaml-language-server where its schema is, or None if it has none."""
    file = schema_file_for(relpath)
    if file is None:
        return None
    return f"# yaml-language-server: $schema={posixpath.relpath(file.relpath, posixpath.dirname(relpath))}"


def with_schema_comment(relpath: str, text: str) -> str:
    """text with its schema comment as the first line, unless it has one already."""
    comment = schema_comment(relpath)
    if comment is None or text.startswith("# yaml-language-server:"):
        return text
    return f"{comment}\n{text}"


def editor_settings() -> dict[str, str]:
    """The "yaml.schemas" setting: each schema's path, with the data file(s) it is for."""
    return {f"./{f.relpath}": f.glob for f in SCHEMA_FILES}


_COMMENTS = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)


def _settings_with_comments(text: str) -> Any:
    """A settings file as VS Code reads it: JSON with comments and trailing commas."""
    bare = _COMMENTS.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    bare = re.sub(r",(\s*[}\]])", r"\1", bare)
    return json.loads(bare)


@dataclass
class Written:
    """What `cswork schema` did: the files written, and what to do by hand, if anything."""

    paths: list[Path]
    by_hand: str | None = None


def _merge_settings(site: Path) -> tuple[Path | None, str | None]:
    path = site / SETTINGS_FILE
    wanted = editor_settings()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError) as exc:
        return None, _by_hand(wanted, f"could not be read ({getattr(exc, 'strerror', None) or exc})")
    settings: Any = {}
    if text is not None and text.strip():
        try:
            settings = json.loads(text)
        except ValueError:
            try:
                settings = _settings_with_comments(text)
            except ValueError:
                return None, _by_hand(wanted, "is not JSON cswork can read")
            current = settings.get(SETTINGS_KEY) if isinstance(settings, dict) else None
            if isinstance(current, dict) and all(current.get(k) == v for k, v in wanted.items()):
                return None, None  # already set, comments and all
            return None, _by_hand(wanted, "holds comments, which rewriting it would lose")
    if not isinstance(settings, dict) or not isinstance(settings.get(SETTINGS_KEY, {}), dict):
        return None, _by_hand(wanted, f"is not a JSON object with {SETTINGS_KEY!r} as a mapping")
    merged = {**settings, SETTINGS_KEY: {**settings.get(SETTINGS_KEY, {}), **wanted}}
    if merged == settings:
        return None, None
    write_whole(path, (json.dumps(merged, indent=4, ensure_ascii=False) + "\n").encode("utf-8"))
    return path, None


def _by_hand(wanted: dict[str, str], why: str) -> str:
    return (f"{SETTINGS_FILE} was left as it is: it {why}; for editor help, add this to it by hand: "
            f'"{SETTINGS_KEY}": {json.dumps(wanted)}')


def write_schemas(site: Path) -> list[Path]:
    """Write SITE/schemas/<name>.schema.json for every data file; return their paths."""
    paths = []
    for file in SCHEMA_FILES:
        path = site / file.relpath
        write_whole(path, schema_text(file).encode("utf-8"))
        paths.append(path)
    return paths


def write_editor_help(site: Path) -> Written:
    """The schemas, and the editor setting that points at them (merged into what is there)."""
    paths = write_schemas(site)
    settings, by_hand = _merge_settings(site)
    return Written(paths + ([settings] if settings else []), by_hand)


# ---------------------------------------------------------------------------
# The reference's Fields tables

_TABLE_START = re.compile(r"^<!-- fields: (\S+) -->$", re.MULTILINE)
TABLE_END = "<!-- end fields -->"
TABLE_HEADER = "| Field | Required? | What to write | Example |\n|---|---|---|---|\n"


def fields_table(section: str) -> str:
    """The Markdown table of a file's fields, as the reference shows it."""
    lines = ["|" + "|".join(f" {c} " if c else " " for c in row.cells()) + "|\n"
             for row in field_rows()[section]]
    return TABLE_HEADER + "".join(lines)


def with_tables(reference: str) -> str:
    """The reference with every table between its markers made afresh from the words."""
    out, at = [], 0
    for start in _TABLE_START.finditer(reference):
        end = reference.index(TABLE_END, start.end())
        out.append(reference[at:start.end()] + "\n\n" + fields_table(start.group(1)) + "\n")
        at = end
    return "".join(out) + reference[at:]


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "--write-reference":
        print("usage: python -m cswork_site.data.schema --write-reference docs/data-reference.md", file=sys.stderr)
        return 2
    path = Path(argv[1])
    text = path.read_text(encoding="utf-8")
    new = with_tables(text)
    if new != text:
        write_whole(path, new.encode("utf-8"))
        print(f"{path}: Fields tables written")
    else:
        print(f"{path}: Fields tables already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
