"""The user documentation covers every setting.

In the spirit of Datasette's "documentation unit tests": walk every field of every data
model (and of story metadata), and fail if docs/data-reference.md does not name it, so a
new field cannot be added without documenting it. The worked examples in the reference
are also checked to be valid, so the docs never show something cswork would reject.
"""

from __future__ import annotations

import datetime as dt

import enum
import re
import types
import typing
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from pydantic import BaseModel

from cswork_site.loading import DATA_FILES, load_data
from cswork_site.stories import STORIES_DIR, StoryMeta, check_stories

DOCS = Path(__file__).resolve().parent.parent / "docs"
REFERENCE = DOCS / "data-reference.md"
STORIES_HEADING = "content/stories"

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


# ---------------------------------------------------------------------------
# Walking the models


def _concrete(annotation: Any) -> Iterator[tuple[Any, bool]]:
    """The types behind an annotation, each with whether it sits inside a list.

    Unwraps Annotated[...], Optional[...] and other unions, and list/tuple/set.
    """
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _concrete(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                yield from _concrete(arg)
    elif origin in (list, tuple, set, frozenset):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                for inner, _ in _concrete(arg):
                    yield inner, True
    else:
        yield annotation, False


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _is_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


def field_paths(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, list[type[enum.Enum]]]]:
    """Every field's dotted path, as the docs and messages name it, with its enum types.

    A field is named by its own path (``roles[].pay.points``); the fields of the models
    inside a list are named with ``[]`` (``roles[].pay.points[].salary``).
    """
    for name, info in model.model_fields.items():
        path = prefix + name
        kinds = list(_concrete(info.annotation))
        yield path, [t for t, _ in kinds if _is_enum(t)]
        for t, in_list in kinds:
            if _is_model(t):
                yield from field_paths(t, path + ("[]" if in_list else "") + ".")


# ---------------------------------------------------------------------------
# Reading the reference


def _section(text: str, heading_contains: str) -> str:
    """The text under the first heading containing heading_contains, to the next heading
    of the same or a higher level."""
    lines = text.splitlines(keepends=True)
    start = level = None
    in_fence = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            in_fence = not in_fence
        m = None if in_fence else _HEADING.match(line)
        if not m:
            continue
        if start is None:
            if heading_contains in m.group(2):
                start, level = i, len(m.group(1))
        elif len(m.group(1)) <= level:
            return "".join(lines[start:i])
    assert start is not None, f"docs/data-reference.md has no heading containing {heading_contains!r}"
    return "".join(lines[start:])


def _code_spans(section: str) -> set[str]:
    without_blocks = _FENCE.sub("", section)
    return {span.strip() for span in _CODE_SPAN.findall(without_blocks)}


def _first_block(section: str, language: str) -> str:
    for lang, body in _FENCE.findall(section):
        if lang == language:
            return body
    raise AssertionError(f"no ```{language} example in this section")


@pytest.fixture(scope="module")
def reference() -> str:
    return REFERENCE.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# The walker itself, so the tests below cannot pass by finding nothing


def test_walker_finds_nested_fields() -> None:
    offer_paths = {p for p, _ in field_paths(DATA_FILES["offer"][1])}
    assert {"roles", "roles[].pay", "roles[].pay.max", "roles[].pay.points",
            "roles[].pay.points[].salary", "roles[].supplement.kind",
            "benefits.annual_leave.starting_days", "benefits.wellbeing"} <= offer_paths
    testimonial_paths = {p for p, _ in field_paths(DATA_FILES["testimonials"][1])}
    assert {"testimonials[].consent.expires", "testimonials[].photo.alt"} <= testimonial_paths
    careers_paths = {p for p, _ in field_paths(DATA_FILES["careers"][1])}
    assert {"stages[].leads_to", "entry_routes[].leads_to"} <= careers_paths


