"""Screen stories and testimonials before publication: the safeguarding scan of their
text and the metadata of their pictures. A finding holds the item back (it is not
published) and is reported at its file, line and field, until it is fixed or a person
records an override saying why it is safe.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from .models import Service, Testimonials
from .problems import Problem
from .safeguarding import Finding, WatchLists, apply_overrides, scan_photo, scan_text
from .stories import StoryHeader
from .yamlfile import YamlDocument

# Metadata that is published; consent and approval records are kept, not shown.
PUBLISHED_STORY_KEYS = ("title", "summary", "tags", "author_role", "image_alt", "image_caption")
PUBLISHED_TESTIMONIAL_FIELDS = ("quote", "name", "role", "team")
HINTS = re.compile(r"<!-- cswork hints:.*?-->", re.S)
HELD = " {what} is held back until this is fixed or an override is recorded."


def _warn(path: str, line: int, field: str, finding: Finding, what: str) -> Problem:
    return Problem(path, line, field, f"safeguarding: {finding.message}." + HELD.format(what=what), "warning")


def with_own_contacts(lists: WatchLists, service: Service | None) -> WatchLists:
    """The service's own published contact details are never a finding."""
    if service is None:
        return lists
    own = (str(service.contact.email), service.contact.phone, str(service.privacy.dpo_email))
    return dataclasses.replace(lists, allowed=lists.allowed + own)


def screen_story(site: Path, header: StoryHeader, lists: WatchLists,
                 text: str | None = None) -> tuple[StoryHeader, list[Problem]]:
    if text is None:
        text = (site / header.path).read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    overrides = [o for o in lists.story_overrides if o.story == header.path]
    found: list[tuple[int, str, Finding]] = []
    for key in PUBLISHED_STORY_KEYS:
        line = header.header_lines.get(key)
        if line:
            value = lines[line - 1].split(":", 1)[1]
            found += [(line, key, f) for f in scan_text(value, lists)]
    # The hints `cswork new story` writes are never published; blank them, keeping line numbers.
    body = HINTS.sub(lambda m: "\n" * m.group(0).count("\n"), "\n".join(lines[header.body_start - 1:]))
    found += [(header.body_start + f.line - 1, "body", f) for f in scan_text(body, lists)]
    if header.meta.image:
        found += [(header.header_lines["image"], "image", f) for f in scan_photo(site / header.meta.image)]
    remaining, _ = apply_overrides([f for _, _, f in found], overrides)
    keep = {id(f) for f in remaining}
    problems = [_warn(header.path, line, field, f, "This story") for line, field, f in found if id(f) in keep]
    return (dataclasses.replace(header, held_back=True) if problems else header), problems


def screen_testimonials(site: Path, doc: YamlDocument, items: Testimonials,
                        lists: WatchLists) -> tuple[set[str], list[Problem]]:
    """The ids of testimonials held back, and why."""
    held: set[str] = set()
    problems: list[Problem] = []
    for i, t in enumerate(items.testimonials):
        found: list[tuple[tuple, Finding]] = []
        for name in PUBLISHED_TESTIMONIAL_FIELDS:
            value = getattr(t, name)
            if value:
                found += [(("testimonials", i, name), f) for f in scan_text(value, lists)]
        if t.photo:
            found += [(("testimonials", i, "photo", "path"), f) for f in scan_photo(site / t.photo.path)]
        remaining, _ = apply_overrides([f for _, f in found], t.safeguarding_overrides)
        keep = {id(f) for f in remaining}
        for loc, f in found:
            if id(f) in keep:
                problems.append(dataclasses.replace(
                    _warn(doc.path, doc.line_of(loc), doc.problem(loc, "").field, f, f"Testimonial {t.id!r}")))
                held.add(t.id)
    return held, problems
