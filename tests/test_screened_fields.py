"""Every field that reaches a page, a feed, a download, JSON-LD or the search index is
screened: proven by walking the models (so a field added later without screening fails
here), by putting a watch-list name in every text field of every demo data file, and in
every metadata line of a story."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from cswork_site.data.loading import DATA_FILES, OPTIONAL_DATA_FILES
from cswork_site.data.models.metrics import Snapshot
from cswork_site.safeguarding.screening import published_strings
from cswork_site.stories.meta import StoryMeta

from .helpers import CONSENT_LINES, copy_site, cswork, leaks

LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
MARKER = "marker-text"
NAME = "Kieran Walsh"  # on the demo's watch list


# --- the walk covers every field of every model -----------------------------------------

def _types(annotation) -> list:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) for t in _types(a)]
    return [annotation]


def _sample(annotation, depth=0):
    """A value of the annotation's type with the marker in every string, built without
    validation (model_construct), so every field is present, optional ones too."""
    for t in _types(annotation):
        origin = typing.get_origin(t)
        if origin in (list, tuple, set):
            inner = typing.get_args(t)[0] if typing.get_args(t) else str
            return [_sample(inner, depth + 1)]
        if origin is dict:
            return {"key": _sample(typing.get_args(t)[1], depth + 1)}
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t.model_construct(**{n: _sample(f.annotation, depth + 1) for n, f in t.model_fields.items()})
        if t is str:
            return MARKER
    return None


def _string_paths(model: type[BaseModel], prefix=()) -> set[tuple]:
    """Where the strings of a model are, by its type annotations."""
    paths = set()
    for name, info in model.model_fields.items():
        for t in _types(info.annotation):
            here = prefix + (name,)
            origin = typing.get_origin(t)
            if origin in (list, tuple, set):
                args = typing.get_args(t)
                inner = _types(args[0]) if args else [str]
                for i in inner:
                    if i is str:
                        paths.add(here + (0,))
                    elif isinstance(i, type) and issubclass(i, BaseModel):
                        paths |= _string_paths(i, here + (0,))
            elif isinstance(t, type) and issubclass(t, BaseModel):
                paths |= _string_paths(t, here)
            elif t is str:
                paths.add(here)
    return paths


def _unpublished(model: type[BaseModel], path: tuple) -> bool:
    current: type[BaseModel] | None = model
    for part in path:
        if isinstance(part, int) or current is None:
            continue
        skip = getattr(current, "UNPUBLISHED", ())
        if skip == "*" or part in skip:
            return True
        info = current.model_fields.get(part)
        nested = [t for a in _types(info.annotation) for t in
                  (_types(typing.get_args(a)[0]) if typing.get_origin(a) in (list, tuple, set) and typing.get_args(a)
                   else [a])
                  if isinstance(t, type) and issubclass(t, BaseModel)] if info else []
        current = nested[0] if nested else None
    return current is not None and getattr(current, "UNPUBLISHED", ()) == "*"


MODELS = {**{k: m for k, (_, m) in {**DATA_FILES, **OPTIONAL_DATA_FILES}.items()}, "snapshot": Snapshot}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_walk_reaches_every_text_field_of_every_model(name):
    model = MODELS[name]
    instance = _sample(model)
    walked = {loc for loc, value in published_strings(instance) if value == MARKER}
    expected = {p for p in _string_paths(model) if not _unpublished(model, p)}
    assert expected, f"{name} has no text fields?"
    missing = expected - walked
    assert not missing, f"fields of {name} that are published but not screened: {sorted(missing)}"


def test_records_kept_but_never_shown_are_the_only_ones_left_out():
    left_out = {(name, p) for name, model in MODELS.items() for p in _string_paths(model) if _unpublished(model, p)}
    fields = {p[-1] if not isinstance(p[-1], int) else p[-2] for _, p in left_out}
    # Consent and approval records, reviewed overrides, and where `metrics pull` fetches
    # figures from: kept for the service, not shown.
    assert fields <= {"given_by", "reference", "approver_role", "kind", "text", "reviewed_by", "reason", "scope",
                      "url"}, fields


# --- every text field of every demo data file -------------------------------------------

# Values the schema rightly limits to ids, fixed words, dates, colours, numbers and links:
# a name cannot be put there without making the file invalid.
NOT_TEXT = {"id", "kind", "group", "judgement", "leads_to", "related_role", "related_stage", "pathway_stage",
            "path", "url", "website", "link", "email", "dpo_email", "primary", "primary_text", "accent",
            "value", "scope", "role", "team", "location", "metric", "unit", "format", "booking_url", "as_at",
            "starts", "ends", "date", "posted", "closes", "expires", "figure", "shown_as", "code", "area",
            "source_url", "release", "apply_url", "level", "hours", "contract", "status", "basis", "direction",
            "tax_year", "pay_year", "region_code", "la_code", "comparators", "region", "headers", "token_env",
            "stage", "stages", "strand", "measures", "phone", "shape", "nation"}


def _skipped(key: str, keep: frozenset[str]) -> bool:
    return key in NOT_TEXT or key in keep or key.endswith(("_url", "_type")) or key == "kpi"


def _inject(value, key=None, keep: frozenset[str] = frozenset()):
    if isinstance(value, dict):
        return {k: (v if _skipped(k, keep) else _inject(v, k, keep)) for k, v in value.items()}
    if isinstance(value, list):
        return [_inject(v, key, keep) for v in value]
    if isinstance(value, str) and not re.fullmatch(r"[\d\s.,:%£+-]*", value):
        return f"{NAME} {value}"[:190]
    return value


def _string_lines(text: str) -> set[int]:
    """The line of every string value that holds the name (the key's line, as reported)."""
    lines = set()

    def walk(node, key_line=None):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, k.start_mark.line + 1)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, item.start_mark.line + 1)
        elif isinstance(node, yaml.ScalarNode) and NAME in node.value:
            lines.add(key_line if key_line is not None else node.start_mark.line + 1)

    walk(yaml.compose(text))
    return lines


