"""The user documentation covers every setting.

In the spirit of Datasette's "documentation unit tests": walk every field of every data
model (and of story metadata, and of data/safeguarding.yaml), and fail if
docs/data-reference.md does not name it, or any value of a choice (an Enum or a Literal),
so a new field or choice cannot be added without documenting it. The same goes for the
optional data files and for every column of the jobs CSV. The worked examples in the
reference are also checked to be valid, so the docs never show something cswork would
reject.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from pydantic import BaseModel

from cswork_site.build.check import check_site
from cswork_site.data.jobs import CSV_FILE, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, load_jobs
from cswork_site.data.loading import DATA_FILES, OPTIONAL_DATA_FILES, load_data
from cswork_site.data.models.metrics import Snapshot
from cswork_site.data.models.safeguarding import SafeguardingFile
from cswork_site.data.models.testimonials import Testimonial as _Testimonial
from cswork_site.metrics.store import SNAPSHOT_DIR, load_snapshots, snapshot_path
from cswork_site.pages.strategy import Status, strand_statuses
from cswork_site.safeguarding.detectors import (
    WATCH_LISTS_FILE,
    WatchLists,
    apply_overrides,
    load_watch_lists,
    scan_text,
)
from cswork_site.stories.meta import STORIES_DIR, StoryMeta, check_stories

DOCS = Path(__file__).resolve().parent.parent / "docs"
REFERENCE = DOCS / "data-reference.md"
STORIES_HEADING = "content/stories"
# Workforce snapshots are not one file but a folder of them, one per "as at" date, so
# they are not in OPTIONAL_DATA_FILES: their section is found by this heading.
SNAPSHOTS_HEADING = f"{SNAPSHOT_DIR}/YYYY-MM-DD.yaml"
# Every YAML file the reference documents, each in a section of its own: the data files
# every site has, the optional ones (jobs, events, the agency page, the pay rules, the
# workforce figures' settings, the DfE benchmarks and the workforce strategy), and the
# optional safeguarding watch lists.
DOCUMENTED_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    **DATA_FILES,
    **OPTIONAL_DATA_FILES,
    "safeguarding": (WATCH_LISTS_FILE, SafeguardingFile),
}
# Optional files added while their feature is still being built, whose section in the
# reference is not written yet. Their coverage tests are expected to fail (strictly: once
# the section is written they pass, and the key must come out of this set), and the
# example site leaves them out. Every other optional file is documented.
DOCS_PENDING: frozenset[str] = frozenset()
EXAMPLE_FILES = {k: v for k, v in DOCUMENTED_FILES.items() if k not in DOCS_PENDING}


def _documented_keys() -> list[Any]:
    return [pytest.param(key, marks=pytest.mark.xfail(strict=True, reason="section not written yet"))
            if key in DOCS_PENDING else key for key in DOCUMENTED_FILES]

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


def _choices(t: Any) -> list[Any]:
    """The values a person may write for a choice: an Enum's values or a Literal's."""
    if _is_enum(t):
        return [member.value for member in t]
    if typing.get_origin(t) is typing.Literal:
        return list(typing.get_args(t))
    return []


def field_paths(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, list[Any]]]:
    """Every field's dotted path, as the docs and messages name it, with its choices.

    A field is named by its own path (``roles[].pay.points``); the fields of the models
    inside a list are named with ``[]`` (``roles[].pay.points[].salary``). The choices
    are the values of its Enum or Literal types, if any.
    """
    for name, info in model.model_fields.items():
        path = prefix + name
        kinds = list(_concrete(info.annotation))
        yield path, [value for t, _ in kinds for value in _choices(t)]
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
    optional = {key: {p for p, _ in field_paths(model)} for key, (_, model) in OPTIONAL_DATA_FILES.items()}
    assert {"vacancies[].salary.max", "places[].postcode"} <= optional["vacancies"]
    assert {"rules.cool_off_exceptions", "rules.sources[].url"} <= optional["agency"]
    assert {"lgps_bands[].rate_percent", "income_tax.bands[].up_to"} <= optional["pay_rules"]


def test_walker_finds_choices() -> None:
    """Enum values and Literal values are both found, also inside lists and subclasses."""
    testimonial_choices = dict(field_paths(DATA_FILES["testimonials"][1]))
    assert "agency convert" in testimonial_choices["testimonials[].kind"]
    assert {"address", "photo-unreadable"} <= set(testimonial_choices["testimonials[].safeguarding_overrides[].kind"])
    safeguarding = dict(field_paths(SafeguardingFile))
    assert {"schools", "allowed", "story_overrides[].story", "story_overrides[].reason"} <= set(safeguarding)
    assert {"date-of-birth", "photo-camera"} <= set(safeguarding["story_overrides[].kind"])
    assert "draft" in dict(field_paths(StoryMeta))["status"]
    assert "PART_TIME" in dict(field_paths(OPTIONAL_DATA_FILES["vacancies"][1]))["vacancies[].employment_type"]
    assert "career conversation" in dict(field_paths(OPTIONAL_DATA_FILES["events"][1]))["events[].kind"]


def test_pending_docs_are_real_files() -> None:
    assert DOCS_PENDING <= set(OPTIONAL_DATA_FILES), "take keys that are no longer optional files out of DOCS_PENDING"


def test_section_stops_at_next_heading() -> None:
    text = ("# Top\n## `data/a.yaml`\n`x`\n```yaml\n# a comment, not a heading\n```\n"
            "### Sub\n`y`\n## `data/b.yaml`\n`z`\n")
    assert _code_spans(_section(text, "data/a.yaml")) == {"data/a.yaml", "x", "y"}


# ---------------------------------------------------------------------------
# Every field and every choice is documented


@pytest.mark.parametrize("key", _documented_keys())
def test_every_field_is_documented(reference: str, key: str) -> None:
    relpath, model = DOCUMENTED_FILES[key]
    spans = _code_spans(_section(reference, relpath))
    missing = [path for path, _ in field_paths(model) if path not in spans]
    assert not missing, (
        f"docs/data-reference.md, section for {relpath}, does not name these fields "
        f"in backticks: {', '.join(missing)}"
    )


@pytest.mark.parametrize("key", _documented_keys())
def test_every_choice_is_documented(reference: str, key: str) -> None:
    relpath, model = DOCUMENTED_FILES[key]
    spans = _code_spans(_section(reference, relpath))
    missing = [
        f"{path}: {value!r}"
        for path, choices in field_paths(model)
        for value in choices
        if value not in spans
    ]
    assert not missing, f"docs/data-reference.md, section for {relpath}, does not list: {', '.join(missing)}"


def test_every_csv_column_is_documented(reference: str) -> None:
    """Each column of data/vacancies.csv is named in backticks in its own section, and
    its table row says whether it is required, as the reader does."""
    section = _section(reference, CSV_FILE)
    spans = _code_spans(section)
    missing = [c for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if c not in spans]
    assert not missing, f"docs/data-reference.md, section for {CSV_FILE}, does not name: {', '.join(missing)}"
    rows = {m.group(1): m.group(2).strip() for m in re.finditer(r"^\| `([a-z_]+)` \| ([^|]*)\|", section, re.MULTILINE)}
    wrong = [c for c in REQUIRED_COLUMNS if not rows.get(c, "").startswith("Yes")]
    wrong += [c for c in OPTIONAL_COLUMNS if not rows.get(c, "").startswith("No")]
    assert not wrong, f"the columns table in the {CSV_FILE} section has the wrong Required? for: {', '.join(wrong)}"


def test_every_snapshot_field_is_documented(reference: str) -> None:
    spans = _code_spans(_section(reference, SNAPSHOTS_HEADING))
    missing = [path for path, _ in field_paths(Snapshot) if path not in spans]
    assert not missing, (
        f"docs/data-reference.md, section for {SNAPSHOTS_HEADING}, does not name these fields "
        f"in backticks: {', '.join(missing)}"
    )


def test_every_snapshot_choice_is_documented(reference: str) -> None:
    spans = _code_spans(_section(reference, SNAPSHOTS_HEADING))
    missing = [
        f"{path}: {value!r}"
        for path, choices in field_paths(Snapshot)
        for value in choices
        if value not in spans
    ]
    assert not missing, f"docs/data-reference.md, section for {SNAPSHOTS_HEADING}, does not list: {', '.join(missing)}"


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
        f"{path}: {value!r}"
        for path, choices in field_paths(StoryMeta)
        for value in choices
        if value not in spans
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


_PICTURE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


def _write_picture(target: Path) -> None:
    """A small, clean picture (no camera or location data) at target, in the format its
    name asks for; an SVG for a logo. Empty files would not pass the picture checks."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".svg":
        target.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
        return
    assert target.suffix.lower() in _PICTURE_FORMATS, f"the docs use a picture cswork cannot publish: {target}"
    Image.new("RGB", (40, 30), (29, 79, 110)).save(target, _PICTURE_FORMATS[target.suffix.lower()])


