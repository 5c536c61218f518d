"""Video stories: a story's own video, played from the site with its WebVTT captions and
its transcript on the page; one without captions, with captions that are not WebVTT, or
whose captions name a child, is held back with a line saying why."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .helpers import CONSENT_LINES, axe_violations, cswork, leaks, nu_check, serving

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
NAME = "Kieran Walsh"  # on the demo's watch list
# The smallest file a browser takes for an MP4: an ftyp box, then an empty mdat box.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08mdat"
CAPTIONS = ("WEBVTT\n\n00:00:00.000 --> 00:00:03.000\nWelcome to the Castlebrook duty team.\n\n"
            "00:00:03.500 --> 00:00:06.000\nWe start every day with a huddle zqxcue.\n")
TRANSCRIPT = ("A social worker speaks to the camera in an office.\n\n"
              "Welcome to the Castlebrook duty team. We start every day with a huddle zqxtranscript.\n")
SLUG = "a-day-on-duty"


def _story(site: Path, video_lines: str, captions: str | None = CAPTIONS, transcript: str | None = TRANSCRIPT) -> Path:
    videos = site / "content" / "videos"
    videos.mkdir(parents=True, exist_ok=True)
    (videos / "duty.mp4").write_bytes(MP4)
    if captions is not None:
        (videos / "duty.vtt").write_text(captions)
    if transcript is not None:
        (videos / "duty.txt").write_text(transcript)
    story = site / "content" / "stories" / "2025-05-01-a-day-on-duty.md"
    story.write_text("Title: A day on duty\nDate: 2025-05-01\nSummary: What a day on the duty team is like.\n"
                     "Kind: career story\nAuthor_role: Communications officer\n" + video_lines
                     + CONSENT_LINES + "\nOur duty team took a camera round for a day.\n")
    return story


ALL_LINES = ("Video: content/videos/duty.mp4\nVideo_captions: content/videos/duty.vtt\n"
             "Video_transcript: content/videos/duty.txt\nVideo_poster: content/images/walking-together.jpg\n")


def _page(site: Path) -> Path | None:
    found = [p for p in (site / "output").rglob("index.html") if p.parent.name == SLUG]
    return found[0] if found else None


def _problems(stderr: str) -> list[re.Match]:
    return [m for line in stderr.splitlines() if (m := LINE.match(line))]


@pytest.fixture(scope="module")
def video_site(tmp_path_factory):
    from .helpers import copy_site

    site = copy_site(tmp_path_factory.mktemp("video") / "site")
    _story(site, ALL_LINES)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    return site


def test_a_story_with_video_captions_and_transcript_is_published_with_them(video_site):
    page = _page(video_site)
    assert page is not None
    soup = BeautifulSoup(page.read_text(), "html.parser")
    video = soup.select_one("main video[controls]")
    assert video is not None
    source = video.find("source")
    assert source["type"] == "video/mp4"
    track = video.find("track")
    assert track["kind"] == "captions" and track["srclang"] == "en" and track.has_attr("default")
    output = video_site / "output"
    # Published from the site itself, under names made from the content, byte for byte.
    assert (output / source["src"].lstrip("/")).read_bytes() == MP4
    assert re.fullmatch(r"/media/video\.[0-9a-f]{10}\.mp4", source["src"])
    assert (output / track["src"].lstrip("/")).read_text() == CAPTIONS
    assert (output / video["poster"].lstrip("/")).is_file()
    transcript = soup.select_one(".story-video__transcript")
    assert "We start every day with a huddle zqxtranscript." in transcript.get_text()
    assert "A social worker speaks to the camera" in transcript.get_text()
    # No player or file from anywhere else, and the policy lets only the site's own media play.
    assert not [t for t in soup.find_all(["iframe", "script"], src=True) if "//" in t["src"]]
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "media-src 'self'" in csp


def test_video_story_page_passes_axe_and_the_nu_checker(browser, video_site):

    output = video_site / "output"
    page_file = _page(video_site)
    path = "/" + page_file.relative_to(output).as_posix().removesuffix("index.html")
    with serving(output) as base:
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(base + path)
        assert axe_violations(page) == []
        assert page.locator("video track[kind=captions]").count() == 1
        page.close()
    assert [u for u in requested if not u.startswith(base)] == []
    only = output.parent / "nu"
    shutil.rmtree(only, ignore_errors=True)
    only.mkdir()
    shutil.copy(page_file, only / "index.html")
    result = nu_check(only, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_video_without_captions_is_held_back_with_a_clear_message(site):
    story = _story(site, "Video: content/videos/duty.mp4\nVideo_transcript: content/videos/duty.txt\n",
                   captions=None)
    checked = cswork("check", str(site))
    found = [m for m in _problems(checked.stderr) if m["path"] == story.relative_to(site).as_posix()]
    assert [(m["line"], m["field"]) for m in found] == [("6", "video")], checked.stderr
    assert "has no captions" in found[0]["message"] and "held back" in found[0]["message"]
    assert checked.returncode == 1  # an error in a story, as any other: `check` fails, the build goes on
    built = cswork("build", str(site))
    # As the gate does: the story is held back, and the rest of the site is built.
    assert built.returncode == 0, built.stderr
    assert "has no captions" in built.stderr
    assert _page(site) is None
    assert not leaks(site / "output", ["A day on duty", "zqxtranscript"])


@pytest.mark.parametrize("captions, why", [
    ("1\n00:00:00,000 --> 00:00:02,000\nThis is SubRip, not WebVTT.\n", "first line must be WEBVTT"),
    ("WEBVTT\n\nno cue here\n", "has no cues"),
    ("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards.\n", "ends"),
])
def test_captions_that_are_not_webvtt_hold_the_story_back(site, captions, why):
    story = _story(site, ALL_LINES, captions=captions)
    built = cswork("build", str(site))
    assert built.returncode == 0, built.stderr
    found = [m for m in _problems(built.stderr) if m["path"] == story.relative_to(site).as_posix()
             and m["field"] == "video_captions"]
    assert len(found) == 1 and why in found[0]["message"], built.stderr
    assert found[0]["line"] == "7"
    assert _page(site) is None


def test_a_video_without_a_transcript_is_held_back(site):
    _story(site, "Video: content/videos/duty.mp4\nVideo_captions: content/videos/duty.vtt\n", transcript=None)
    built = cswork("build", str(site))
    assert built.returncode == 0, built.stderr
    assert "has no transcript" in built.stderr
    assert _page(site) is None


@pytest.mark.parametrize("where", ["captions", "transcript"])
def test_a_child_named_in_the_captions_or_transcript_holds_the_story_back(site, where):
    captions = CAPTIONS.replace("Welcome", f"{NAME} says welcome") if where == "captions" else CAPTIONS
    transcript = TRANSCRIPT.replace("Welcome", f"{NAME} says welcome") if where == "transcript" else TRANSCRIPT
    _story(site, ALL_LINES, captions=captions, transcript=transcript)
    built = cswork("build", str(site))
    assert built.returncode == 0, built.stderr
    file = f"content/videos/duty.{'vtt' if where == 'captions' else 'txt'}"
    found = [m for m in _problems(built.stderr) if m["path"] == file]
    assert found and "safeguarding" in found[0]["message"], built.stderr
    # At the line the name is on in that file.
    assert NAME in (site / file).read_text().splitlines()[int(found[0]["line"]) - 1]
    assert _page(site) is None
    assert not leaks(site / "output", [NAME, "zqxcue", "zqxtranscript"])
    assert not list((site / "output" / "media").glob("captions.*.vtt"))


def test_a_name_split_between_two_cues_is_found(site):
    first, last = NAME.split()
    captions = ("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nToday I am visiting " + first
                + "\n\n00:00:02.000 --> 00:00:04.000\n" + last + " and her carers.\n")
    _story(site, ALL_LINES, captions=captions)
    built = cswork("build", str(site))
    assert built.returncode == 0, built.stderr
    found = [m for m in _problems(built.stderr) if m["path"] == "content/videos/duty.vtt"]
    assert len(found) == 1 and "safeguarding" in found[0]["message"], built.stderr
    assert found[0]["line"] == "4"  # the cue the name starts in
    assert _page(site) is None


def test_a_video_with_the_place_it_was_filmed_is_held_back(site):
    _story(site, ALL_LINES)
    (site / "content" / "videos" / "duty.mp4").write_bytes(MP4 + b"\x00\x00\x00\x1c\xa9xyz+51.5074-000.1278/")
    built = cswork("build", str(site))
    assert built.returncode == 0, built.stderr
    assert "GPS location" in built.stderr
    assert _page(site) is None
