"""Input files that are not what they seem: nothing drops out of a build unnoticed, only
pictures are published as pictures, an SVG logo is cleaned, and no picture's file name
reaches the web.

- The safeguarding watch lists (data/safeguarding.yaml) hold the names of children that
  must never be published. A link to nothing, a loop of links, a named pipe, a folder, an
  unreadable file, or the file saved under a near-miss name is an error that stops the
  build, never a site built without the lists.
- Every other data file gets the same file checks; a near-miss name of an optional file
  that is otherwise absent (events.yml, Events.YAML) is a warning.
- logo.path, a story's Image and a testimonial's photo.path must be a picture by name
  and by content, inside the site folder: a data file can never be published by naming it.
- An SVG logo loses scripts, event attributes, external links and the rest on the way out;
  one with a DOCTYPE or entities is refused.
- Rendition and logo file names come from content hashes, never from the source's name.

Everything runs through the real command line on a copy of the demo site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from cswork_site.output.svgclean import SvgRefused, clean_svg

from .helpers import cswork, tree_digest

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

LINE_FORMAT = re.compile(r"^[^:\s][^:]*:\d+: \S+: .+$")
BUILD_SUMMARY = re.compile(r"^cswork: stopped: \d+ problems? to fix; nothing was written to the output folder\.$")
CHECK_SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings?\.$")
WATCH_LISTS = "data/safeguarding.yaml"
SVG_NS = "{http://www.w3.org/2000/svg}"


# --- helpers ---------------------------------------------------------------------------


def _lines(result: subprocess.CompletedProcess[str], summary: re.Pattern[str]) -> list[str]:
    """stderr as lines, each checked against the error contract."""
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines and summary.match(lines[-1]), result.stderr
    for line in lines[:-1]:
        assert LINE_FORMAT.match(line), f"not in PATH:LINE: FIELD: MESSAGE form: {line!r}"
    return lines[:-1]


def _with_previous_output(site: Path, built_demo) -> dict[str, str]:
    shutil.copytree(built_demo[1], site / "output")
    return tree_digest(site / "output")


def _refused(site: Path, built_demo, expected: str, phrase: str) -> list[str]:
    """`check` exits 1 and `build` exits 2, both naming expected (a line's start) with
    phrase in it, and the build leaves the previous output byte for byte as it was."""
    before = _with_previous_output(site, built_demo)
    check = cswork("check", str(site), timeout=60)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "No problems found" not in check.stdout
    lines = _lines(check, CHECK_SUMMARY)
    matching = [line for line in lines if line.startswith(expected)]
    assert matching, f"expected a line starting {expected!r}; got:\n{check.stderr}"
    matching = [line for line in matching if phrase in line]
    assert matching, f"expected {phrase!r} in a line starting {expected!r}; got:\n{check.stderr}"
    assert any(not line[len(expected):].startswith("warning:") for line in matching), "expected an error"
    # A problem in a story holds back that story only (the rest is built); --strict stops.
    story = expected.startswith("content/")
    build = cswork("build", *(["--strict"] if story else []), str(site), timeout=60)
    assert build.returncode == 2, build.stdout + build.stderr
    build_lines = _lines(build, BUILD_SUMMARY)
    assert any(line.startswith(expected) and phrase in line for line in build_lines), build.stderr
    assert tree_digest(site / "output") == before, "output/ must be left exactly as it was"
    assert not list(site.glob(".output.building-*"))
    return matching


def _line_of(site: Path, rel: str, text: str) -> int:
    content = (site / rel).read_text(encoding="utf-8")
    at = content.index(text)
    return content.count("\n", 0, at) + 1


def _replace(site: Path, rel: str, old: str, new: str) -> int:
    """Replace old with new in site/rel; the line old started on."""
    file = site / rel
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}: the demo changed; update this test"
    line = _line_of(site, rel, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


# --- data files that are not files -----------------------------------------------------


def _dangling(file: Path) -> None:
    file.symlink_to("no-such-file.yaml")


def _loop(file: Path) -> None:
    file.symlink_to(file.name)  # a link to itself


def _fifo(file: Path) -> None:
    os.mkfifo(file)  # reading it would wait for ever for a writer


def _folder(file: Path) -> None:
    file.mkdir()
    (file / "names.yaml").write_text("names: [Kieran Walsh]\n", encoding="utf-8")


BREAKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "dangling-link": (_dangling, "is a link to 'no-such-file.yaml', which does not exist"),
    "link-loop": (_loop, "is a link that leads round in a loop"),
    "fifo": (_fifo, "is a named pipe (FIFO), not a file"),
    "folder": (_folder, "is a folder, not a file"),
}
FILES = [WATCH_LISTS, "data/events.yaml", "data/agency.yaml", "data/offer.yaml"]


@pytest.mark.parametrize("kind", list(BREAKS))
@pytest.mark.parametrize("rel", FILES)
def test_a_data_file_that_cannot_be_read_stops_the_build(site: Path, built_demo, rel: str, kind: str):
    make, phrase = BREAKS[kind]
    file = site / rel
    file.unlink()
    make(file)
    _refused(site, built_demo, f"{rel}:1: (file): ", phrase)


@pytest.mark.parametrize("rel", [WATCH_LISTS, "data/events.yaml"])
def test_a_file_without_read_permission_stops_the_build(site: Path, built_demo, rel: str):
    file = site / rel
    file.chmod(0)
    try:
        if os.access(file, os.R_OK):  # root reads anything: the folder case stands in
            pytest.skip("running as a user who can read any file")
        _refused(site, built_demo, f"{rel}:1: (file): ", "cannot be read: permission denied")
    finally:
        file.chmod(0o644)


@pytest.mark.parametrize("kind", ["dangling-link", "link-loop", "fifo", "folder"])
def test_a_jobs_csv_that_cannot_be_read_stops_the_build(site: Path, built_demo, kind: str):
    """data/vacancies.csv is read by jobs.py; with no jobs in data/vacancies.yaml, it is the
    only source of jobs, and must never vanish or hang the build."""
    data = yaml.safe_load((site / "data" / "vacancies.yaml").read_text(encoding="utf-8"))
    data["vacancies"] = []
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    make, phrase = BREAKS[kind]
    csv = site / "data" / "vacancies.csv"
    make(csv)
    _refused(site, built_demo, "data/vacancies.csv:1: (file): ", phrase)


# --- near-miss names -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["safeguarding.yml", "Safeguarding.yaml", "safeguard.yaml", "safeguarding.yaml.txt"])
def test_a_misnamed_watch_list_stops_the_build(site: Path, built_demo, name: str):
    (site / WATCH_LISTS).rename(site / "data" / name)
    lines = _refused(site, built_demo, f"data/{name}:1: (file): ", "is not read: did you mean data/safeguarding.yaml?")
    assert "rename it to safeguarding.yaml" in lines[0]


@pytest.mark.parametrize(("rel", "name"), [
    ("data/vacancies.yaml", "vacancies.yml"),
    ("data/events.yaml", "event.yaml"),
    ("data/events.yaml", "Events.YAML"),
])
def test_a_misnamed_optional_file_is_a_warning(site: Path, rel: str, name: str):
    (site / rel).rename(site / "data" / name)
    # Files that are no near miss of a data file are left alone.
    for other in ("README.md", f".{name}.swp", "notes.txt"):
        (site / "data" / other).write_text("not a data file\n", encoding="utf-8")
    check = cswork("check", str(site), timeout=60)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "No problems found" not in check.stdout
    lines = _lines(check, CHECK_SUMMARY)
    expected = f"data/{name}:1: (file): warning: is not read: did you mean {rel}?"
    assert [line for line in lines if "is not read" in line] == [line for line in lines if line.startswith(expected)]
    assert len([line for line in lines if line.startswith(expected)]) == 1, check.stderr


def test_a_misnamed_optional_file_is_reported_by_the_build_too(site: Path):
    (site / "data" / "events.yaml").rename(site / "data" / "events.yml")
    build = cswork("build", str(site), timeout=120)
    assert build.returncode == 0, build.stderr
    assert "data/events.yml:1: (file): warning: is not read: did you mean data/events.yaml?" in build.stderr


# --- only pictures are published as pictures -------------------------------------------


LOGO = "content/images/logo.svg"
LOGO_LINE = f"path: {LOGO}"


@pytest.mark.parametrize("target", [WATCH_LISTS, "data/service.yaml"])
def test_a_data_file_named_as_the_logo_is_refused(site: Path, built_demo, target: str):
    line = _replace(site, "data/service.yaml", LOGO_LINE, f"path: {target}")
    _refused(site, built_demo, f"data/service.yaml:{line}: logo.path: ", "data files are never published")


def test_a_logo_that_links_to_a_data_file_is_refused(site: Path, built_demo):
    (site / LOGO).unlink()
    (site / LOGO).symlink_to(Path("..") / ".." / WATCH_LISTS)
    line = _line_of(site, "data/service.yaml", LOGO_LINE)
    _refused(site, built_demo, f"data/service.yaml:{line}: logo.path: ", "expected an SVG drawing")


def test_a_png_logo_that_is_really_text_is_refused(site: Path, built_demo):
    (site / "content" / "images" / "logo.png").write_text("names:\n  - Kieran Walsh\n", encoding="utf-8")
    line = _replace(site, "data/service.yaml", LOGO_LINE, "path: content/images/logo.png")
    _refused(site, built_demo, f"data/service.yaml:{line}: logo.path: ", "not a picture")


@pytest.mark.parametrize("kind", ["link-loop", "folder"])
def test_a_logo_that_is_not_a_file_is_refused(site: Path, built_demo, kind: str):
    (site / LOGO).unlink()
    {"link-loop": _loop, "folder": _folder}[kind](site / LOGO)
    line = _line_of(site, "data/service.yaml", LOGO_LINE)
    _refused(site, built_demo, f"data/service.yaml:{line}: logo.path: ",
             "leads round in a loop" if kind == "link-loop" else "found a folder")


STORY = "content/stories/2025-02-03-launching-our-enhanced-year-in-practice.md"
STORY_IMAGE = "Image: content/images/walking-together.jpg"


def test_a_data_file_named_as_a_story_image_is_refused(site: Path, built_demo):
    line = _replace(site, STORY, STORY_IMAGE, "Image: data/service.yaml")
    _refused(site, built_demo, f"{STORY}:{line}: image: ", "data files are never published")


PRIYA = "    related_stage: asye\n    consent:\n"


def _give_priya_a_photo(site: Path, path: str) -> int:
    """A photo for the first testimonial; the line of its photo: key."""
    line = _replace(site, "data/testimonials.yaml", PRIYA,
                    "    related_stage: asye\n    photo:\n"
                    f"      path: {path}\n      alt: Priya at her desk in the assessment team's office\n"
                    "    consent:\n")
    return line + 1


def test_a_data_file_named_as_a_testimonial_photo_is_refused(site: Path, built_demo):
    line = _give_priya_a_photo(site, WATCH_LISTS)
    _refused(site, built_demo, f"data/testimonials.yaml:{line}: testimonials[0].photo.path: ",
             "data files are never published")


# --- SVG logos are cleaned --------------------------------------------------------------


HOSTILE_SVG = """<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a tool that likes comments -->
<?xml-stylesheet href="https://evil.example/steal.css"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="240" height="56" viewBox="0 0 240 56" onload="alert('onload')">
  <metadata><author>someone@example.org</author></metadata>
  <script>alert('script')</script>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">FOREIGN</div></foreignObject>
  <style>@import url(https://evil.example/import.css); .x { fill: red }</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#0b4f5c"/></linearGradient></defs>
  <a xlink:href="javascript:alert('href')"><rect id="box" x="2" y="2" width="40" height="40" fill="url(#g)"/></a>
  <image href="https://evil.example/track.png" width="1" height="1"/>
  <path id="wave" d="M3 43q5.5-4 11 0t11 0" stroke="#ffffff" style="fill: url(https://evil.example/f.svg#p)"/>
  <circle cx="60" cy="20" r="10" fill="#f2b705" onclick="alert('click')"/>
  <set attributeName="href" to="javascript:alert('set')"/>
  <use href="#box" x="100"/>
  <text x="48" y="35" fill="#ffffff">Castlebrook</text>
</svg>
"""
HOSTILE_MARKERS = ["<script", "alert", "foreignObject", "FOREIGN", "onload", "onclick", "javascript:",
                   "evil.example", "metadata", "someone@example.org", "<!--", "<?xml-stylesheet", "@import", "<set"]


def test_a_hostile_svg_logo_is_published_cleaned(site: Path, built_demo):
    # The demo's logo needs no cleaning: it is published byte for byte, under a hashed name.
    demo_logo = list((built_demo[1] / "brand").glob("*.svg"))
    assert len(demo_logo) == 1 and demo_logo[0].read_bytes() == (built_demo[0] / LOGO).read_bytes()

    (site / LOGO).write_text(HOSTILE_SVG, encoding="utf-8")
    line = _line_of(site, "data/service.yaml", LOGO_LINE)
    check = cswork("check", str(site), timeout=60)
    assert check.returncode == 1, check.stderr
    lines = _lines(check, CHECK_SUMMARY)
    warning = [x for x in lines if x.startswith(f"data/service.yaml:{line}: logo.path: warning: ")]
    assert len(warning) == 1, check.stderr
    for removed in ("script element", "foreignObject element", "metadata element", "onload attribute",
                    "javascript: link", "comment", "style element"):
        assert removed in warning[0], warning[0]

    build = cswork("build", str(site), timeout=120)
    assert build.returncode == 0, build.stderr
    published = list((site / "output" / "brand").glob("*.svg"))
    assert len(published) == 1 and re.fullmatch(r"logo\.[0-9a-f]{10}\.svg", published[0].name)
    text = published[0].read_text(encoding="utf-8")
    for marker in HOSTILE_MARKERS:
        assert marker not in text, f"{marker!r} is still in the published logo:\n{text}"
    root = ET.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    # The drawing is all there: shapes, paths, text, the gradient and links inside the file.
    assert root.find(f".//{SVG_NS}rect[@id='box']").get("fill") == "url(#g)"
    assert root.find(f".//{SVG_NS}path[@id='wave']").get("d") == "M3 43q5.5-4 11 0t11 0"
    assert root.find(f".//{SVG_NS}circle").get("fill") == "#f2b705"
    assert root.find(f".//{SVG_NS}use").get("href") == "#box"
    assert root.find(f".//{SVG_NS}text").text == "Castlebrook"
    assert root.find(f".//{SVG_NS}linearGradient[@id='g']") is not None
    assert f'src="/brand/{published[0].name}"' in (site / "output" / "index.html").read_text(encoding="utf-8")


ENTITY_SVG = """<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&lol2;&xxe;</text></svg>
"""


def test_an_svg_logo_with_a_doctype_is_refused(site: Path, built_demo):
    (site / LOGO).write_text(ENTITY_SVG, encoding="utf-8")
    line = _line_of(site, "data/service.yaml", LOGO_LINE)
    _refused(site, built_demo, f"data/service.yaml:{line}: logo.path: ", "declares a DOCTYPE")


def test_an_svg_logo_that_is_not_xml_is_refused(site: Path, built_demo):
    (site / LOGO).write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>\n", encoding="utf-8")
    line = _line_of(site, "data/service.yaml", LOGO_LINE)
    _refused(site, built_demo, f"data/service.yaml:{line}: logo.path: ", "is not a well-formed SVG file")


@pytest.mark.parametrize(("svg", "left_out"), [
    ('<svg xmlns="http://www.w3.org/2000/svg"><h:script xmlns:h="http://www.w3.org/1999/xhtml">x()</h:script></svg>',
     "h:script element (not SVG)"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="onclick" to="x()"/></svg>',
     "animate element changing onclick"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:u\\72l(https://e.example/)"/></svg>',
     "style attribute loading from elsewhere"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>',
     "link to another file"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xml:base="https://e.example/"><use href="#a"/></svg>',
     "xml:base attribute"),
])
def test_svg_cleaning_also_leaves_out(svg: str, left_out: str):
    cleaned = clean_svg(svg.encode())
    assert left_out in cleaned.removed
    assert ET.fromstring(cleaned.data).tag == f"{SVG_NS}svg"


def test_svg_cleaning_keeps_embedded_pictures_and_local_links():
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           b'<image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>'
           b'<use href=" #a"/><style>.a { fill: url(#g) }</style></svg>')
    assert clean_svg(svg).removed == () and clean_svg(svg).data == svg


@pytest.mark.parametrize("svg", [b"", b"<svg", b"<html xmlns='http://www.w3.org/1999/xhtml'/>", b"<svg/>"])
def test_svg_that_is_no_drawing_is_refused(svg: bytes):
    with pytest.raises(SvgRefused):
        clean_svg(svg)


# --- picture file names are never published --------------------------------------------


SECRET_NAME = "kieran-walsh"


def test_picture_file_names_are_never_published(site: Path):
    images = site / "content" / "images"
    (images / "walking-together.jpg").rename(images / f"{SECRET_NAME}-aged-9.jpg")
    _replace(site, STORY, STORY_IMAGE, f"Image: content/images/{SECRET_NAME}-aged-9.jpg")
    shutil.copy2(images / f"{SECRET_NAME}-aged-9.jpg", images / f"{SECRET_NAME}-at-home.jpg")
    _give_priya_a_photo(site, f"content/images/{SECRET_NAME}-at-home.jpg")
    (images / "logo.svg").rename(images / f"{SECRET_NAME}-logo.svg")
    _replace(site, "data/service.yaml", LOGO_LINE, f"path: content/images/{SECRET_NAME}-logo.svg")

    build = cswork("build", str(site), timeout=180)
    assert build.returncode == 0, build.stderr
    output = site / "output"
    story_pages = [p for p in output.glob("stories/2025/*/index.html")
                   if "Enhanced Year in Practice" in p.read_text(encoding="utf-8")]
    assert story_pages, "the story with the picture is published"
    story_html = story_pages[0].read_text(encoding="utf-8")
    assert re.search(r'srcset="/media/[0-9a-f]{12}/320\.webp 320w', story_html), "the picture is on the page"
    testimonials = (output / "testimonials" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'/media/[0-9a-f]{12}/\d+\.jpg', testimonials), "the photo is on the page"
    for path in output.rglob("*"):
        assert SECRET_NAME not in path.name.lower(), f"a published file is named {path.name}"
        if path.is_file():
            assert SECRET_NAME.encode() not in path.read_bytes().lower(), f"{path} holds the source's name"
