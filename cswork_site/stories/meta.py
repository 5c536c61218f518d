"""Check the metadata of Markdown stories (in content/stories/, or the folders the site's
ARTICLE_PATHS name) before Pelican reads them.

Pelican's Markdown reader takes ``Key: value`` lines at the top of a file, up to the
first blank line. We read the same lines ourselves so every problem has its line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Field

from cswork_site.addresses import SiteAddresses
from cswork_site.data.loading import validate_document
from cswork_site.data.models.common import Approval, Consent, Id, Model, ScopeWord, ShortText, Text
from cswork_site.data.yamlfile import YamlDocument, refused_file
from cswork_site.files import NotText, decode_text
from cswork_site.languages import DEFAULT_LANGUAGE, LANGUAGES
from cswork_site.output.pictures import image_problems
from cswork_site.plugin.pelican_api import read_extensions, slugify_title, split_list
from cswork_site.problems import WHOLE_FILE, Problem
from cswork_site.safeguarding.publication import Gate, judge
from cswork_site.stories.video import StoryVideo, check_video

STORIES_DIR = "content/stories"  # unless the site's PATH and ARTICLE_PATHS say otherwise
# A story is a page of text; the longest demo story is 5 kB. Far past this, reading and
# converting it would hold a build up for minutes.
MAX_STORY_BYTES = 2 * 2**20


def story_slug(title: str) -> str:
    """The slug Pelican gives a title with its default substitutions."""
    return slugify_title(title)


# Metadata Pelican acts on that a story must not set: each would publish something the
# check has not seen, or somewhere it does not know.
PELICAN_KEYS = {
    "author": "the author named on the page and in the feed", "authors": "the authors named",
    "category": "the story's category page", "save_as": "where the page is written",
    "url": "the story's web address", "template": "the template the page is drawn with",
    "translation": "which story it translates (the versions of a story pair by their Slug)",
    "page_order": "the order of pages", "override_url": "the story's web address",
}


SUMMARY_HINT = "Write one or two sentences that sum up the story."


class StoryKind(str, Enum):
    practice = "practice story"
    career = "career story"
    agency_to_permanent = "agency-to-permanent story"
    young_people = "young people's voice"
    news = "news"


# The short names `cswork new story --kind` takes (the full names work too).
KIND_SHORT_NAMES: dict[StoryKind, str] = {
    StoryKind.practice: "practice",
    StoryKind.career: "career",
    StoryKind.agency_to_permanent: "agency-to-permanent",
    StoryKind.young_people: "young-people",
    StoryKind.news: "news",
}


def kind_named(name: str) -> StoryKind | None:
    """The kind a person named on the command line: by its short name, its full name or the
    slug of its address (young-peoples-voice), in any case; None if none is."""
    wanted = " ".join(name.split()).casefold()
    for kind in StoryKind:
        if wanted in (KIND_SHORT_NAMES[kind], kind.value.casefold(), story_slug(kind.value)):
            return kind
    return None


def _split_list(value: object) -> object:
    # As Pelican splits Tags (on semicolons if there are any, else on commas), so the
    # tags checked are the tags published.
    if isinstance(value, str):
        return split_list(value)
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


def _language_code(value: object) -> object:
    """A Lang line's language, by its code or its tag, in any case: cy, CY, en, en-GB."""
    if isinstance(value, str):
        wanted = value.strip().casefold()
        return next((lang.code for lang in LANGUAGES.values() if wanted in (lang.code, lang.tag.casefold())),
                    value.strip())
    return value


