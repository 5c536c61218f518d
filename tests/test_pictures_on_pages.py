"""Pictures where people expect them: the home page and every story card show the story's
picture (responsive, lazy, with its alt text or marked decorative); the favicon, touch
icon and sharing picture exist at their sizes and every page links them; the home page
shows the offer's headline figures, each with what it counts, its pay year and source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from cswork_site.pages.filters import money

from .helpers import cswork, html_pages

pytestmark = pytest.mark.slow  # builds sites through the real command line

PICTURED = "2025-02-03-launching-our-enhanced-year-in-practice.md"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _meta(story: Path) -> dict[str, str]:
    head = story.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def _files_exist(output: Path, img) -> None:
    assert (output / img["src"].lstrip("/")).is_file()
    sources = [img["srcset"]] + [s["srcset"] for s in img.find_parent("picture").find_all("source")]
    for srcset in sources:
        for candidate in srcset.split(","):
            url, width = candidate.split()
            assert width.endswith("w") and (output / url.lstrip("/")).is_file(), url


def _check_picture(output: Path, img, alt: str) -> None:
    assert img is not None
    assert img["alt"] == alt
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert img["sizes"] and int(img["width"]) > 0 and int(img["height"]) > 0
    _files_exist(output, img)


def _card_images(page: Path) -> dict[str, object]:
    """Each story card on a page, by its title, with its picture or None."""
    return {li.find("h3").get_text(strip=True): li.find("img") for li in _soup(page).select("li.card")}


def _listing_pages(output: Path, meta: dict[str, str]) -> list[Path]:
    kind = meta["Kind"]
    tag = meta["Tags"].split(",")[0].strip().lower()
    pages = [output / "index.html", output / "stories" / "index.html"]
    pages += [p for p in output.rglob("index.html") if re.search(rf"/{kind}s?/index\.html$", p.as_posix())]
    pages += [p for p in (output / "stories").rglob("index.html") if p.parent.name == tag]
    return pages


def test_home_and_story_cards_show_the_story_picture_with_its_alt_text(built_demo):
    site, output = built_demo
    meta = _meta(site / "content" / "stories" / PICTURED)
    home = _soup(output / "index.html")
    _check_picture(output, home.select_one(".hero__picture img"), meta["Image_alt"])
    assert home.select_one(".hero__picture a")["href"].rstrip("/").endswith(PICTURED[11:-3])
    pages = _listing_pages(output, meta)
    assert len(pages) >= 4, pages  # home, all stories, the story's kind, its first topic
    seen = 0
    for page in pages:
        cards = _card_images(page)
        for title, img in cards.items():
            if title == meta["Title"]:
                _check_picture(output, img, meta["Image_alt"])
                seen += 1
            else:
                assert img is None, (page, title)  # the other demo stories have no picture
    assert seen >= 3  # the home page lists only the newest three stories


def test_a_decorative_picture_is_shown_with_empty_alt_text(site):
    story = site / "content" / "stories" / PICTURED
    text = story.read_text(encoding="utf-8")
    text = re.sub(r"^Image_alt: .*$", "Image_decorative: yes", text, count=1, flags=re.M)
    story.write_text(text, encoding="utf-8")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    output = site / "output"
    meta = _meta(story)
    _check_picture(output, _soup(output / "index.html").select_one(".hero__picture img"), "")
    for page in _listing_pages(output, meta):
        img = _card_images(page).get(meta["Title"])
        if img is not None or page.parent != output:
            _check_picture(output, img, "")


def test_icons_and_sharing_picture_exist_at_their_sizes_and_every_page_links_them(built_demo):
    _, output = built_demo
    pages = html_pages(output)
    assert len(pages) > 30
    wanted = {"icon": (32, 32), "apple-touch-icon": (180, 180)}
    found: dict[str, set[str]] = {}
    for page in pages:
        soup = _soup(page)
        for rel, size in wanted.items():
            link = soup.find("link", rel=rel)
            assert link is not None, (page, rel)
            assert link["sizes"] == f"{size[0]}x{size[1]}"
            found.setdefault(rel, set()).add(link["href"])
        og = soup.find("meta", property="og:image")
        assert og is not None, page
        card = soup.find("meta", attrs={"name": "twitter:card"})
        assert card is not None and card["content"] == "summary_large_image", page
        found.setdefault("og", set()).add(og["content"])
    for rel, size in wanted.items():
        (href,) = found[rel]  # one icon for the whole site
        with Image.open(output / href.lstrip("/")) as im:
            assert im.format == "PNG" and im.size == size
    sizes = set()
    for href in found["og"]:
        with Image.open(output / href.lstrip("/")) as im:
            sizes.add(im.size)
    assert (1200, 630) in sizes  # the logo's; a pictured story is shared with its own picture
    home = _soup(output / "index.html")
    assert home.find("meta", property="og:image:width")["content"] == "1200"


def test_the_favicon_is_readable_not_the_whole_wide_logo_shrunk(built_demo):
    """The demo logo is over four times as wide as it is tall: its icons take its emblem, so
    the drawn part fills most of the square instead of a thin strip across the middle."""
    _, output = built_demo
    href = _soup(output / "index.html").find("link", rel="apple-touch-icon")["href"]
    with Image.open(output / href.lstrip("/")) as im:
        background = im.getpixel((0, 0))
        drawn = [(x, y) for x in range(im.width) for y in range(im.height)
                 if im.getpixel((x, y)) != background]
    height = max(y for _, y in drawn) - min(y for _, y in drawn)
    assert height > 0.5 * 180


def test_the_home_page_gives_the_offer_in_numbers_with_what_they_count(built_demo):
    site, output = built_demo
    offer = yaml.safe_load((site / "data" / "offer.yaml").read_text(encoding="utf-8"))
    section = _soup(output / "index.html").find("section", attrs={"aria-labelledby": "offer-numbers"})
    assert section is not None and section.find("h2").get_text(strip=True) == "Our offer in numbers"
    figures = {li.select_one(".numbers__label").get_text(strip=True): li for li in section.select(".numbers__item")}
    social = [r for r in offer["roles"] if r["group"] == "social work"]
    salary = figures["Salary"].select_one(".numbers__value").get_text(strip=True)
    assert salary == f"{money(min(r['pay']['min'] for r in social))} to {money(max(r['pay']['max'] for r in social))}"
    leave = offer["benefits"]["annual_leave"]
    assert str(leave["starting_days"]) in figures["Annual leave"].get_text()
    pension = figures["Employer pension contribution"].select_one(".numbers__value").get_text(strip=True)
    assert pension == f"{offer['benefits']['pension']['employer_contribution_percent']:g}%"
    holder = max((r for r in social if r.get("caseload")), key=lambda r: r["caseload"]["max"])
    assert figures["Caseload"].select_one(".numbers__value").get_text(strip=True) == (
        f"{holder['caseload']['min']} to {holder['caseload']['max']} children")
    for li in figures.values():
        assert li.select_one(".numbers__definition").get_text(strip=True), "every figure says what it counts"
    source = section.select_one(".numbers__source").get_text(" ", strip=True)
    assert offer["pay_year"] in source and "Source:" in source
