"""A story's own video: a file in the site folder, published from this site (no
third-party player, nothing fetched from elsewhere), always with captions and a
transcript.

A story names its video in four metadata lines:

    Video: content/videos/team-day.mp4           (MP4 or WebM)
    Video_captions: content/videos/team-day.vtt  (WebVTT, required)
    Video_transcript: content/videos/team-day.txt (plain text, required; shown on the page)
    Video_poster: content/images/team-day.jpg    (optional: the picture shown before it plays)

A video without captions, with captions that are not valid WebVTT, or without a
transcript, holds its story back (an error at the line to fix): people who cannot hear
it must get what it says. The captions' and the transcript's words are published, so
they are screened for child-identifying details as the story's text is; a finding holds
the story back too, reported at the file and line it was found in.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from cswork_site.data.yamlfile import YamlDocument, refused_file
from cswork_site.files import NotText, decode_text
from cswork_site.output.pictures import image_problems
from cswork_site.problems import Problem

# What a browser plays without a plugin, and how each file starts (its signature).
VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm"}
_WEBM_MAGIC = b"\x1a\x45\xdf\xa3"
# Phones write where a video was filmed into the file (MP4's ©xyz and loci boxes): a
# child's home or school could be read from it, so such a file is held back.
_MP4_LOCATION = (b"\xa9xyz", b"loci")
# A story's video is a clip; far past this it should be hosted and linked another way.
MAX_VIDEO_BYTES = 200 * 2**20
MAX_TEXT_BYTES = 2 * 2**20
VIDEO_FIELDS = ("video", "video_captions", "video_transcript", "video_poster")
HELD = " The story is held back until this is fixed."


@dataclass(frozen=True)
class Cue:
    line: int  # in the captions file, where the cue's text starts
    text: str


@dataclass(frozen=True)
class StoryVideo:
    """A story's video, checked: its files (paths within the site) and the words it says."""
    source: str
    mime: str
    captions: str
    transcript: str
    poster: str | None
    cues: tuple[Cue, ...]
    transcript_paragraphs: tuple[str, ...]
    transcript_lines: tuple[int, ...]  # the line each paragraph starts on

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(f for f in (self.source, self.captions, self.transcript, self.poster) if f)


def _file_problem(site: Path, doc: YamlDocument, field: str, shown: str, what: str) -> Problem | None:
    """Why a file named on a story's line cannot be used, or None."""
    refused = refused_file(site / shown, shown)
    if refused is not None:
        return doc.problem((field,), f"expected {what}; found {shown!r}, which {refused.message}")
    file = site / shown
    if not file.resolve().is_relative_to(site.resolve()):
        return doc.problem((field,), f"expected {what} inside the site folder; found {shown!r}")
    if not file.is_file():
        return doc.problem((field,), f"expected {what}; found {shown!r}, which does not exist "
                                     "(give its path from the site folder, e.g. content/videos/team-day.mp4)")
    return None


def _read_text(site: Path, doc: YamlDocument, field: str, shown: str, what: str) -> tuple[str | None, Problem | None]:
    problem = _file_problem(site, doc, field, shown, what)
    if problem is not None:
        return None, problem
    raw = (site / shown).read_bytes()
    if len(raw) > MAX_TEXT_BYTES:
        return None, doc.problem((field,), f"{shown!r} is {len(raw) / 2**20:.1f} MB, more than the "
                                           f"{MAX_TEXT_BYTES // 2**20} MB {what} may be; check it is the right file")
    text = decode_text(raw, newlines=True)
    if isinstance(text, NotText):
        return None, doc.problem((field,), f"{shown!r} is not UTF-8 text; save it as UTF-8")
    return text, None


def caption_cues(text: str) -> tuple[list[Cue], str | None]:
    """The cues of WebVTT captions, or why they are not valid WebVTT captions."""
    if not text.lstrip("\ufeff").startswith("WEBVTT") or text.lstrip("\ufeff")[6:7] not in ("", " ", "\t", "\n"):
        return [], "is not WebVTT: its first line must be WEBVTT"
    try:
        captions = webvtt.from_buffer(io.StringIO(text))
    except (MalformedFileError, MalformedCaptionError) as exc:
        return [], f"is not valid WebVTT ({exc})"
    lines = text.splitlines()
    cues: list[Cue] = []
    at = 0
    for caption in captions.captions:
        # The line of the cue's timing; its text follows.
        at = next((i for i in range(at, len(lines)) if "-->" in lines[i]), at)
        if caption.end_in_seconds <= caption.start_in_seconds:
            return [], f"has a cue on line {at + 1} that ends ({caption.end}) before it starts ({caption.start})"
        at += 1
        if caption.text.strip():
            cues.append(Cue(at + 1, caption.text))
    if not cues:
        return [], ("has no cues with words (each is a line such as 00:00:01.000 --> 00:00:04.000, "
                    "then the words said, then a blank line)")
    return cues, None


def _paragraphs(text: str) -> tuple[list[str], list[int]]:
    paragraphs: list[str] = []
    starts: list[int] = []
    current: list[str] = []
    for number, line in enumerate(text.splitlines() + [""], start=1):
        if line.strip():
            if not current:
                starts.append(number)
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs, starts