StoryDate = Annotated[dt.datetime, BeforeValidator(_parse_date)]
LanguageCode = Annotated[str, BeforeValidator(_language_code)]
ScopeList = Annotated[list[ScopeWord], BeforeValidator(_split_list)]
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
    lang: LanguageCode | None = Field(default=None, description=(
        "The story's language, one of the site's (cy or en); left out, the site's main language. "
        "A story in another language gives the same Slug as the story it translates"))
    author_role: ShortText | None = Field(default=None, description="The writer's role, e.g. Communications officer")
    related_role: Id | None = None
    related_stage: Id | None = None
    related_value: ShortText | None = Field(default=None, description="A value of the practice framework, by name")
    status: StoryStatus = Field(default=StoryStatus.published,
                                description="draft keeps a story off the site until it is ready")
    # Consent and approval are flat lines (Consent_expires: ...) so each problem names
    # the exact line a comms officer wrote.
    consent_given_by: ShortText | None = None
    consent_date: dt.date | None = None
    consent_scope: ScopeList | None = None
    consent_expires: dt.date | None = None
    consent_reference: ShortText | None = None
    approved_by: ShortText | None = Field(default=None, description="The approver's role")
    approved_on: dt.date | None = None
    pseudonyms: bool = Field(default=False, description="yes prints 'Names have been changed'")
    image: ShortText | None = Field(default=None, description="A picture, relative to the site folder")
    image_alt: str = Field(default="", max_length=300)
    image_caption: ShortText | None = None
    image_decorative: bool = False
    # A video of the story's own, published from this site (see stories/video.py).
    video: ShortText | None = Field(default=None, description="An MP4 or WebM video, relative to the site folder")
    video_captions: ShortText | None = Field(default=None, description="Its WebVTT captions (.vtt): required")
    video_transcript: ShortText | None = Field(default=None, description="Its transcript, a text file: required")
    video_poster: ShortText | None = Field(default=None, description="A picture shown before it plays")

    @property
    def consent(self) -> Consent | None:
        given_by, date, scope = self.consent_given_by, self.consent_date, self.consent_scope
        expires, reference = self.consent_expires, self.consent_reference
        if given_by is None or date is None or scope is None or expires is None or reference is None:
            return None
        return Consent(given_by=given_by, date=date, scope=scope, expires=expires, reference=reference)

    @property
    def approval(self) -> Approval | None:
        if self.approved_by is None or self.approved_on is None:
            return None
        return Approval(approver_role=self.approved_by, date=self.approved_on)

    def gate(self, today: dt.date) -> Gate:
        return judge(self.consent, self.approval, today)


CONSENT_FIELDS = ("consent_given_by", "consent_date", "consent_scope", "consent_expires", "consent_reference")
APPROVAL_FIELDS = ("approved_by", "approved_on")


@dataclass(frozen=True)
class StoryHeader:
    path: str
    meta: StoryMeta
    slug: str
    gate: Gate
    header_lines: dict[str, int]  # metadata key -> line, for reporting findings
    body_start: int  # the line where the story's text begins
    held_back: bool = False  # by a safeguarding finding, or an error in the story
    scheduled: bool = False  # dated after the build date: published from that day on
    digest: str = ""  # of the file's bytes: a page of this story changes only when it does
    meta_digest: str = ""  # of its metadata lines only: what lists of stories can show
    video: StoryVideo | None = None  # its own video, checked, with the words it says
    lang: str = DEFAULT_LANGUAGE  # its language's code: its Lang line's, else the site's main language

    @property
    def cleared(self) -> bool:
        """Consent and approval in date, nothing held back, and its day come: it may go on
        the site."""
        return self.gate.publishable and not self.held_back and not self.scheduled

    @property
    def publishable(self) -> bool:
        """Cleared and published (a hidden story is written, but listed nowhere)."""
        return self.meta.status != StoryStatus.draft and self.cleared


