"""The JSON Schemas `cswork schema` writes for editors: every field described in the words
of the data reference, the demo data valid against them, and bad values refused by the
schema as `cswork check` refuses them.

An editor using yaml-language-server reads YAML 1.2, in which an unquoted date is text:
the demo is read here as it would read it (PyYAML, then dates and times as ISO text).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from cswork_site.data.loading import validate_document
from cswork_site.data.schema import (
    ANY_KEY,
    SCHEMA_FILES,
    SETTINGS_FILE,
    SETTINGS_KEY,
    TABLE_END,
    SchemaFile,
    editor_settings,
    field_rows,
    model_objects,
    rows_by_path,
    schema_comment,
    schema_for,
    schema_properties,
    with_tables,
)
from cswork_site.data.yamlfile import YamlDocument
from cswork_site.problems import dotted

from .helpers import REPO, cswork

REFERENCE = REPO / "docs" / "data-reference.md"
VALIDATORS = (Draft7Validator, Draft202012Validator)


def _as_editor_reads(value: Any) -> Any:
    """A value PyYAML read, as a YAML 1.2 reader has it: dates and times are text."""
    if isinstance(value, dict):
        return {k: _as_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_reads(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _demo_files(file: SchemaFile) -> list[Path]:
    return sorted(REPO.glob(file.glob))


def _errors(schema: dict[str, Any], value: Any) -> list[tuple[str, str]]:
    """Every (location, message) the schema gives for value, under both drafts it uses."""
    found = []
    for validator in VALIDATORS:
        check = validator(schema, format_checker=validator.FORMAT_CHECKER)
        found += [(dotted(e.absolute_path), e.message) for e in check.iter_errors(value)]
    return found


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, Any]]:
    return {f.name: schema_for(f) for f in SCHEMA_FILES}


# ---------------------------------------------------------------------------
# The schemas themselves


def test_every_data_file_with_a_model_has_a_schema() -> None:
    from cswork_site.data.loading import REGISTRY

    names = [f.name for f in SCHEMA_FILES]
    assert len(names) == len(set(names))
    assert {f.path for f in REGISTRY} <= {f.glob for f in SCHEMA_FILES}
    assert {"safeguarding", "metrics-snapshot"} <= set(names)
    for file in SCHEMA_FILES:
        assert _demo_files(file), f"the demo has no {file.glob} to try {file.relpath} on"


@pytest.mark.parametrize("file", SCHEMA_FILES, ids=lambda f: f.name)
def test_schema_is_valid_json_schema_and_names_its_file(file: SchemaFile,
                                                        schemas: dict[str, dict[str, Any]]) -> None:
    schema = schemas[file.name]
    for validator in VALIDATORS:
        validator.check_schema(schema)
    assert "$ref" not in json.dumps(schema), "every part is written out in place, for editors that read draft 7"
    assert schema["$id"] == f"{file.name}.schema.json" and schema["title"] == file.glob
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("file", SCHEMA_FILES, ids=lambda f: f.name)
def test_every_property_has_a_description(file: SchemaFile, schemas: dict[str, dict[str, Any]]) -> None:
    props = list(schema_properties(schemas[file.name]))
    assert len(props) > 3
    undescribed = [path for path, prop, _ in props if not prop.get("description")
                   or not prop.get("markdownDescription")]
    assert not undescribed, f"{file.relpath}: no description for {', '.join(undescribed)}"
    with_links = [path for path, prop, _ in props if re.search(r"\]\(|`", prop["description"])]
    assert not with_links, f"{file.relpath}: Markdown left in the plain description of {', '.join(with_links)}"


@pytest.mark.parametrize("file", SCHEMA_FILES, ids=lambda f: f.name)
def test_the_words_name_exactly_the_models_fields(file: SchemaFile, schemas: dict[str, dict[str, Any]]) -> None:
    """Each row of the words resource is for a field the model has, and each field of the
    model has a row: the words cannot drift from the models."""
    fields = {(f"{path}.{name}" if path else name)
              for path, model in model_objects(file.model) for name in model.model_fields}
    rows = set(rows_by_path(file.section))
    assert rows - fields == set(), f"rows for fields {file.model.__name__} does not have"
    assert fields - rows == set(), f"fields of {file.model.__name__} with no row"
    in_schema = {path for path, _, _ in schema_properties(schemas[file.name])}
    assert fields <= in_schema


def test_the_description_is_the_references_words() -> None:
    """One source: the schema says what the reference's table says, in plain text."""
    offer = next(f for f in SCHEMA_FILES if f.name == "offer")
    schema = schema_for(offer)
    prop = schema["properties"]["roles"]["items"]["properties"]["pay"]["properties"]["max"]
    row = rows_by_path(offer.section)["roles[].pay.max"]
    assert row.write.replace("`", "") in prop["description"]
    assert f"| `roles[].pay.max` | {row.required} | {row.write} | {row.example} |" in REFERENCE.read_text(
        encoding="utf-8")
    service = next(f for f in SCHEMA_FILES if f.name == "service")
    brand = schema_for(service)["properties"]["brand"]
    assert "[colours and contrast](#colours-and-contrast)" in rows_by_path(service.section)["brand"].write
    assert "See colours and contrast." in brand["description"]


