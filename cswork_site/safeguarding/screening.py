"""Screen everything that will be published before it is: the safeguarding scan of the
text of stories, testimonials and data, and the metadata of pictures.

The scan reads text as it will be published (``published_text``): a story's body and
summary as the HTML Pelican will write, every other field in each way it can be read.
Every string in the data files is screened, found by walking the validated models, so a
field added later is screened without anyone remembering to list it; only the records
that are kept and never shown (consent, approval, override records) are left out, and
the models say so themselves (``UNPUBLISHED``).

A finding in a story or a testimonial holds that item back (it is not published) and
is reported at its file, line and field, until it is fixed or a person records an
override saying why it is safe. A finding anywhere else in the data is an error: the
build stops, since the detail would be on a page.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cswork_site.data.models import Testimonials
from cswork_site.data.yamlfile import Loc, YamlDocument
from cswork_site.problems import Problem
from cswork_site.safeguarding import N_
from cswork_site.safeguarding.detectors import (
    WATCH_LISTS_FILE,
    Finding,
    WatchLists,
    apply_overrides,
    scan_photo,
    scan_text,
)
from cswork_site.safeguarding.published_text import normalise, readings, squash, text_of_html
from cswork_site.stories.meta import APPROVAL_FIELDS, CONSENT_FIELDS, StoryHeader
from cswork_site.stories.video import StoryVideo, caption_line, video_texts
from cswork_site.translation import gettext

# Every metadata line of a story is screened but these records, kept and never shown.
UNPUBLISHED_STORY_KEYS = frozenset({*CONSENT_FIELDS, *APPROVAL_FIELDS})
# What a finding does, in English with the finding (and the item) to fill in; each is
# given in the reader's language (translation.gettext, locale/*/messages.po).
STORY_HELD = N_("safeguarding: %(finding)s. This story is held back until this is fixed or an override "
                "is recorded.")
VIDEO_HELD = N_("safeguarding: %(finding)s. The story is held back until this is fixed or an override "
                "is recorded.")
TESTIMONIAL_HELD = N_("safeguarding: %(finding)s. Testimonial %(id)s is held back until this is fixed or "
                      "an override is recorded.")
STOPS = N_("safeguarding: %(finding)s. The build stops until this is fixed or an override is recorded in "
           "%(watch_lists)s.")


def _warn(path: str, line: int, field: str, finding: Finding, held: str, **values: object) -> Problem:
    return Problem(path, line, field, gettext(held, finding=finding.message, **values), "warning")


def own_details(models: Iterable[BaseModel]) -> list[str]:
    """The organisation's own published contact details and addresses (fields a model names
    in OWN_DETAILS: the service's contact, the agency team's, places of work), each whole
    and in its lines and comma-separated parts, as they may be quoted in prose; and of the
    fields named in OWN_ADDRESS (an event's venue), the parts with a number in them."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            own = getattr(type(value), "OWN_DETAILS", ())
            addresses = getattr(type(value), "OWN_ADDRESS", ())
            for name in type(value).model_fields:
                item = getattr(value, name)
                if name in own and item is not None:
                    found.append(str(item))
                elif name in addresses and isinstance(item, str):
                    found.extend(p.strip() for p in re.split(r"[,\n]", item) if re.search(r"\d", p))
                else:
                    walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    for model in models:
        walk(model)
    parts = [p.strip() for value in found for p in re.split(r"[,\n]", value) if p.strip()]
    return list(dict.fromkeys(found + parts))


def with_own_contacts(lists: WatchLists, models: Iterable[BaseModel]) -> WatchLists:
    """The organisation's own published contact details are never a finding: as written,
    and as the check reads text (accents folded: "Lôn" is read "Lon")."""
    own = own_details(models)
    return dataclasses.replace(lists, allowed=lists.allowed + tuple(dict.fromkeys([*own, *map(normalise, own)])))


def scan_readings(texts: Iterable[str], lists: WatchLists) -> list[Finding]:
    """Findings in any of the readings of one field, each detail once."""
    found: dict[tuple[str, str], Finding] = {}
    for text in texts:
        for f in scan_text(text, lists):
            found.setdefault((f.kind, squash(f.excerpt)), f)
    return list(found.values())


def scan_plain(value: str, lists: WatchLists) -> list[Finding]:
    return scan_readings(readings(value), lists)


def scan_html(markup: str, lists: WatchLists) -> list[Finding]:
    return scan_readings(readings(text_of_html(markup)), lists)


# --- stories ---------------------------------------------------------------

_WORD = re.compile(r"\w{3,}")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


class _SourceLines:
    """Finds the line of a story's file that a finding in its published text came from."""

    def __init__(self, text: str, first: int):
        self.first = first
        self.lines = text.splitlines()
        self._read: list[str] | None = None

    def line_of(self, excerpt: str) -> int:
        if self._read is None:
            self._read = [" ".join(squash(r) for r in readings(line)) for line in self.lines]
        wanted = squash(excerpt.rstrip("."))
        words = _WORD.findall(wanted)
        for probe in (wanted, *(words[:1])):
            for number in range(self.first, len(self._read) + 1):
                if probe and probe in self._read[number - 1]:
                    return number
        return self.first


def screen_story(site: Path, header: StoryHeader, lists: WatchLists, text: str,
                 prepared: Any) -> tuple[StoryHeader, list[Problem]]:
    """Screen one story as it will be published. prepared is its converted Markdown
    (storywork.PreparedMarkdown): the body and summary as Pelican will write them."""
    overrides = [o for o in lists.story_overrides if o.story == header.path]
    found: list[tuple[int, str, Finding]] = []
    meta = header.meta
    # Every metadata line as Pelican's reader took it (a theme can show any of them),
    # but the records of consent and approval, which are kept and never shown.
    for name, values in prepared.meta.items():
        key = name.lower().replace("-", "_")
        if key in UNPUBLISHED_STORY_KEYS:
            continue
        line = header.header_lines.get(key, 1)
        markup = prepared.formatted.get("\n".join(values))  # a field Pelican formats as HTML
        texts = [t for value in values for t in readings(value)]
        if markup is not None:
            texts += readings(text_of_html(markup))
        found += [(line, key, f) for f in scan_readings(texts, lists)]
    # The web address carries the slug, given or made from the title.
    found += [(header.header_lines.get("slug", header.header_lines.get("title", 1)), "slug", f)
              for f in scan_plain(header.slug.replace("-", " "), lists)]
    source = _SourceLines(text, header.body_start)
    found += [(source.line_of(f.excerpt), "body", f) for f in scan_html(prepared.content, lists)]
    if meta.image:
        found += [(header.header_lines["image"], "image", f) for f in _photo(site, meta.image)]
    in_files = _video_findings(header.video, lists) if header.video else []
    remaining, _ = apply_overrides([f for _, _, f in found] + [f for *_, f in in_files], overrides)
    keep = {id(f) for f in remaining}
    problems = [_warn(header.path, line, field, f, STORY_HELD) for line, field, f in found if id(f) in keep]
    problems += [_warn(path, line, field, f, VIDEO_HELD) for path, line, field, f in in_files if id(f) in keep]
    return (dataclasses.replace(header, held_back=True) if problems else header), problems


def _video_findings(video: StoryVideo, lists: WatchLists) -> list[tuple[str, int, str, Finding]]:
    """A video's captions and transcript are published words too: each finding with the
    file, line and field it is reported at (its own file's, not the story's)."""
    found: list[tuple[str, int, str, Finding]] = []
    seen: set[tuple[str, str, str]] = set()
    for path, line, field, text in video_texts(video):
        for f in scan_plain(text, lists):
            if (key := (path, f.kind, squash(f.excerpt))) not in seen:  # each detail once
                seen.add(key)
                found.append((path, line or caption_line(video, f.excerpt), field, f))
    return found


def _photo(site: Path, path: str) -> list[Finding]:
    """What a picture's metadata gives away. Only an ordinary file is opened (a named pipe
    would never answer); anything else is reported by the picture checks."""
    file = site / path
    return scan_photo(file) if file.is_file() else []


# --- data ------------------------------------------------------------------

def published_strings(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every string in a validated model that can reach a page, feed, download or index,
    with its location. Walks every field, so nothing is left out by forgetting to list
    it; a model names the fields it keeps but never shows in UNPUBLISHED, and a model
    that is never shown at all sets UNPUBLISHED to "*"."""
    if isinstance(value, BaseModel):
        skip = getattr(type(value), "UNPUBLISHED", ())
        if skip == "*":
            return
        for name in type(value).model_fields:
            if name not in skip:
                yield from published_strings(getattr(value, name), loc + (name,))
    elif isinstance(value, enum.Enum):
        return  # one of a fixed set of words, written by us
    elif isinstance(value, str):
        yield loc, value
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from published_strings(item, loc + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield loc + (key,), key
            yield from published_strings(item, loc + (key,))
    elif value is not None and type(value).__name__.endswith("Url"):
        yield loc, str(value)  # links are published too


def screen_model(doc: YamlDocument, model: BaseModel, lists: WatchLists, base: Loc = (),
                 overrides: Iterable[Any] = ()) -> list[tuple[Loc, Finding]]:
    """Every finding in the published strings of model (found in doc at base)."""
    found: list[tuple[Loc, Finding]] = []
    for loc, value in published_strings(model, base):
        texts = readings(value)
        if _ID.fullmatch(value):  # an id is published in web addresses
            texts.append(value.replace("-", " "))
        found += [(loc, f) for f in scan_readings(texts, lists)]
    remaining, _ = apply_overrides([f for _, f in found], overrides)
    keep = {id(f) for f in remaining}
    return [(loc, f) for loc, f in found if id(f) in keep]


def screen_data(documents: dict[str, YamlDocument], models: dict[str, BaseModel],
                lists: WatchLists, skip: Iterable[str] = ("testimonials",)) -> list[Problem]:
    """Errors for every finding in the data files (testimonials are screened on their own,
    since a finding holds back only that testimonial)."""
    return screen_entries([(documents[key], (), model) for key, model in models.items()
                           if key not in skip and key in documents], lists)


def screen_entries(entries: Iterable[tuple[YamlDocument, Loc, BaseModel]], lists: WatchLists) -> list[Problem]:
    """Errors for every finding in items read from data files (a whole file's model, or
    one job of a recruitment CSV), at their lines; reviewed overrides are applied."""
    problems = []
    for doc, base, model in entries:
        overrides = [o for o in lists.data_overrides if o.file == doc.path]
        for loc, f in screen_model(doc, model, lists, base, overrides):
            problems.append(doc.problem(loc, gettext(STOPS, finding=f.message, watch_lists=WATCH_LISTS_FILE)))
    return problems


def screen_testimonials(site: Path, doc: YamlDocument, items: Testimonials,
                        lists: WatchLists) -> tuple[set[str], list[Problem]]:
    """The ids of testimonials held back, and why."""
    held: set[str] = set()
    problems: list[Problem] = []
    for i, t in enumerate(items.testimonials):
        found = screen_model(doc, t, lists, ("testimonials", i))
        if t.photo:
            found += [(("testimonials", i, "photo", "path"), f) for f in _photo(site, t.photo.path)]
        remaining, _ = apply_overrides([f for _, f in found], t.safeguarding_overrides)
        keep = {id(f) for f in remaining}
        for loc, f in found:
            if id(f) in keep:
                problems.append(_warn(doc.path, doc.line_of(loc), doc.problem(loc, "").field, f,
                                      TESTIMONIAL_HELD, id=repr(t.id)))
                held.add(t.id)
    return held, problems