def _gate_problems(doc: YamlDocument, meta: StoryMeta, gate: Gate) -> list[Problem]:
    """Say what keeps a story off the site, at the line to change."""
    problems = []
    if meta.summary == SUMMARY_HINT:
        problems.append(doc.problem(("summary",), "still has the hint text; write your own summary", "warning"))
    if gate.publishable:
        if meta.status == StoryStatus.draft:
            problems.append(doc.problem(("status",), "is draft, so the story is not published; "
                                        "change it to published when it is ready", "note"))
        return problems
    if gate.scope is not None:
        return problems + [doc.problem(("consent_scope",), gate.reason, "note")]
    if gate.expired_on:
        return problems + [doc.problem(("consent_expires",), gate.reason, "note")]
    for group, fields in (("consent", CONSENT_FIELDS), ("approval", APPROVAL_FIELDS)):
        if group in gate.missing:
            absent = [f for f in fields if getattr(meta, f) is None]
            problems.append(doc.problem((absent[0],), f"is a draft: {group} is not recorded yet (add "
                                            + ", ".join(f.capitalize() for f in absent) + ")", "note"))
    if gate.not_yet:
        field = "approved_on" if gate.not_yet_field == "approval" else "consent_date"
        problems.append(doc.problem((field,), gate.not_yet, "note"))
    return problems


# The grammar of Python-Markdown's Meta extension, which Pelican's Markdown reader uses:
# read with the same patterns, a story's metadata is exactly what Pelican will publish.
_META_BEGIN = re.compile(r"^-{3}(\s.*)?")
_META_END = re.compile(r"^(-{3}|\.{3})(\s.*)?")
_META_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
# Fields whose value may go on over several lines (indented); Pelican joins them.
MULTI_LINE_FIELDS = ("summary",)


@dataclass(frozen=True)
class StoryHead:
    """A story's metadata as Pelican reads it, with the line of every value."""
    doc: YamlDocument
    body_start: int  # the first line of the story's text


def read_head(text: str, shown_as: str) -> tuple[StoryHead | None, list[Problem]]:
    """The metadata lines at the top of a story, read as Pelican's Markdown reader reads
    them. A key written twice is an error naming both lines: Pelican would publish one of
    them (or both, joined), so no single value could be said to have been checked."""
    lines = text.splitlines()
    doc = YamlDocument(shown_as, {}, {(): 1})
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    number = 0
    if lines and _META_BEGIN.match(lines[0]):
        number = 1
    key: str | None = None
    body_start = len(lines) + 1
    while number < len(lines):
        line = lines[number]
        number += 1
        match = _META_KEY.match(line)
        if not line.strip() or _META_END.match(line):
            body_start = number + 1
            break
        if match:
            key = match.group("key").lower().replace("-", "_")
            value = match.group("value").strip()
            if key in seen:
                problems.append(Problem(shown_as, number, key, (
                    f"is written twice, on line {seen[key]} and on line {number}; Pelican would "
                    "publish only one of them, so keep one line and delete the other")))
                continue
            seen[key] = number
            doc.lines[(key,)] = number
            if value:  # an empty line such as "Tags:" means "not given yet"
                doc.value[key] = value
            continue
        more = _META_MORE.match(line)
        if more and key is not None:
            if key in MULTI_LINE_FIELDS:
                doc.value[key] = (doc.value.get(key, "") + "\n" + more.group("value").strip()).strip()
            else:
                problems.append(Problem(shown_as, number, key, (
                    f"this indented line carries on the {key.capitalize()} line above it; write the "
                    f"whole {key.capitalize()} on one line, or leave a blank line before the story's text")))
            continue
        body_start = number  # not metadata: the story's text starts here, as in Pelican
        break
    if not seen:
        return None, [Problem(shown_as, 1, "title", "expected the story to start with metadata lines "
                              "such as 'Title: ...'; found text instead")]
    return StoryHead(doc, body_start), problems


def parse_header(raw: bytes, shown_as: str) -> tuple[StoryHead | None, list[Problem]]:
    text = decode_text(raw, newlines=True)
    if isinstance(text, NotText) and text.binary:
        return None, [Problem(shown_as, 1, WHOLE_FILE, "is a binary file; expected Markdown text")]
    if isinstance(text, NotText):
        return None, [Problem(shown_as, 1, WHOLE_FILE, "is not UTF-8 text; save it as UTF-8")]
    return read_head(text, shown_as)