@pytest.mark.slow
def test_a_name_in_any_text_field_of_the_data_is_found_at_its_line(tmp_path):
    site = copy_site(tmp_path / "site")
    expected: set[tuple[str, int]] = set()
    files = [p for p in sorted((site / "data").rglob("*.yaml")) if p.name != "safeguarding.yaml"]
    for path in files:
        # Behaviours and stories refer to the practice framework's values by name.
        keep = frozenset({"name"}) if path.name == "practice.yaml" else frozenset()
        data = _inject(yaml.safe_load(path.read_text()), keep=keep)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(text)
        rel = path.relative_to(site).as_posix()
        expected |= {(rel, n) for n in _string_lines(text)}
    result = cswork("check", str(site))
    assert "Traceback" not in result.stderr
    invalid = [line for line in result.stderr.splitlines() if LINE.match(line) and "safeguarding" not in line]
    assert not invalid, "the injection made a file invalid:\n" + "\n".join(invalid)
    flagged = {(m["path"], int(m["line"])) for m in map(LINE.match, result.stderr.splitlines())
               if m and "watch list" in m["message"]}
    # Consent and approval records are kept, never shown, and not screened.
    consent = {(p, n) for p, n in expected if p == "data/testimonials.yaml" and _in_record(site / p, n)}
    missing = expected - consent - flagged
    assert not missing, f"text fields with a name that were not screened: {sorted(missing)}"
    assert len(expected - consent) > 150  # the demo data has that many text fields
    assert cswork("build", str(site)).returncode == 2


def _in_record(path: Path, line: int) -> bool:
    """Whether a line of the testimonials file is inside a consent or approval record."""
    lines = path.read_text().splitlines()
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    for back in range(line - 2, -1, -1):
        above = lines[back]
        above_indent = len(above) - len(above.lstrip())
        if above.strip() and above_indent < indent:
            if above.strip().rstrip(":") in ("consent", "approval"):
                return True
            indent = above_indent
            if above_indent == 0 or above.lstrip().startswith("- "):
                return False
    return False


# --- every metadata line of a story -----------------------------------------------------

STORY_TEXT_FIELDS = ["title", "summary", "tags", "author_role", "image_alt", "image_caption", "slug",
                     "related_value", "x_custom_note"]


def test_story_fields_are_all_screened_or_known():
    """A field added to StoryMeta must be listed here: screened as text, or one of the
    records and choices that are not published as text."""
    not_text = {"date", "modified", "kind", "related_role", "related_stage", "status", "consent_given_by",
                "consent_date", "consent_scope", "consent_expires", "consent_reference", "approved_by",
                "approved_on", "pseudonyms", "image", "image_decorative", "lang",
                # Paths of files: published under names made from their content; their words
                # (captions, transcript) are screened from the files (tests/test_video.py).
                "video", "video_captions", "video_transcript", "video_poster"}
    assert set(StoryMeta.model_fields) == (set(STORY_TEXT_FIELDS) - {"x_custom_note"}) | not_text


@pytest.mark.parametrize("field", STORY_TEXT_FIELDS)
@pytest.mark.slow
def test_a_name_in_any_story_field_holds_the_story_back(tmp_path, field):
    site = copy_site(tmp_path / "site")
    head = {"title": "Field test zqxfield", "date": "2025-05-01", "summary": "A summary.", "kind": "news",
            "tags": "careers", "author_role": "Communications officer"}
    if field in ("image_alt", "image_caption"):
        head["image"] = "content/images/walking-together.jpg"
        head["image_alt"] = "Three people walking"
    if field == "slug":
        head[field] = "kieran-walsh"
    elif field == "related_value":
        practice = yaml.safe_load((site / "data" / "practice.yaml").read_text())
        head[field] = practice["values"][0]["name"]
        # The value's name comes from the data, where it is screened: name it there.
        text = (site / "data" / "practice.yaml").read_text().replace(head[field], f"{NAME} values")
        (site / "data" / "practice.yaml").write_text(text)
        for story in (site / "content" / "stories").glob("*.md"):
            story.write_text(story.read_text().replace(f"Related_value: {head[field]}\n", ""))
        head[field] = f"{NAME} values"
    else:
        head[field] = f"{head.get(field, '')} {NAME}".strip()
    lines = "".join(f"{k.capitalize()}: {v}\n" for k, v in head.items())
    (site / "content" / "stories" / "2025-05-01-field-test.md").write_text(lines + CONSENT_LINES + "\nText.\n")
    result = cswork("check", str(site))
    assert any("watch list" in line for line in result.stderr.splitlines()), result.stderr
    if field != "related_value":  # a finding in data stops the build instead
        build = cswork("build", str(site))
        assert build.returncode == 0, build.stderr
        assert not leaks(site / "output", [NAME, "zqxfield"])
