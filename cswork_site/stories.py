"""Check the metadata of Markdown stories under content/stories/ before Pelican reads them.

Pelican's Markdown reader takes ``Key: value`` lines at the top of a file, up to the
first blank line. We read the same lines ourselves so every problem has its line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated

from pelican.utils import slugify
from pydantic import BeforeValidator, Field

from .loading import validate_document
from .models.common import Id, Model, ShortText, Text
from .problems import WHOLE_FILE, Problem
from .yamlfile import YamlDocument

STORIES_DIR = "content/stories"
_META_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_\-]*):\s*(.*)$")


class StoryKind(str, Enum):
    practice = "practice story"
    career = "career story"
    agency_to_permanent = "agency-to-permanent story"
    young_people = "young people's voice"
    news = "news"


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _parse_date(value: object) -> object:
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"):
            try:
                return dt.datetime.strptime(value.strip(), fmt)
            except ValueError:
                continue
        raise ValueError(f"expected a date written as YYYY-MM-DD, like 2025-03-14; found {value!r}")
    return value


StoryDate = Annotated[dt.datetime, BeforeValidator(_parse_date)]
TagList = Annotated[list[Annotated[str, Field(min_length=1, max_length=60)]], BeforeValidator(_split_list)]


class StoryStatus(str, Enum):
    published = "published"
    draft = "draft"
    hidden = "hidden"


class StoryMeta(Model):
    title: ShortText
    date: StoryDate
    modified: StoryDate | None = None
    summary: Text
    kind: StoryKind
    tags: TagList = Field(default_factory=list)
    slug: Id | None = None
    author_role: ShortText | None = Field(default=None, description="The writer's role, e.g. Communications officer")
    related_role: Id | None = None
    related_stage: Id | None = None
    status: StoryStatus = Field(default=StoryStatus.published,
                                description="draft keeps a story off the site until it is ready")


@dataclass(frozen=True)
class StoryHeader:
    path: str
    meta: StoryMeta | None
    slug: str | None


def read_header(file: Path, shown_as: str) -> tuple[YamlDocument | None, list[Problem]]:
    """The metadata lines of a story as a document whose every key knows its line."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(shown_as, 1, WHOLE_FILE, "is not UTF-8 text; save it as UTF-8")]
    except OSError as exc:
        return None, [Problem(shown_as, 1, WHOLE_FILE, f"cannot be read: {exc.strerror}")]
    if "\x00" in text:
        return None, [Problem(shown_as, 1, WHOLE_FILE, "is a binary file; expected Markdown text")]
    doc = YamlDocument(shown_as, {}, {(): 1})
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        match = _META_LINE.match(line)
        if not match:
            if number == 1:
                return None, [Problem(shown_as, 1, "title",
                                      "expected the story to start with metadata lines such as "
                                      "'Title: ...'; found text instead")]
            break
        key = match.group(1).lower().replace("-", "_")
        doc.value[key] = match.group(2).strip()
        doc.lines[(key,)] = number
    return doc, []


def check_stories(site: Path, role_ids: set[str] | None, stage_ids: set[str] | None) -> tuple[list[StoryHeader], list[Problem]]:
    folder = site / STORIES_DIR
    headers: list[StoryHeader] = []
    problems: list[Problem] = []
    slugs: dict[tuple[int, str], str] = {}
    for file in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        shown_as = file.relative_to(site).as_posix()
        doc, found = read_header(file, shown_as)
        problems += found
        if doc is None:
            continue
        meta, found = validate_document(doc, StoryMeta)
        problems += found
        if not isinstance(meta, StoryMeta):
            continue
        for key, ids, what in (("related_role", role_ids, "role in data/offer.yaml"),
                               ("related_stage", stage_ids, "pathway stage in data/careers.yaml")):
            ref = getattr(meta, key)
            if ref and ids is not None and ref not in ids:
                problems.append(doc.problem((key,), f"expected the id of a {what}; found {ref!r}, which does not exist"))
        slug = meta.slug or slugify(meta.title)
        where = (meta.date.year, slug)
        if where in slugs:
            problems.append(doc.problem(("slug" if meta.slug else "title",),
                                        f"gives the web address stories/{where[0]}/{slug}/, which "
                                        f"{slugs[where]} already uses; set a different Slug"))
        else:
            slugs[where] = shown_as
        headers.append(StoryHeader(shown_as, meta, slug))
    return headers, problems