@dataclass(frozen=True)
class StoryRefs:
    """What a story's metadata may refer to, and the day its consent is judged on."""
    today: dt.date
    role_ids: frozenset[str] | None = None
    stage_ids: frozenset[str] | None = None
    value_names: frozenset[str] | None = None
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)  # the site's, the main one first


def check_story(site: Path, shown_as: str, raw: bytes, refs: StoryRefs,
                pictures: Path | None = None) -> tuple[StoryHeader | None, list[Problem]]:
    """One story's metadata, checked on its own (unique addresses are checked across stories).
    pictures: the pictures' cache, where a picture checked is kept ready to publish."""
    head, problems = parse_header(raw, shown_as)
    if head is None:
        return None, problems
    doc = head.doc
    for key in sorted(doc.value.keys() & PELICAN_KEYS.keys()):
        problems.append(doc.problem((key,), (
            f"is a line Pelican acts on (it would change {PELICAN_KEYS[key]}), and cswork does not "
            "check it; delete the line")))
        del doc.value[key]
    meta, found = validate_document(doc, StoryMeta)
    problems += found
    if not isinstance(meta, StoryMeta):
        return None, problems
    for key, ids, what in (("related_role", refs.role_ids, "the id of a role in data/offer.yaml"),
                           ("related_stage", refs.stage_ids, "the id of a pathway stage in data/careers.yaml"),
                           ("related_value", refs.value_names, "the exact name of a value in data/practice.yaml")):
        ref = getattr(meta, key)
        if ref and ids is not None and ref not in ids:
            problems.append(doc.problem((key,), f"expected {what}; found {ref!r}, which does not exist "
                                                f"(known: {', '.join(sorted(ids)) or 'none'})"))
    if meta.image:
        line = doc.line_of(("image",))
        refused = refused_file(site / meta.image, meta.image)
        if refused is not None:
            problems.append(doc.problem(("image",), f"expected a picture; found {meta.image!r}, which "
                                        + refused.message))
        elif not (source := (site / meta.image).resolve()).is_relative_to(site.resolve()):
            problems.append(doc.problem(("image",), f"expected a picture inside the site folder; found {meta.image!r}"))
        else:
            problems += [replace(p, field=p.field.replace("image.", "image_").replace("image_path", "image"))
                         for p in image_problems(shown_as, line, "image", source, meta.image,
                                                 meta.image_alt, meta.image_decorative, pictures)]
    lang = meta.lang or refs.languages[0]
    if lang not in refs.languages:
        problems.append(doc.problem(("lang",), (
            f"expected one of the site's languages ({', '.join(refs.languages)}, as data/service.yaml "
            f"lists them); found {doc.value.get('lang', meta.lang)!r}")))
        lang = refs.languages[0]
    video, found = check_video(site, doc, meta, pictures)
    problems += found
    gate = meta.gate(refs.today)
    problems += _gate_problems(doc, meta, gate)
    scheduled = meta.date.date() > refs.today
    if scheduled:
        problems.append(doc.problem(("date",), (
            f"is {meta.date:%Y-%m-%d}, after today, so the story is held back until then: the "
            "first build on or after that day publishes it"), "note"))
    lines = {str(key[0]): n for key, n in doc.lines.items() if key}
    slug = meta.slug or story_slug(meta.title)
    if not slug:
        # A title of only emoji or symbols gives no web address: the file's name does.
        slug = story_slug(re.sub(r"^\d{4}-\d{2}-\d{2}-?", "", Path(shown_as).stem)) or "story"
    empty = [t for t in meta.tags if not story_slug(t)]
    if empty:
        problems.append(doc.problem(("tags",), (
            f"{', '.join(repr(t) for t in empty)} has no letters or digits for a web address, so "
            "it is left out of the story's tags; use a word"), "warning"))
        meta = meta.model_copy(update={"tags": [t for t in meta.tags if story_slug(t)]})
    metadata = b"\n".join(raw.splitlines()[:max(lines.values(), default=0)])
    return StoryHeader(shown_as, meta, slug, gate, lines, head.body_start, scheduled=scheduled,
                       digest=hashlib.sha256(raw).hexdigest(),
                       meta_digest=hashlib.sha256(metadata).hexdigest(), video=video, lang=lang), problems