def _video_problem(site: Path, doc: YamlDocument, shown: str) -> tuple[str | None, Problem | None]:
    """The video's media type, or why it cannot be published."""
    problem = _file_problem(site, doc, "video", shown, "a video file (MP4 or WebM)")
    if problem is not None:
        return None, problem
    mime = VIDEO_TYPES.get(Path(shown).suffix.lower())
    if mime is None:
        return None, doc.problem(("video",), f"expected an MP4 (.mp4) or WebM (.webm) video, which every "
                                             f"browser plays; found {shown!r}")
    file = site / shown
    size = file.stat().st_size
    if size > MAX_VIDEO_BYTES:
        return None, doc.problem(("video",), f"{shown!r} is {size / 2**20:.0f} MB, more than the "
                                             f"{MAX_VIDEO_BYTES // 2**20} MB a story's video may be; export a "
                                             "shorter clip or a smaller size")
    content = file.read_bytes()
    if mime == "video/webm":
        if not content.startswith(_WEBM_MAGIC):
            return None, doc.problem(("video",), f"{shown!r} is not a WebM video; export it again as WebM")
    elif content[4:8] != b"ftyp":
        return None, doc.problem(("video",), f"{shown!r} is not an MP4 video; export it again as MP4 (H.264)")
    elif any(box in content for box in _MP4_LOCATION):
        return None, doc.problem(("video",), f"{shown!r} holds the place it was filmed (GPS location), which "
                                             "could say where a child lives or goes to school; export it again "
                                             "without location (or with location services off)." + HELD)
    return mime, None


def check_video(site: Path, doc: YamlDocument, meta: object,
                pictures: Path | None = None) -> tuple[StoryVideo | None, list[Problem]]:
    """A story's video lines checked: the video, or None, and every problem, each an
    error that holds the story back. meta: the story's StoryMeta."""
    given = {f: getattr(meta, f) for f in VIDEO_FIELDS}
    if not any(given.values()):
        return None, []
    source = given["video"]
    if not source:
        return None, [doc.problem((f,), "is given, but the story has no Video line naming its video file; "
                                        "add one, or delete this line") for f in VIDEO_FIELDS[1:] if given[f]]
    problems: list[Problem] = []
    mime, problem = _video_problem(site, doc, source)
    problems += [problem] if problem else []
    cues: list[Cue] = []
    captions = given["video_captions"]
    if not captions:
        problems.append(doc.problem(("video",), (
            "has no captions: add a Video_captions line naming its WebVTT captions file (.vtt), so that "
            "people who cannot hear the video know what is said." + HELD)))
    else:
        text, problem = _read_text(site, doc, "video_captions", captions, "a WebVTT captions file (.vtt)")
        if problem is None and text is not None:
            cues, why = caption_cues(text)
            if why:
                problem = doc.problem(("video_captions",), f"{captions!r} {why}, so it cannot be the video's "
                                                           "captions." + HELD)
        problems += [problem] if problem else []
    paragraphs: list[str] = []
    starts: list[int] = []
    transcript = given["video_transcript"]
    if not transcript:
        problems.append(doc.problem(("video",), (
            "has no transcript: add a Video_transcript line naming a text file of what is said and shown, "
            "which is published under the video." + HELD)))
    else:
        text, problem = _read_text(site, doc, "video_transcript", transcript, "a transcript (a .txt file)")
        if problem is None and text is not None:
            paragraphs, starts = _paragraphs(text)
            if not paragraphs:
                problem = doc.problem(("video_transcript",), f"{transcript!r} is empty; write what is said "
                                                             "and shown in the video." + HELD)
        problems += [problem] if problem else []
    poster = given["video_poster"]
    if poster:
        problem = _file_problem(site, doc, "video_poster", poster, "a picture (JPEG, PNG or WebP)")
        if problem is None:
            line = doc.line_of(("video_poster",))
            # Shown as part of the video, which has its own name: no alt text of its own.
            problems += [dataclasses.replace(p, field="video_poster")
                         for p in image_problems(doc.path, line, "video_poster", site / poster, poster,
                                                 decorative=True, cache_dir=pictures)]
        else:
            problems.append(problem)
    if problems or mime is None or not captions or not transcript:
        return None, problems
    return StoryVideo(source, mime, captions, transcript, poster or None, tuple(cues),
                      tuple(paragraphs), tuple(starts)), []


def video_texts(video: StoryVideo) -> list[tuple[str, int, str, str]]:
    """Every published text of a video, with where it came from: (file, line, field, text).
    The captions come cue by cue, then all together (line 0: see caption_line), since a
    name can be split between two cues ("... with Kieran" / "Walsh, who ...")."""
    found = [(video.captions, c.line, "caption", c.text) for c in video.cues]
    found.append((video.captions, 0, "caption", " ".join(" ".join(c.text.split()) for c in video.cues)))
    found += [(video.transcript, line, "transcript", p)
              for line, p in zip(video.transcript_lines, video.transcript_paragraphs, strict=True)]
    return found


def caption_line(video: StoryVideo, excerpt: str) -> int:
    """The line of the cue where a detail found in the captions read whole begins."""
    words = excerpt.split()
    for cue in video.cues:
        if words and words[0].casefold() in cue.text.casefold():
            return cue.line
    return video.cues[0].line if video.cues else 1
