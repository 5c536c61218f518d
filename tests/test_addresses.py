"""Story addresses come from the site's own Pelican settings (ARTICLE_URL, ARTICLE_SAVE_AS,
DRAFT_URL, INDEX_URL...), and every part of cswork follows them: the pages are there,
every link, the feed and the sitemap point there, search finds them there, and the
preview maps each story file to its page. Caches stay in the site's own cache folder."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import subprocess
import sys
import urllib.error
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cswork_site.stories.meta import SUMMARY_HINT

from .helpers import CONSENT_LINES, EPOCH, copy_site, cswork, http_get, serving, start_serve, wait_for_version
from .test_search import BODY_STORY, BODY_WORD, _search

pytestmark = pytest.mark.slow  # builds sites, serves them and drives Chromium

SITEURL = "https://careers.castlebrook.example.org"
# Two shapes unlike the default (stories/{date:%Y}/{slug}/): files named .html in a year
# and month, and folders with no year at all, under a folder the site's own pages use.
NEWS = ("news/{date:%Y}/{date:%m}/{slug}.html", "news/{date:%Y}/{date:%m}/{slug}.html")
CAREERS = ("careers/stories/{slug}/", "careers/stories/{slug}/index.html")
# The site names where drafts go in the preview: there, and never in the built site.
CAREERS_DRAFTS = ('DRAFT_URL = "careers/drafts/{slug}/"\n'
                  'DRAFT_SAVE_AS = "careers/drafts/{slug}/index.html"\n')
DRAFT = "content/stories/2025-05-10-not-ready-yet.md"
HIDDEN = "content/stories/2025-05-11-for-one-link.md"


def _with_addresses(site: Path, url: str, save_as: str, more: str = "") -> Path:
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text() + f'\nARTICLE_URL = "{url}"\nARTICLE_SAVE_AS = "{save_as}"\n{more}')
    (site / DRAFT).write_text(
        f"Title: Not ready yet\nDate: 2025-05-10\nSummary: A draft.\nKind: career story\n{CONSENT_LINES}"
        "Status: draft\n\nThis story is not for the public yet.\n")
    (site / HIDDEN).write_text(
        f"Title: For one link\nDate: 2025-05-11\nSummary: A hidden story.\nKind: career story\n{CONSENT_LINES}"
        "Status: hidden\n\nThis story is shared by link only.\n")
    return site


def _stories(site: Path) -> dict[str, tuple[dt.datetime, str, str]]:
    """Each story file's date, slug and status, read here from its lines (the demo's
    stories all set Date and Title; none sets a Slug)."""
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    found = {}
    for file in sorted((site / "content" / "stories").glob("*.md")):
        head = file.read_text(encoding="utf-8").split("\n\n", 1)[0]
        meta = dict((k.strip().lower(), v.strip()) for k, v in
                    (line.split(":", 1) for line in head.splitlines() if ":" in line))
        slug = meta.get("slug") or slugify(meta["title"], regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
        found[file.relative_to(site).as_posix()] = (dt.datetime.strptime(meta["date"][:10], "%Y-%m-%d"),
                                                    slug, meta.get("status", "published"))
    return found


def _address(pattern: str, date: dt.datetime, slug: str) -> str:
    return pattern.format(date=date, slug=slug)


def _file(output: Path, url: str) -> Path:
    """The file a server of output gives for an address within the site."""
    path = url.split("#")[0].split("?")[0].lstrip("/")
    return output / path / "index.html" if path.endswith("/") or not path else output / path


@pytest.fixture(scope="module", params=[NEWS, CAREERS], ids=["news-html", "careers-no-year"])
def production(request, tmp_path_factory) -> tuple[Path, tuple[str, str]]:
    """The site with other addresses, built for production into its output/."""
    shape = request.param
    site = _with_addresses(copy_site(tmp_path_factory.mktemp("addresses") / "site"), *shape,
                           CAREERS_DRAFTS if shape == CAREERS else "")
    result = cswork("build", str(site), "--production")
    assert result.returncode == 0, result.stderr
    return site, shape


@pytest.fixture(scope="module")
def local(production, tmp_path_factory) -> Path:
    """The same site built to be served from this computer (its links relative to it)."""
    output = tmp_path_factory.mktemp("local") / "output"
    result = cswork("build", str(production[0]), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


def test_story_pages_are_at_their_addresses_and_every_link_goes_there(production):
    site, (url, save_as) = production
    output = site / "output"
    stories = _stories(site)
    published = {path: _address(url, d, slug) for path, (d, slug, status) in stories.items() if status == "published"}
    for path, (date, slug, status) in stories.items():
        page = output / _address(save_as, date, slug)
        assert page.is_file() == (status != "draft"), path
    assert not (output / "stories" / "2025").exists() and not (output / "stories" / "drafts").exists()
    assert not (output / "careers" / "drafts").exists(), "a draft is written in the preview only"
    # Every link anywhere, the feed's included, leads to a page that is there.
    links: dict[str, set[str]] = {}
    for page in sorted(output.rglob("*.html")):
        if "pagefind" in page.parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        rel = page.relative_to(output).as_posix()
        links[rel] = {a["href"] for a in soup.find_all(["a", "link"], href=True)}
    feed = ET.parse(output / "stories" / "feed.atom.xml").getroot()
    links["feed"] = {e.get("href") for e in feed.iter("{http://www.w3.org/2005/Atom}link")}
    for rel, hrefs in links.items():
        for href in hrefs:
            if href.startswith(SITEURL):
                assert _file(output, href.removeprefix(SITEURL)).is_file(), f"{rel} links to {href}"
    # Each published story from the list of stories, its kind, its tags and the feed.
    kinds = {"stories/kind/" + k + "/index.html" for k in ("news", "career-story", "practice-story",
                                                           "agency-to-permanent-story", "young-peoples-voice")}
    for path, address in published.items():
        href = f"{SITEURL}/{address}"
        assert href in links["stories/index.html"] and href in links["feed"], path
        assert any(href in links[k] for k in kinds), path
        soup = BeautifulSoup(_file(output, address).read_text(encoding="utf-8"), "html.parser")
        assert soup.find("link", rel="canonical")["href"] == href
        for tag in soup.select(".tag-list a.tag"):
            assert href in links[_file(output, tag["href"].removeprefix(SITEURL)).relative_to(output).as_posix()]
        # A story is under Stories in the navigation, wherever its address is.
        assert soup.select_one("nav.site-nav a[aria-current=page]").get_text(strip=True) == "Stories"
    home = {h.removeprefix(f"{SITEURL}/") for h in links["index.html"]} & set(published.values())
    # The latest stories, and the story whose picture is the home page's: the newest with one.
    newest = sorted(published, key=lambda path: stories[path][0], reverse=True)
    pictured = next(path for path in newest if re.search(r"^Image:\s*\S", (site / path).read_text(encoding="utf-8"),
                                                           re.MULTILINE))
    assert home == {published[path] for path in [*newest[:3], pictured]}
    hidden = next(_address(url, d, slug) for d, slug, status in stories.values() if status == "hidden")
    assert not any(f"{SITEURL}/{hidden}" in hrefs for rel, hrefs in links.items()
                   if rel != _address(save_as, *stories[HIDDEN][:2])), "a hidden story is listed nowhere"


def test_the_sitemap_lists_the_stories_at_their_addresses(production):
    site, (url, _) = production
    output = site / "output"
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    entries = {u.find(f"{ns}loc").text: u.find(f"{ns}lastmod") for u in ET.parse(output / "sitemap.xml").getroot()}
    for loc in entries:
        assert _file(output, loc.removeprefix(SITEURL)).is_file(), loc
    for path, (date, slug, status) in _stories(site).items():
        loc = f"{SITEURL}/{_address(url, date, slug)}"
        assert (loc in entries) == (status == "published"), path
        if status == "published":
            assert entries[loc] is not None and entries[loc].text >= date.date().isoformat()


def _fragments(output: Path) -> list[dict]:
    found = []
    for fragment in sorted((output / "pagefind").glob("*/fragment/*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        found.append(json.loads(data[data.index(b"{"):]))
    return found


def test_search_indexes_each_story_once_at_its_address(production, local, browser):
    site, (url, _) = production
    output = site / "output"
    stories = _stories(site)
    date, slug, _ = stories[BODY_STORY]
    address = "/" + _address(url, date, slug)
    urls = [f["url"] for f in _fragments(output)]
    assert len(urls) == len(set(urls)), "a page is in two parts of the index"
    marked = {"/" + p.relative_to(output).as_posix().removesuffix("index.html") for p in output.rglob("*.html")
              if "pagefind" not in p.parts and b"data-pagefind-body" in p.read_bytes()}
    assert set(urls) == marked
    assert {"/" + _address(url, d, s) for d, s, status in stories.values() if status == "published"} <= marked
    assert [f["url"] for f in _fragments(output) if BODY_WORD in f["content"].lower()] == [address]
    # Parts by year, as with the default addresses.
    listed = json.loads((output / "pagefind" / "shards.json").read_text())["bundles"]
    assert listed == ["site/", "stories-2026/", "stories-2025/"]
    page = browser.new_page()
    with serving(local) as base:
        assert _search(page, base, BODY_WORD) == [address]
        page.locator(f".search-results a[href='{address}']").click()
        page.wait_for_url(base + address)
    page.close()


EVERY_FIELD = "{category}/{author}/{lang}/{date:%-d-%b-%y}/{slug}.html"


@pytest.mark.parametrize("shape", [None, NEWS, CAREERS, (EVERY_FIELD, EVERY_FIELD)],
    ids=["default", "news-html", "careers-no-year", "every-field"])
def test_our_addresses_are_the_ones_pelican_gives_every_story(site, tmp_path, monkeypatch, shape):
    """Worked out without Pelican, each story's address and file are the ones Pelican
    gives it, published, hidden or draft (in the preview, where drafts have a page)."""
    from pelican import signals

    from cswork_site.build.run import build_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    if shape is None:
        _with_addresses(site, "stories/{date:%Y}/{slug}/", "stories/{date:%Y}/{slug}/index.html")
    else:
        _with_addresses(site, *shape, CAREERS_DRAFTS if shape == CAREERS else "")
    seen: dict[str, tuple[str, str, str]] = {}

    def keep(generator) -> None:
        for article in (*generator.articles, *generator.drafts, *generator.hidden_articles):
            seen[Path(article.source_path).relative_to(site.resolve()).as_posix()] = (
                article.status, article.url, article.save_as)

    signals.article_generator_finalized.connect(keep)
    try:
        result = build_site(site, tmp_path / "preview", preview=True)
    finally:
        signals.article_generator_finalized.disconnect(keep)
    addresses = result.data.addresses
    assert seen.keys() == result.data.stories.keys()
    assert {status for status, _, _ in seen.values()} == {"published", "hidden", "draft"}
    for path, (status, url, save_as) in seen.items():
        header = result.data.stories[path]
        draft = status == "draft"
        assert (addresses.story_url(header, draft), addresses.story_save_as(header, draft)) == (url, save_as), path
        assert (tmp_path / "preview" / save_as).is_file(), path
    if shape == CAREERS:
        assert seen[DRAFT][1] == "careers/drafts/not-ready-yet/"
    elif shape is not None:  # drafts go beside the list of stories, as before
        assert seen[DRAFT][1] == "stories/drafts/not-ready-yet/"


def test_the_preview_maps_each_story_to_its_page_at_the_site_s_addresses(site):
    _with_addresses(site, *NEWS)
    # A warning in one story: shown on that story's page only, which the preview knows by its address.
    story = site / BODY_STORY
    story.write_text(re.sub(r"^Summary: .*$", "Summary: " + SUMMARY_HINT, story.read_text(), count=1, flags=re.M))
    published = "/news/2025/06/a-plan-made-around-the-kitchen-table.html"
    draft, moved = "/stories/drafts/not-ready-yet/", "/news/2025/05/not-ready-yet.html"
    proc, base = start_serve(site)
    try:
        page = http_get(base + published)
        assert "A plan made around the kitchen table" in page and "still has the hint text" in page
        assert "still has the hint text" not in http_get(base + "/news/2025/11/why-i-stopped-being-a-locum.html")
        assert "This story is not for the public yet" in http_get(base + draft)
        version = json.loads(http_get(base + "/__cswork/version"))["version"]
        # Published: the open draft follows it to its own address, the old one leads there.
        (site / DRAFT).write_text((site / DRAFT).read_text().replace("Status: draft", "Status: published"))
        version = wait_for_version(base, version)
        answer = json.loads(http_get(base + "/__cswork/version?page=" + draft))
        assert answer["location"] == moved
        assert "DRAFT" not in http_get(base + moved) and "not for the public yet" in http_get(base + draft)
        # A change to a story shows on its page.
        story.write_text(story.read_text() + "\nA line about the wombatician, added while previewing.\n")
        wait_for_version(base, version)
        assert "wombatician" in http_get(base + published)
        with pytest.raises(urllib.error.HTTPError) as missing:
            http_get(base + "/stories/2025/a-plan-made-around-the-kitchen-table/")
        assert missing.value.code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_story_address_setting_cswork_cannot_follow_is_an_error_at_its_line(site):
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nARTICLE_URL = "stories/{kind}/{slug}/"\n')
    line = len(conf.read_text().splitlines())
    result = cswork("check", str(site))
    assert result.returncode == 1
    assert f"pelicanconf.py:{line}: ARTICLE_URL: uses {{kind}}, which cswork cannot work" in result.stderr
    assert cswork("build", str(site)).returncode != 0


def test_two_stories_with_one_address_are_found_by_the_site_s_own_addresses(site):
    from cswork_site.addresses import SiteAddresses
    from cswork_site.stories.meta import check_stories

    stories = site / "content" / "stories"
    for day in ("2024-03-01", "2025-03-01"):
        (stories / f"{day}-same.md").write_text(f"Title: Same title\nDate: {day}\nSummary: S.\nKind: news\n"
                                                f"{CONSENT_LINES}\nText.\n")
    from cswork_site import settings as shared

    settings = {k: v for k, v in vars(shared).items() if k.isupper()}

    def clashes(url: str, save_as: str) -> list[str]:
        addresses = SiteAddresses.from_settings({**settings, "ARTICLE_URL": url, "ARTICLE_SAVE_AS": save_as}, site)
        _, problems = check_stories(site, None, None, dt.date(2026, 11, 1), addresses=addresses)
        return [p.message for p in problems if "already uses" in p.message]

    assert clashes("stories/{date:%Y}/{slug}/", "stories/{date:%Y}/{slug}/index.html") == []  # years apart
    assert clashes(*CAREERS) == ["gives the web address careers/stories/same-title/, which "
                                 "content/stories/2024-03-01-same.md already uses; set a different Slug"]


def test_no_cache_is_written_where_the_command_is_run(site, tmp_path):
    """Pelican's own cache (CACHE_PATH, "cache" by default, relative to where Pelican was
    started) is never written, even if the settings ask for it: cswork's caches are in
    the site's cache folder."""
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text() + "\nCACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for _ in range(2):
        result = cswork("build", str(site), cwd=elsewhere)
        assert result.returncode == 0, result.stderr
    # Plain Pelican with the plugin, too.
    plain = subprocess.run([sys.executable, "-m", "pelican", str(site / "content"), "-s", str(conf),
                            "-o", str(tmp_path / "plain")], cwd=elsewhere, capture_output=True, text=True,
                           env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, timeout=300)
    assert plain.returncode == 0, plain.stderr
    assert list(elsewhere.iterdir()) == []
    assert not (site / "cache").exists() and not (site / "content" / "cache").exists()
    assert (site / ".cswork-cache" / "stories.pickle").is_file()
    assert (tmp_path / "plain" / "stories" / "2025" / "a-plan-made-around-the-kitchen-table" / "index.html").is_file()


def test_stories_are_read_from_the_folder_the_settings_name(site):
    (site / "content" / "stories").rename(site / "content" / "news")
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nARTICLE_PATHS = ["news"]\n')
    result = cswork("new", "story", "Settings decide where I go", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert "content/news/" in result.stdout
    (site / "content" / "news" / "sub").mkdir()
    (site / "content" / "news" / "sub" / "unchecked.md").write_text("Title: Unchecked\n\nText.\n")
    check = cswork("check", str(site))
    assert "content/news/sub/unchecked.md:1: (file): is not a story cswork can check" in check.stderr
    assert "directly in content/news/: move it there" in check.stderr
    (site / "content" / "news" / "sub" / "unchecked.md").unlink()
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "output" / "stories" / "2025" / "a-plan-made-around-the-kitchen-table" / "index.html").is_file()