def read_stories(site: Path,
                 folders: tuple[str, ...] = (STORIES_DIR,)) -> Iterator[tuple[str, bytes | None, Problem | None]]:
    """Each story file (Markdown directly in one of the story folders, paths within the
    site): its path in the site, and its bytes or why it cannot be used (a link out of the
    site folder, a read error)."""
    files: dict[Path, bool] = {}  # each file, and whether its folder is inside the site
    for name in folders:
        folder = site / name
        found = sorted(folder.glob("*.md")) if folder.is_dir() else []
        # Resolving every file's path is slow; only a link can lead out of a folder inside the site.
        inside = bool(found) and folder.resolve().is_relative_to(site.resolve())
        for file in found:
            files.setdefault(file, inside)
    for file, inside in files.items():
        shown_as = file.relative_to(site).as_posix()
        # An ordinary file inside the site is read; anything else (a link, a folder named
        # *.md, a named pipe that would wait for ever) is checked and refused first.
        outside = None if inside and not file.is_symlink() and file.is_file() \
            else refused_file(file, shown_as)
        if outside is not None:
            yield shown_as, None, outside
            continue
        try:
            size = file.stat().st_size
            if size > MAX_STORY_BYTES:
                yield shown_as, None, Problem(shown_as, 1, WHOLE_FILE, (
                    f"is {size / 2**20:.1f} MB, more than the {MAX_STORY_BYTES // 2**20} MB a story may be, "
                    "so it is not read and is held back; a story is a page of text: check this is the "
                    "right file, and put long documents elsewhere"))
                continue
            yield shown_as, file.read_bytes(), None
        except OSError as exc:
            yield shown_as, None, Problem(shown_as, 1, WHOLE_FILE, f"cannot be read: {exc.strerror}")


def unchecked_content(site: Path, addresses: SiteAddresses | None = None) -> list[Problem]:
    """Files that Pelican would read as stories or pages but that are not stories cswork
    checks (Markdown files directly in a story folder, content/stories/ by default): one
    in a folder of its own, an HTML or reStructuredText file, or anything in the pages
    folder. None of them has its consent, approval and identifying details checked, so
    none may be published."""
    addresses = addresses or SiteAddresses.default(site)
    read = read_extensions()
    stories = {site / folder for folder in addresses.story_folders}
    problems = []
    seen: set[Path] = set()
    # Where Pelican looks for content (ARTICLE_PATHS and PAGE_PATHS, in PATH).
    for folder in addresses.story_folders + addresses.page_folders:
        # Pelican follows linked folders, so this does too, but never round a loop.
        for root, dirs, files in os.walk(site / folder, followlinks=True):
            here = Path(root)
            real = here.resolve()
            if real in seen:
                dirs[:] = []
                continue
            seen.add(real)
            for name in files:  # the caller sorts the problems
                ext = os.path.splitext(name)[1][1:]  # as Pelican tells a file's reader
                if ext not in read or (ext == "md" and here in stories):
                    continue
                problems.append(Problem(
                    (here / name).relative_to(site).as_posix(), 1, WHOLE_FILE,
                    "is not a story cswork can check (consent, approval, identifying details), so it "
                    "cannot be published; a story is a Markdown file (.md) directly in "
                    f"{addresses.stories_folder}/: move it there, or out of {addresses.content}/"))
    return problems


