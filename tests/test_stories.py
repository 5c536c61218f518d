"""Stories and testimonials end to end: pictures, metadata for sharing, kinds, the
publication gate over time, the safeguarding hold and its overrides, and the feed."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from .helpers import CONSENT_LINES, PACKAGE_THEME, cswork, tree_digest

ATOM = "{http://www.w3.org/2005/Atom}"
DEMO_IMAGE_STORY = "stories/2025/launching-our-enhanced-year-in-practice/index.html"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _story(site: Path, name: str, extra: str = "", body: str = "Plain words about our work.") -> Path:
    path = site / "content" / "stories" / name
    path.write_text(f"Title: {name[11:-3].replace('-', ' ').title()}\nDate: {name[:10]}\n"
                    f"Summary: A story for a test.\nKind: career story\n{CONSENT_LINES}{extra}\n{body}\n")
    return path


def test_story_picture_is_stripped_resized_and_laid_out(built_demo):
    site, output = built_demo
    soup = _soup(output / DEMO_IMAGE_STORY)
    picture = soup.select_one("article picture")
    assert picture is not None
    source, img = picture.find("source"), picture.find("img")
    assert source["type"] == "image/webp" and "320w" in source["srcset"]
    assert img["width"] and img["height"] and img["alt"].startswith("Illustration")
    for url in re.findall(r"(/media/\S+) \d+w", source["srcset"] + ", " + img["srcset"]):
        with Image.open(output / url.lstrip("/")) as rendition:
            assert not rendition.getexif()
            assert not {"exif", "xmp", "icc_profile", "comment"} & set(rendition.info)
    assert soup.select_one("figcaption").get_text(strip=True)
    assert not (output / "images").exists(), "originals are never copied as they are"


def test_sharing_metadata_reading_time_and_kind_links(built_demo):
    _, output = built_demo
    soup = _soup(output / DEMO_IMAGE_STORY)
    meta = {m.get("property") or m.get("name"): m["content"] for m in soup.find_all("meta") if m.get("content")}
    assert meta["og:type"] == "article"
    assert meta["og:image"].startswith("/media/") and meta["og:image"].endswith(".jpg")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:title"].startswith("Launching our Enhanced Year in Practice")
    assert re.search(r"\d+ minute read", soup.get_text())
    kind_link = soup.select_one(".caption a")
    assert kind_link["href"] == "/stories/kind/news/"
    plain = _soup(output / "our-offer" / "index.html")
    assert plain.find("meta", attrs={"property": "og:type"})["content"] == "website"
    # A page with no picture of its own is shared with the one drawn from the logo.
    assert plain.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    assert plain.find("meta", attrs={"property": "og:image"})["content"].startswith("/brand/og-image.")


def test_a_page_per_kind_lists_only_that_kind(built_demo):
    site, output = built_demo
    kinds = {}
    for f in (site / "content" / "stories").glob("*.md"):
        kinds.setdefault(re.search(r"^Kind: (.*)$", f.read_text(), re.M).group(1), []).append(f)
    assert len(kinds) == 5
    for kind, files in kinds.items():
        slug = re.sub(r"[^a-z0-9]+", "-", kind.replace("'", "")).strip("-")
        cards = _soup(output / "stories" / "kind" / slug / "index.html").select("li.card")
        assert len(cards) == len(files)
        assert all(c.select_one(".tag").get_text(strip=True).lower() == kind.lower() for c in cards)
    index = _soup(output / "stories" / "index.html")
    assert index.select_one("nav.filter-nav a[aria-current=page]").get_text(strip=True) == "All stories"


def test_names_have_been_changed_and_related_testimonials(built_demo):
    site, output = built_demo
    young = next(output.glob("stories/2026/what-young-people-told-us*/index.html"))
    assert "Names have been changed" in young.read_text()
    testimonials = yaml.safe_load((site / "data" / "testimonials.yaml").read_text())["testimonials"]
    career = _soup(output / "stories" / "2026" / "from-student-placement-to-team-manager" / "index.html")
    related = [t for t in testimonials
               if t.get("related_role") == "team-manager" or t.get("related_stage") == "team-manager"]
    quotes = " ".join(career.get_text(" ").split())
    for t in related[:3]:
        assert " ".join(t["quote"].split()) in quotes


@pytest.mark.slow
def test_expired_consent_withdraws_a_story_with_a_warning(site):
    path = _story(site, "2025-05-05-short-lived.md")
    path.write_text(path.read_text().replace("Consent_expires: 2027-12-31", "Consent_expires: 2026-06-30"))
    result = cswork("build", str(site))
    assert result.returncode == 0
    line = path.read_text().splitlines().index("Consent_expires: 2026-06-30") + 1
    assert (f"content/stories/2025-05-05-short-lived.md:{line}: consent_expires: note: "
            "consent expired on 2026-06-30, so it is withdrawn from the site") in result.stderr
    assert not list((site / "output").rglob("*short-lived*"))
    assert "Short Lived" not in (site / "output" / "stories" / "index.html").read_text()


@pytest.mark.slow
def test_safeguarding_finding_holds_a_story_back_until_overridden(site):
    path = _story(site, "2025-05-06-home-visit.md", body="We met the family.\n\nThey live near CB4 1AA, by the park.")
    result = cswork("build", str(site))
    assert result.returncode == 0
    line = path.read_text().splitlines().index("They live near CB4 1AA, by the park.") + 1
    assert re.search(rf"^content/stories/2025-05-06-home-visit\.md:{line}: body: warning: safeguarding: .*CB4 1AA"
                     r".*This story is held back", result.stderr, re.M), result.stderr
    everything = "".join(p.read_text() for p in (site / "output").rglob("*.html"))
    assert "Home Visit" not in everything
    lists = site / "data" / "safeguarding.yaml"
    lists.write_text(lists.read_text() + "\nstory_overrides:\n  - story: content/stories/2025-05-06-home-visit.md\n"
                     "    kind: postcode\n    text: CB4 1AA\n    reviewed_by: Designated safeguarding lead\n"
                     "    date: 2025-05-07\n    reason: The postcode of our public family hub, not a home.\n")
    result = cswork("build", str(site))
    assert result.returncode == 0 and "safeguarding" not in result.stderr
    assert (site / "output" / "stories" / "2025" / "home-visit" / "index.html").exists()


@pytest.mark.slow
def test_safeguarding_finding_holds_a_testimonial_back_until_overridden(site):
    data = site / "data" / "testimonials.yaml"
    items = yaml.safe_load(data.read_text())
    items["testimonials"][0]["quote"] = "My social worker came to Riverside Academy to see me."
    data.write_text(yaml.safe_dump(items, sort_keys=False))
    result = cswork("build", str(site))
    assert result.returncode == 0
    line = data.read_text().splitlines().index(next(line for line in data.read_text().splitlines()
                                                     if "Riverside Academy" in line)) + 1
    assert re.search(rf"^data/testimonials\.yaml:{line}: testimonials\[0\]\.quote: warning: safeguarding: .*"
                     r"Riverside Academy.*Testimonial '[a-z-]+' is held back", result.stderr, re.M), result.stderr
    assert "Riverside Academy" not in (site / "output" / "testimonials" / "index.html").read_text()
    items["testimonials"][0]["safeguarding_overrides"] = [{
        "kind": "school", "text": "Riverside Academy", "reviewed_by": "Designated safeguarding lead",
        "date": "2025-08-01", "reason": "The young person asked for it and it is a large school."}]
    data.write_text(yaml.safe_dump(items, sort_keys=False))
    result = cswork("build", str(site))
    assert result.returncode == 0 and "safeguarding" not in result.stderr
    assert "Riverside Academy" in (site / "output" / "testimonials" / "index.html").read_text()


def _gps_photo(path: Path) -> None:
    im = Image.new("RGB", (800, 600), "#446688")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8825] = {1: "N", 2: (52.0, 12.0, 30.0), 3: "W", 4: (0.0, 7.0, 15.0)}  # GPS IFD
    im.save(path, exif=exif)


@pytest.mark.slow
def test_photo_with_location_is_held_back_and_original_never_changed(site):
    photo = site / "content" / "images" / "visit.jpg"
    _gps_photo(photo)
    before = tree_digest(site / "content" / "images")
    _story(site, "2025-05-08-out-and-about.md",
           extra="Image: content/images/visit.jpg\nImage_alt: A street in the town centre\n")
    result = cswork("build", str(site))
    assert result.returncode == 0
    assert re.search(r"^content/stories/2025-05-08-out-and-about\.md:\d+: image: warning: "
                     r"safeguarding: .*(GPS|location)", result.stderr, re.M | re.I), result.stderr
    assert not list((site / "output").rglob("*out-and-about*"))
    assert tree_digest(site / "content" / "images") == before


@pytest.mark.slow
def test_missing_alt_text_is_an_error_and_decorative_must_be_said(site):
    Image.new("RGB", (400, 300), "#eeeeee").save(site / "content" / "images" / "plain.png")
    path = _story(site, "2025-05-09-no-alt.md", extra="Image: content/images/plain.png\n")
    result = cswork("build", str(site))
    # The story is held back until it is fixed; the rest of the site is built.
    assert result.returncode == 0
    assert not (site / "output" / "stories" / "2025" / "no-alt").exists()
    line = path.read_text().splitlines().index("Image: content/images/plain.png") + 1
    assert (f"content/stories/2025-05-09-no-alt.md:{line}: image_alt: is required: "
            "describe the picture, or set decorative: true") in result.stderr
    assert cswork("build", "--strict", str(site)).returncode == 2
    path.write_text(path.read_text().replace("Image: content/images/plain.png\n",
                                             "Image: content/images/plain.png\nImage_decorative: yes\n"))
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    img = _soup(site / "output" / "stories" / "2025" / "no-alt" / "index.html").select_one("article picture img")
    assert img["alt"] == ""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    from .helpers import copy_site
    site = copy_site(tmp_path_factory.mktemp("prod") / "site")
    _story(site, "2025-05-10-still-a-draft.md").write_text(
        _story(site, "2025-05-10-still-a-draft.md").read_text().replace("Approved_by:", "Approved_by_later:"))
    result = cswork("build", str(site), "--production")
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.slow
def test_atom_feed_lists_published_stories_only(production):
    feed = production / "output" / "stories" / "feed.atom.xml"
    root = ET.parse(feed).getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    published = [f for f in (production / "content" / "stories").glob("*.md") if "still-a-draft" not in f.name]
    assert len(entries) == len(published)
    for entry in entries:
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}link").get("href").startswith("https://")
    assert "Still A Draft" not in feed.read_text()


def test_story_links_its_practice_value(built_demo):
    _, output = built_demo
    soup = _soup(output / "stories" / "2025" / "a-plan-made-around-the-kitchen-table" / "index.html")
    link = soup.find("a", href="/our-practice/#values")
    assert link is not None and link.get_text(strip=True) == "Respect"


@pytest.mark.slow
def test_testimonial_photo_is_processed_and_shown_with_its_alt(site):
    Image.new("RGB", (600, 600), "#336699").save(site / "content" / "images" / "portrait.png")
    data = site / "data" / "testimonials.yaml"
    items = yaml.safe_load(data.read_text())
    items["testimonials"][0]["photo"] = {"path": "content/images/portrait.png", "alt": "Priya smiling at her desk"}
    data.write_text(yaml.safe_dump(items, sort_keys=False))
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    img = _soup(site / "output" / "testimonials" / "index.html").select_one("figure.quote picture img")
    assert img["alt"] == "Priya smiling at her desk" and img["src"].startswith("/media/")
    assert img["width"] == "600" and img["height"] == "600"


@pytest.mark.slow
def test_hidden_story_has_a_page_but_is_listed_nowhere(site):
    _story(site, "2025-05-11-for-one-link.md", extra="Status: hidden\n")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    output = site / "output"
    assert (output / "stories" / "2025" / "for-one-link" / "index.html").is_file()
    for listing in ["index.html", "stories/index.html", "stories/kind/career-story/index.html"]:
        assert "for-one-link" not in (output / listing).read_text()


@pytest.mark.slow
def test_approval_dated_in_the_future_is_reported_on_its_own_line(site):
    path = _story(site, "2025-05-12-not-yet.md")
    path.write_text(path.read_text().replace("Approved_on: 2025-01-02", "Approved_on: 2027-01-02"))
    result = cswork("build", str(site))
    line = path.read_text().splitlines().index("Approved_on: 2027-01-02") + 1
    assert (f"content/stories/2025-05-12-not-yet.md:{line}: approved_on: note: approval is dated "
            "2027-01-02, after today") in result.stderr
    assert not (site / "output" / "stories" / "2025" / "not-yet").exists()


UNCHECKED = {
    # Each would be read and published by Pelican, but none is a story cswork checks.
    "content/stories/2025/2025-05-07-in-a-folder.md": "Title: In A Folder\nDate: 2025-05-07\n\n"
                                                       "Quillon, aged 7, of 12 Ashgrove Row, CB4 1AA.\n",
    "content/stories/2025-05-08-written-as-html.html": "<html><head><title>Written As HTML</title>"
                                                        '<meta name="date" content="2025-05-08"></head>'
                                                        "<body><p>Quillon, aged 7, of 12 Ashgrove Row.</p>"
                                                        "</body></html>",
    "content/stories/2025-05-09-long-name.markdown": "Title: Long Name\nDate: 2025-05-09\n\nQuillon, aged 7.\n",
    "content/pages/about-quillon.md": "Title: About Quillon\n\nQuillon, aged 7, of 12 Ashgrove Row, CB4 1AA.\n",
}


@pytest.mark.slow
def test_files_pelican_would_read_but_cswork_cannot_check_are_never_published(site):
    for rel, text in UNCHECKED.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    (site / "content" / "stories" / "notes.txt").write_text("Not read by Pelican, so not reported.\n")
    (site / "content" / "stories" / "2025" / "loop").symlink_to("..")  # Pelican follows linked folders
    before = tree_digest(site / "output")
    for command, code in (("check", 1), ("build --strict", 2)):
        result = cswork(*command.split(), str(site))
        assert result.returncode == code, result.stderr
        reported = [line.split(":", 1)[0] for line in result.stderr.splitlines()
                    if "is not a story cswork can check" in line]
        assert sorted(reported) == sorted(UNCHECKED), result.stderr
        assert all(re.match(rf"^{re.escape(rel)}:1: \(file\): is not a story cswork can check", line)
                   for rel in UNCHECKED for line in result.stderr.splitlines() if line.startswith(rel))
        assert "Traceback" not in result.stderr
    assert tree_digest(site / "output") == before
    # Without --strict they are held back and the rest of the site is built.
    result = cswork("build", str(site))
    assert result.returncode == 0 and "4 stories held back" in result.stderr, result.stderr
    assert not any("Quillon" in p.read_text(errors="replace") for p in (site / "output").rglob("*")
                   if p.is_file() and p.suffix in (".html", ".xml", ".json"))
    # Moved into content/stories/ as Markdown, it is a story like any other, and checked.
    (site / "content" / "stories" / "2025" / "loop").unlink()
    moved = site / "content" / "stories" / "2025-05-07-in-a-folder.md"
    (site / "content" / "stories" / "2025" / "2025-05-07-in-a-folder.md").rename(moved)
    for rel in list(UNCHECKED)[1:]:
        (site / rel).unlink()
    result = cswork("build", str(site))
    assert result.returncode == 0
    assert "content/stories/2025-05-07-in-a-folder.md:1: summary: is required" in result.stderr
    assert not (site / "output" / "stories" / "2025" / "in-a-folder").exists()


@pytest.mark.slow
def test_nothing_unchecked_is_published_even_by_plain_pelican_given_the_check_s_data(site):
    """The check stops a build with such files; were one to get past it (a plugin, a
    setting), Pelican still writes it nowhere, as it has no cleared story behind it."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from cswork_site.build.check import check_site
    from cswork_site.plugin.session import BuildSession, running

    data, problems = check_site(site.resolve())
    assert data is not None, problems
    for rel, text in UNCHECKED.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    out = site / "unchecked-output"
    settings = read_settings(str(site / "pelicanconf.py"), override={
        "PATH": str(site / "content"), "OUTPUT_PATH": str(out), "THEME": str(PACKAGE_THEME)})
    cwd = os.getcwd()
    os.chdir(site)
    try:
        with running(BuildSession(site.resolve(), data)):
            Pelican(settings).run()
    finally:
        os.chdir(cwd)
    published = "".join(p.read_text(errors="replace") for p in out.rglob("*.html"))
    assert "Quillon" not in published and "Ashgrove Row" not in published
    assert (out / "our-offer" / "index.html").is_file()  # the rest of the site was written