def test_section_stops_at_next_heading() -> None:
    text = ("# Top\n## `data/a.yaml`\n`x`\n```yaml\n# a comment, not a heading\n```\n"
            "### Sub\n`y`\n## `data/b.yaml`\n`z`\n")
    assert _code_spans(_section(text, "data/a.yaml")) == {"data/a.yaml", "x", "y"}


# ---------------------------------------------------------------------------
# Every field and every choice is documented


@pytest.mark.parametrize("key", list(DATA_FILES))
def test_every_field_is_documented(reference: str, key: str) -> None:
    relpath, model = DATA_FILES[key]
    spans = _code_spans(_section(reference, relpath))
    missing = [path for path, _ in field_paths(model) if path not in spans]
    assert not missing, (
        f"docs/data-reference.md, section for {relpath}, does not name these fields "
        f"in backticks: {', '.join(missing)}"
    )


@pytest.mark.parametrize("key", list(DATA_FILES))
def test_every_choice_is_documented(reference: str, key: str) -> None:
    relpath, model = DATA_FILES[key]
    spans = _code_spans(_section(reference, relpath))
    missing = [
        f"{path}: {member.value!r}"
        for path, enums in field_paths(model)
        for enum_type in enums
        for member in enum_type
        if member.value not in spans
    ]
    assert not missing, f"docs/data-reference.md, section for {relpath}, does not list: {', '.join(missing)}"


def _metadata_name(field: str) -> str:
    """How a story's metadata line is written: author_role -> Author_role."""
    return field[:1].upper() + field[1:]


def test_every_story_metadata_line_is_documented(reference: str) -> None:
    spans = {s.lower() for s in _code_spans(_section(reference, STORIES_HEADING))}
    missing = [_metadata_name(name) for name in StoryMeta.model_fields if name.lower() not in spans]
    assert not missing, f"docs/data-reference.md, section for stories, does not name: {', '.join(missing)}"


def test_every_story_kind_is_documented(reference: str) -> None:
    spans = _code_spans(_section(reference, STORIES_HEADING))
    missing = [
        f"{path}: {member.value!r}"
        for path, enums in field_paths(StoryMeta)
        for enum_type in enums
        for member in enum_type
        if member.value not in spans
    ]
    assert not missing, f"docs/data-reference.md, section for stories, does not list: {', '.join(missing)}"


# ---------------------------------------------------------------------------
# The examples are valid, and fit together


def _referenced_files(value: Any) -> Iterator[str]:
    """Every path: value in an example, so the site can be given those files."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "path" and isinstance(v, str):
                yield v
            else:
                yield from _referenced_files(v)
    elif isinstance(value, list):
        for v in value:
            yield from _referenced_files(v)


def test_examples_are_a_valid_site(reference: str, tmp_path: Path) -> None:
    for relpath, _model in DATA_FILES.values():
        text = _first_block(_section(reference, relpath), "yaml")
        target = tmp_path / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        for file in _referenced_files(yaml.safe_load(text)):
            (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / file).write_bytes(b"")
    story = _first_block(_section(reference, STORIES_HEADING), "markdown")
    (tmp_path / STORIES_DIR).mkdir(parents=True)
    (tmp_path / STORIES_DIR / "example.md").write_text(story, encoding="utf-8")

    loaded = load_data(tmp_path)
    assert [str(p) for p in loaded.problems] == []
    assert set(loaded.models) == set(DATA_FILES)
    role_ids = {r.id for r in loaded.models["offer"].roles}  # type: ignore[attr-defined]
    stage_ids = {s.id for s in loaded.models["careers"].stages}  # type: ignore[attr-defined]
    headers, problems = check_stories(tmp_path, role_ids, stage_ids, dt.date(2025, 6, 1))
    assert [str(p) for p in problems] == []
    assert len(headers) == 1 and headers[0].meta is not None
    # The example fills in every metadata line, so readers see each one used.
    written = {line.split(":", 1)[0].lower() for line in story.split("\n\n", 1)[0].splitlines()}
    assert written == set(StoryMeta.model_fields)