def unique_addresses(headers: list[StoryHeader], addresses: SiteAddresses) -> list[Problem]:
    """Two stories in one language whose pages the site's ARTICLE_SAVE_AS would write to
    one file (by default: of one year, with one slug). Stories in different languages
    with one slug are versions of one story, written to each language's pages."""
    problems = []
    first: dict[tuple[str, str], str] = {}
    several = len({h.lang for h in headers}) > 1
    for h in headers:
        where = (h.lang, addresses.story_save_as(h))
        if where in first:
            key = "slug" if h.meta.slug else "title"
            language = f" in {LANGUAGES[h.lang].name}" if several else ""
            problems.append(Problem(h.path, h.header_lines.get(key, 1), key,
                                    f"gives the web address {addresses.story_url(h)}, which "
                                    f"{first[where]} already uses{language}; set a different Slug"
                                    + (" (a version in another language has its own Lang line)"
                                       if several else "")))
        else:
            first[where] = h.path
    return problems


def versions(headers: Iterable[StoryHeader]) -> dict[str, dict[str, str]]:
    """For each story's path, the paths of its versions in the site's other languages, by
    language code: the stories with its slug, dated in its year, in another language."""
    groups: dict[tuple[str, int], dict[str, str]] = {}
    for h in sorted(headers, key=lambda h: h.path):
        groups.setdefault((h.slug, h.meta.date.year), {}).setdefault(h.lang, h.path)
    found: dict[str, dict[str, str]] = {}
    for h in headers:
        group = groups[(h.slug, h.meta.date.year)]
        found[h.path] = {code: path for code, path in group.items() if code != h.lang}
    return found


def pair_versions(headers: list[StoryHeader], languages: tuple[str, ...]) -> list[Problem]:
    """The versions of a story pair by slug within one year (its address has the year): a
    story in another language with the slug of one in another year is an error at its
    Date line (in the version not in the main language). On a site in more than one
    language, a published story with no version in another of them is warned about at
    its Title line."""
    problems = []
    paired = versions(headers)
    by_slug: dict[str, list[StoryHeader]] = {}
    for h in headers:
        by_slug.setdefault(h.slug, []).append(h)
    for h in headers:
        astray = [o for o in by_slug[h.slug] if o.lang != h.lang and o.meta.date.year != h.meta.date.year
                  and o.lang not in paired[h.path]]
        if astray and h.lang != languages[0]:
            other = astray[0]
            problems.append(Problem(h.path, h.header_lines.get("date", 1), "date", (
                f"is in {h.meta.date.year}, but the {LANGUAGES[other.lang].name} version with Slug {h.slug!r}, "
                f"{other.path}, is dated {other.meta.date.year}: both versions of a story must be dated in "
                "the same year (its address has the year); change the Date, or give a different Slug")))
    if len(languages) < 2:
        return problems
    for h in headers:
        if not h.publishable:
            continue
        for code in languages:
            if code != h.lang and code not in paired[h.path]:
                problems.append(Problem(h.path, h.header_lines.get("title", 1), "title", (
                    f"no {LANGUAGES[code].name} version: write one with \"Lang: {code}\" and "
                    f"\"Slug: {h.slug}\""), "warning"))
    return problems


def check_stories(site: Path, role_ids: set[str] | None, stage_ids: set[str] | None,
                  today: dt.date, value_names: set[str] | None = None,
                  addresses: SiteAddresses | None = None,
                  languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)) -> tuple[list[StoryHeader], list[Problem]]:
    """Every story's metadata, one file after another (the build does the same in parallel)."""
    addresses = addresses or SiteAddresses.default(site)
    roles, stages, values = (frozenset(x) if x is not None else None for x in (role_ids, stage_ids, value_names))
    refs = StoryRefs(today, roles, stages, values, languages)
    headers: list[StoryHeader] = []
    problems: list[Problem] = []
    for shown_as, raw, refused in read_stories(site, addresses.story_folders):
        if raw is None:
            problems.append(refused)  # type: ignore[arg-type]
            continue
        header, found = check_story(site, shown_as, raw, refs)
        problems += found
        if header is not None:
            headers.append(header)
    return headers, problems + unique_addresses(headers, addresses) + pair_versions(headers, refs.languages)