def test_the_reference_tables_are_made_from_the_words() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    assert text.count("<!-- fields: ") == len(field_rows()) == text.count(TABLE_END)
    assert text.count("### Fields") == len(field_rows())
    assert with_tables(text) == text, (
        "docs/data-reference.md's Fields tables differ from cswork_site/assets/data-fields.yaml, where "
        "the words are kept: edit them there, then run "
        "`python -m cswork_site.data.schema --write-reference docs/data-reference.md`")


def test_a_changed_word_changes_the_table() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    edited = text.replace("Your council's full name. Short text.", "Someone else's name.", 1)
    assert edited != text and with_tables(edited) == text


# ---------------------------------------------------------------------------
# The demo is valid, as an editor reads it


@pytest.mark.parametrize("file", SCHEMA_FILES, ids=lambda f: f.name)
def test_demo_data_is_valid(file: SchemaFile, schemas: dict[str, dict[str, Any]]) -> None:
    for path in _demo_files(file):
        value = _as_editor_reads(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert _errors(schemas[file.name], value) == [], path


@pytest.mark.parametrize("file", SCHEMA_FILES, ids=lambda f: f.name)
def test_demo_files_start_with_their_schema_line(file: SchemaFile) -> None:
    for path in _demo_files(file):
        relpath = path.relative_to(REPO).as_posix()
        comment = schema_comment(relpath)
        assert comment is not None
        assert path.read_text(encoding="utf-8").splitlines()[0] == comment
        named = (path.parent / comment.split("$schema=", 1)[1]).resolve()
        assert named == (REPO / file.relpath).resolve()


def test_no_schema_line_for_files_without_a_model() -> None:
    assert schema_comment("data/vacancies.csv") is None
    assert schema_comment("content/stories/a.md") is None
    assert schema_comment("data/metrics/2026-09-30.yaml") == \
        "# yaml-language-server: $schema=../../schemas/metrics-snapshot.schema.json"


# ---------------------------------------------------------------------------
# Bad values: refused by the schema and by cswork check, field by field


@dataclass
class Variant:
    """One bad value put into a copy of a demo file: where, why, and the value."""

    relpath: str
    loc: tuple[str | int, ...]
    kind: str
    value: Any = None  # None with kind "missing": the key is taken out

    def apply(self, data: Any) -> None:
        target = data
        for part in self.loc[:-1]:
            target = target[part]
        if self.kind == "missing":
            del target[self.loc[-1]]
        else:
            target[self.loc[-1]] = self.value

    @property
    def field(self) -> str:
        return dotted(self.loc)


def _leaves(value: Any, node: dict[str, Any], loc: tuple[str | int, ...] = ()
            ) -> Iterator[tuple[tuple[str | int, ...], Any, dict[str, Any]]]:
    """Every value written in a file with the schema of its field."""
    branches = [node] + [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if isinstance(value, dict):
        for branch in branches:
            if "properties" in branch or isinstance(branch.get("additionalProperties"), dict):
                for key, item in value.items():
                    child = branch.get("properties", {}).get(key) or branch.get("additionalProperties")
                    if isinstance(child, dict):
                        yield from _leaves(item, child, loc + (key,))
                return
    elif isinstance(value, list):
        for branch in branches:
            if isinstance(branch.get("items"), dict):
                for i, item in enumerate(value):
                    yield from _leaves(item, branch["items"], loc + (i,))
                return
    else:
        yield loc, value, node


def _kind_of(node: dict[str, Any]) -> str | None:
    """The class of a field, by its schema, with a value of that class that is wrong."""
    flat = [node] + node.get("anyOf", []) + [b for a in node.get("anyOf", []) for b in a.get("anyOf", [])]
    if any("enum" in b and all(isinstance(v, str) for v in b["enum"]) for b in flat):
        return "choice"
    if any(b.get("format") == "date" for b in flat):
        return "date"
    if any(b.get("format") == "uri" for b in flat):
        return "address"
    if any(b.get("type") == "boolean" for b in flat):
        return "true or false"
    if any(b.get("type") in ("integer", "number") and "maximum" in b for b in flat):
        return "bounded number"
    if any(b.get("type") in ("integer", "number") for b in flat):
        return "number"
    if any(b.get("type") == "string" and b.get("pattern", r"\S") != r"\S" and b.get("format") is None for b in flat):
        return "pattern"
    if any(b.get("type") in (["string", "number"], "string") and "format" not in b for b in flat):
        return "text"
    return None


def _bad_value(kind: str, node: dict[str, Any]) -> Any:
    if kind == "bounded number":
        flat = [node] + node.get("anyOf", []) + [b for a in node.get("anyOf", []) for b in a.get("anyOf", [])]
        return max(b["maximum"] for b in flat if "maximum" in b) + 1
    return {"choice": "not one of the choices", "date": "2024-13-45", "address": "not a web address",
            "true or false": "perhaps", "pattern": "Not valid!", "text": ["a list", "not text"],
            "number": "twelve"}[kind]


def _variants(file: SchemaFile, schema: dict[str, Any]) -> tuple[Path, Any, list[Variant]]:
    """For one demo file: its data, and one bad value for each class of field in it (the
    first field of that class), a required key taken out and an unknown key put in."""
    path = _demo_files(file)[-1]
    relpath = path.relative_to(REPO).as_posix()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    variants: list[Variant] = []
    used: set[tuple[str | int, ...]] = set()
    for loc, _value, node in _leaves(data, schema):
        kind = _kind_of(node)
        if kind is None or kind in {v.kind for v in variants}:
            continue
        variants.append(Variant(relpath, loc, kind, _bad_value(kind, node)))
        used.add(loc[:1])
    free = [key for key in schema.get("required", []) if (key,) not in used and key in data]
    if free:
        variants.append(Variant(relpath, (free[-1],), "missing"))
    variants.append(Variant(relpath, ("surely_not_a_field",), "unknown key", "x"))
    return path, data, variants


def test_every_class_of_field_gets_a_bad_value(schemas: dict[str, dict[str, Any]]) -> None:
    """The variants below are not two hand-picked examples: across the demo, every class
    of field is tried."""
    kinds = {v.kind for f in SCHEMA_FILES for v in _variants(f, schemas[f.name])[2]}
    assert kinds == {"choice", "date", "address", "true or false", "bounded number", "number", "pattern", "text",
                     "missing", "unknown key"}


@pytest.mark.parametrize("file", SCHEMA_FILES, ids=lambda f: f.name)
def test_the_schema_refuses_bad_values(file: SchemaFile, schemas: dict[str, dict[str, Any]]) -> None:
    schema = schemas[file.name]
    _, data, variants = _variants(file, schema)
    assert len(variants) >= 2
    for variant in variants:
        bad = copy.deepcopy(data)
        variant.apply(bad)
        # The demo itself is valid (above), so every error here is the bad value's: each
        # is on the way to it (an optional field's "not valid under any of the schemas").
        errors = _errors(schema, _as_editor_reads(bad))
        assert errors, variant
        where = variant.field if variant.kind not in ("missing", "unknown key") else ""
        off_the_way = [(loc, msg) for loc, msg in errors
                       if not (loc == "(file)" or where == loc or where.startswith(loc + ".")
                               or where.startswith(loc + "[") or loc.startswith(where))]
        assert not off_the_way, (variant, off_the_way)
        # ... and the model refuses it too, as the loader reads the file.
        _, problems = validate_document(YamlDocument(variant.relpath, bad), file.model)
        assert any(p.field == variant.field for p in problems), (variant, [str(p) for p in problems])


@pytest.mark.slow
def test_cswork_check_refuses_the_same_bad_values(site: Path, schemas: dict[str, dict[str, Any]]) -> None:
    """Every bad value at once in one copy of the demo: `cswork check` names each, as the
    schema does (unknown keys as warnings, the rest as errors)."""
    all_variants = []
    for file in SCHEMA_FILES:
        path, data, variants = _variants(file, schemas[file.name])
        for variant in variants:
            variant.apply(data)
        comment = schema_comment(variants[0].relpath)
        (site / variants[0].relpath).write_text(f"{comment}\n" + yaml.safe_dump(data, allow_unicode=True,
                                                                              sort_keys=False), encoding="utf-8")
        all_variants += variants
    result = cswork("check", str(site))
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    for variant in all_variants:
        wanted = re.compile(rf"^{re.escape(variant.relpath)}:\d+: {re.escape(variant.field)}: ")
        found = [line for line in lines if wanted.match(line)]
        assert found, f"cswork check does not report {variant}:\n{result.stderr}"
        if variant.kind == "unknown key":
            assert all(": warning: " in line for line in found), found


def test_loose_forms_the_loader_reads_are_valid(schemas: dict[str, dict[str, Any]]) -> None:
    """What the models read that a strict schema would mark wrong: a number where text is
    expected, a number in quotes, a choice in other capitals, a time without seconds."""
    cases = [
        ("offer", ("pay_year",), 2026),
        ("offer", ("roles", 0, "pay", "min"), "30000"),
        ("offer", ("benefits", "pension", "employer_contribution_percent"), "19.5"),
        ("service", ("inspections", 0, "kind"), "  Focused  Visit "),
        ("service", ("brand", "primary"), "#ABC"),
        ("events", ("events", 0, "starts"), "2026-12-03 18:00"),
        ("events", ("events", 0, "online"), "yes"),
        ("testimonials", ("testimonials", 0, "consent", "scope"), ["Social-Media", "website"]),
        ("metrics-snapshot", ("headcount", "value"), "175"),
    ]
    for name, loc, value in cases:
        file = next(f for f in SCHEMA_FILES if f.name == name)
        data = yaml.safe_load(_demo_files(file)[-1].read_text(encoding="utf-8"))
        variant = Variant("", loc, "loose", value)
        variant.apply(data)
        if name == "service":
            for key in ("overall", "judgement", "judgements"):
                data["inspections"][0].pop(key, None)
            data["inspections"][0]["findings"] = ["Good work."]
        _, problems = validate_document(YamlDocument(file.glob, data), file.model)
        assert [str(p) for p in problems] == [], (name, loc, value)
        assert _errors(schemas[name], _as_editor_reads(data)) == [], (name, loc, value)


def test_an_older_name_is_read_but_not_beside_the_new_one(schemas: dict[str, dict[str, Any]]) -> None:
    """inspections[].body and .judgement are older names for inspectorate and overall: the
    demo's first inspection is written with them, and is valid; with both names, neither
    the schema nor the model takes it."""
    service = next(f for f in SCHEMA_FILES if f.name == "service")
    data = yaml.safe_load(_demo_files(service)[0].read_text(encoding="utf-8"))
    inspection = data["inspections"][0]
    assert {"body", "judgement"} <= set(inspection) and not {"inspectorate", "overall"} & set(inspection)
    assert "older name" in schemas["service"]["properties"]["inspections"]["items"]["properties"][
        "judgement"]["description"]
    for new, old in (("inspectorate", "body"), ("overall", "judgement")):
        both = copy.deepcopy(data)
        both["inspections"][0][new] = inspection[old]
        assert _errors(schemas["service"], _as_editor_reads(both)), new
        _, problems = validate_document(YamlDocument(service.glob, both), service.model)
        assert any(f"gives both {new!r} and {old!r}" in p.message for p in problems), new
    neither = copy.deepcopy(data)
    del neither["inspections"][0]["body"]
    assert _errors(schemas["service"], _as_editor_reads(neither))
    _, problems = validate_document(YamlDocument(service.glob, neither), service.model)
    assert any("needs 'inspectorate'" in p.message for p in problems)


# ---------------------------------------------------------------------------
# cswork schema


@pytest.mark.slow
def test_cswork_schema_writes_one_file_per_data_file_the_same_each_time(site: Path) -> None:
    vscode = site / SETTINGS_FILE
    vscode.parent.mkdir()
    vscode.write_text(json.dumps({"editor.tabSize": 2, SETTINGS_KEY: {"other.json": "x.yaml"}}), encoding="utf-8")
    first = cswork("schema", str(site))
    assert first.returncode == 0, first.stderr
    written = sorted((site / "schemas").iterdir())
    assert [p.name for p in written] == sorted(f"{f.name}.schema.json" for f in SCHEMA_FILES)
    for file in SCHEMA_FILES:
        assert f"Wrote {file.relpath}" in first.stdout.splitlines()
        schema = json.loads((site / file.relpath).read_text(encoding="utf-8"))
        for validator in VALIDATORS:
            validator.check_schema(schema)
        assert schema == schema_for(file)
    before = {p.name: p.read_bytes() for p in written}
    settings = json.loads(vscode.read_text(encoding="utf-8"))
    assert settings == {"editor.tabSize": 2, SETTINGS_KEY: {"other.json": "x.yaml", **editor_settings()}}
    second = cswork("schema", str(site))
    assert second.returncode == 0, second.stderr
    assert {p.name: p.read_bytes() for p in (site / "schemas").iterdir()} == before
    assert json.loads(vscode.read_text(encoding="utf-8")) == settings


@pytest.mark.slow
def test_cswork_schema_leaves_settings_with_comments_alone(site: Path) -> None:
    vscode = site / SETTINGS_FILE
    vscode.parent.mkdir()
    mine = '{\n  // my own setting\n  "editor.tabSize": 2, /* kept */\n}\n'
    vscode.write_text(mine, encoding="utf-8")
    result = cswork("schema", str(site))
    assert result.returncode == 0, result.stderr
    assert vscode.read_text(encoding="utf-8") == mine
    said = [line for line in result.stderr.splitlines() if SETTINGS_FILE in line]
    assert len(said) == 1 and "by hand" in said[0]
    assert json.loads(said[0].split(f'"{SETTINGS_KEY}": ', 1)[1]) == editor_settings()
    assert (site / "schemas" / "offer.schema.json").exists()


@pytest.mark.slow
def test_cswork_schema_in_a_folder_that_is_not_there(tmp_path: Path) -> None:
    result = cswork("schema", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_any_key_stands_for_a_mapping_key() -> None:
    benchmarks = next(f for f in SCHEMA_FILES if f.name == "benchmarks")
    assert f"rows[].figures.{ANY_KEY}.value" in rows_by_path(benchmarks.section)


def test_the_script_writes_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m cswork_site.data.schema --write-reference FILE` puts the words back."""
    from cswork_site.data.schema import main

    text = REFERENCE.read_text(encoding="utf-8")
    copy_of = tmp_path / "data-reference.md"
    copy_of.write_text(text.replace("| `authority` | Yes |", "| `authority` | Maybe |", 1), encoding="utf-8")
    assert main(["--write-reference", str(copy_of)]) == 0
    assert copy_of.read_text(encoding="utf-8") == text
    assert main(["--write-reference", str(copy_of)]) == 0
    assert "already up to date" in capsys.readouterr().out
    assert main([]) == 2