def _metadata(story: str) -> dict[str, str]:
    header = story.split("\n\n", 1)[0].splitlines()
    return {line.split(":", 1)[0].strip().lower(): line.split(":", 1)[1].strip() for line in header}


def _write_example_site(reference: str, site: Path) -> str:
    """Write every example in the reference into site/, with the files they name; return
    the example story."""
    for relpath, _model in EXAMPLE_FILES.values():
        text = _first_block(_section(reference, relpath), "yaml")
        target = site / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        for file in _referenced_files(yaml.safe_load(text)):
            _write_picture(site / file)
    snapshot = _first_block(_section(reference, SNAPSHOTS_HEADING), "yaml")
    as_at = Snapshot.model_validate(yaml.safe_load(snapshot)).as_at
    (site / snapshot_path(as_at)).parent.mkdir(parents=True, exist_ok=True)
    (site / snapshot_path(as_at)).write_text(snapshot, encoding="utf-8")
    story = _first_block(_section(reference, STORIES_HEADING), "markdown")
    (site / STORIES_DIR).mkdir(parents=True)
    (site / STORIES_DIR / "example.md").write_text(story, encoding="utf-8")
    meta = _metadata(story)
    if meta.get("image"):
        _write_picture(site / meta["image"])
    if meta.get("video"):  # the files a story's video lines name, as small as they can be
        (site / meta["video"]).parent.mkdir(parents=True, exist_ok=True)
        (site / meta["video"]).write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
        (site / meta["video_captions"]).write_text("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello.\n")
        (site / meta["video_transcript"]).write_text("Dani says hello.\n")
        _write_picture(site / meta["video_poster"])
    return story


def test_examples_are_a_valid_site(reference: str, tmp_path: Path) -> None:
    story = _write_example_site(reference, tmp_path)

    loaded = load_data(tmp_path)
    assert [str(p) for p in loaded.problems] == []
    assert set(loaded.models) == set(DATA_FILES) | (set(OPTIONAL_DATA_FILES) - DOCS_PENDING)
    jobs, problems = load_jobs(tmp_path, loaded)
    assert [str(p) for p in problems] == []
    assert jobs
    role_ids = {r.id for r in loaded.models["offer"].roles}  # type: ignore[attr-defined]
    stage_ids = {s.id for s in loaded.models["careers"].stages}  # type: ignore[attr-defined]
    headers, problems = check_stories(tmp_path, role_ids, stage_ids, dt.date(2025, 6, 1))
    assert [str(p) for p in problems] == []
    assert len(headers) == 1 and headers[0].meta is not None
    # The example fills in every metadata line, so readers see each one used.
    written = {line.split(":", 1)[0].lower() for line in story.split("\n\n", 1)[0].splitlines()}
    assert written == set(StoryMeta.model_fields)
    assert _metadata(story)["image"], "the example story shows the Image line with a picture"

    lists, problems = load_watch_lists(tmp_path)
    assert [str(p) for p in problems] == []
    assert lists.schools and lists.placements and lists.names and lists.allowed and lists.story_overrides

    # The example snapshot is checked against the example data/metrics.yaml, as a build
    # checks it: its name is its as_at date, its units are right, its KPIs are defined.
    pairs, problems = load_snapshots(tmp_path)
    assert [str(p) for p in problems] == []
    assert len(pairs) == 1


def test_example_measures_name_real_figures(reference: str, tmp_path: Path) -> None:
    """Every measure in the strategy example names a figure the example snapshot has (a
    misspelt metric is not reported: it would show "no data"), and the statuses are the
    ones the section says they are."""
    _write_example_site(reference, tmp_path)
    loaded = load_data(tmp_path)
    pairs, problems = load_snapshots(tmp_path)
    assert [str(p) for p in loaded.problems + problems] == []
    strategy = loaded.models["strategy"]
    statuses = strand_statuses(strategy.strands, [s for _, s in pairs])  # type: ignore[attr-defined]
    no_data = [m.measure.metric for s in statuses for m in s.measures if m.status == Status.no_data]
    assert not no_data, f"the strategy example names figures the snapshot example does not have: {no_data}"
    kinds = {m.measure.metric.partition(":")[0] for s in statuses for m in s.measures}
    assert {"kpi", "survey"} <= kinds, "the strategy example shows kpi: and survey: measures"
    assert [s.status for s in statuses] == [Status.not_yet, Status.on_track], (
        "the data/strategy.yaml section says its first strand is not yet on track and its second is")


def test_examples_pass_the_safeguarding_check(reference: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples, built on a day their consent is in date, give no warning at all:
    nothing in them looks like a detail that could identify a child, and the example
    override silences the false alarm it was written for."""
    _write_example_site(reference, tmp_path)
    on_day = dt.datetime(2026, 11, 15, tzinfo=dt.UTC)  # jobs open, events ahead, consent in date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(on_day.timestamp())))
    data, problems = check_site(tmp_path)
    assert [str(p) for p in problems] == []
    assert data is not None
    example = yaml.safe_load(_first_block(_section(reference, "data/testimonials.yaml"), "yaml"))
    shown = {t.id for t in data.testimonials.testimonials}
    assert shown == {t["id"] for t in example["testimonials"]}, "every example testimonial is published"
    assert data.stories and all(header.publishable for header in data.stories.values())
    assert data.snapshots and data.strategy and data.benchmarks, "the workforce figure examples are used"
    assert data.jobs and data.upcoming_events
    assert data.agency_comparison is not None, "the agency and pay rules examples make a comparison"


def test_csv_example_is_valid(reference: str, tmp_path: Path) -> None:
    """The CSV example, with the teams and places of the data/vacancies.yaml example (and no
    jobs of its own there), gives the jobs and web addresses the section describes."""
    _write_example_site(reference, tmp_path)
    vacancies = tmp_path / OPTIONAL_DATA_FILES["vacancies"][0]
    value = yaml.safe_load(vacancies.read_text(encoding="utf-8"))
    value.pop("vacancies")
    vacancies.write_text(yaml.safe_dump(value, allow_unicode=True), encoding="utf-8")
    section = _section(reference, CSV_FILE)
    (tmp_path / CSV_FILE).write_text(_first_block(section, "csv"), encoding="utf-8")
    loaded = load_data(tmp_path)
    assert [str(p) for p in loaded.problems] == []
    jobs, problems = load_jobs(tmp_path, loaded)
    assert [str(p) for p in problems] == []
    assert len(jobs) >= 2
    for job in jobs:
        assert f"`{job.url}`" in section, f"the section does not give the web address {job.url}"


def test_example_overrides_are_for_real_findings(reference: str) -> None:
    """Each example override names words the check really reports, as that kind: an
    override that matches nothing would teach readers the wrong thing."""
    testimonials = yaml.safe_load(_first_block(_section(reference, "data/testimonials.yaml"), "yaml"))
    with_overrides = [_Testimonial.model_validate(t) for t in testimonials["testimonials"]
                      if t.get("safeguarding_overrides")]
    assert with_overrides, "the testimonials example shows safeguarding_overrides in use"
    for t in with_overrides:
        # An override on a testimonial silences a finding in that testimonial's own text.
        findings = scan_text(t.quote, WatchLists())
        remaining, used = apply_overrides(findings, t.safeguarding_overrides)
        assert findings and not remaining and len(used) == len(t.safeguarding_overrides), t.id
    story_overrides = yaml.safe_load(_first_block(_section(reference, WATCH_LISTS_FILE), "yaml"))["story_overrides"]
    assert story_overrides, "the data/safeguarding.yaml example shows story_overrides in use"
    for o in story_overrides:
        assert o["kind"] in {f.kind for f in scan_text(str(o["text"]), WatchLists())}, o
