"""One build, two languages (issue 19, point 2): every page in each language, with the
right <html lang>, hreflang links to its counterparts, a language switch that goes to the
same page in the other language, sitemap alternates, a search index per language, the
preview serving both, and rebuilds that stay incremental and atomic across both.

Each site is a copy of the demo with `languages` set, built through the real CLI; every
page of the output is read back with BeautifulSoup."""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from cswork_site.languages import LANGUAGES

from .helpers import (
    REPO,  # noqa: E402
    cswork,
    html_pages,
    own_theme,
    start_serve,
    tree_digest,
    wait_for_version,
)

# The published address, as the demo's publishconf.py gives it.
SITE_URL = re.search(r'(?m)^SITEURL = "([^"]+)"', (REPO / "publishconf.py").read_text()).group(1).rstrip("/")
_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def set_languages(site: Path, codes: list[str]) -> None:
    service = site / "data" / "service.yaml"
    text = re.sub(r"(?m)^languages:.*\n", "", service.read_text(encoding="utf-8"))
    service.write_text(text.rstrip("\n") + f"\nlanguages: [{', '.join(codes)}]\n", encoding="utf-8")


def build(site: Path, *extra: str) -> Path:
    result = cswork("build", str(site), *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return site / "output"


def _language_of(rel: str, codes: list[str]) -> str:
    """Which language a page is in, by where it is: another language's folder, or the root."""
    first = rel.split("/", 1)[0]
    return first if first in codes[1:] else codes[0]


def _path_in_language(rel: str, codes: list[str]) -> str:
    """A page's path from the root of its language's pages."""
    first, _, rest = rel.partition("/")
    return rest if first in codes[1:] else rel


def _file_of(output: Path, href: str) -> Path:
    """The file a link on the site opens (absolute or root-relative)."""
    path = urlsplit(href).path
    target = output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def _pages(output: Path) -> dict[str, BeautifulSoup]:
    pages = {}
    for page in html_pages(output):
        rel = page.relative_to(output).as_posix()
        if "/pagefind/" in f"/{rel}":
            continue
        pages[rel] = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return pages


def check_every_page(output: Path, codes: list[str]) -> dict[str, BeautifulSoup]:
    """<html lang>, hreflang and the switch on every page of a site in these languages."""
    pages = _pages(output)
    tags = {LANGUAGES[c].tag: c for c in codes}
    own_count = {c: 0 for c in codes}
    for rel, soup in pages.items():
        code = _language_of(rel, codes)
        own_count[code] += 1
        assert soup.html.get("lang") == LANGUAGES[code].tag, rel
        path = _path_in_language(rel, codes)
        # hreflang: one per language, each to a page that is there, its own to itself.
        links = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate")
                 if link.get("hreflang")}
        assert set(links) == set(tags), rel
        for tag, href in links.items():
            assert _file_of(output, href).is_file(), (rel, tag, href)
        assert _file_of(output, links[LANGUAGES[code].tag]) == output / rel, rel
        # The switch: each other language, named in itself, to that language's page.
        switch = soup.select("ul.language-switch a")
        assert [a["hreflang"] for a in switch] == [LANGUAGES[c].tag for c in codes if c != code], rel
        for a in switch:
            other = tags[a["hreflang"]]
            assert a["lang"] == a["hreflang"] and a.get_text(strip=True) == LANGUAGES[other].name, rel
            assert a["href"] == links[a["hreflang"]], rel  # the switch and hreflang agree
            target = _file_of(output, a["href"])
            assert target.is_file(), (rel, a["href"])
            there = target.relative_to(output).as_posix()
            if "/tag/" not in f"/{path}":  # a topic one language has alone goes to the list of topics
                assert _path_in_language(there, codes) == path, (rel, there)
                # ... and from there, the switch comes back here.
                back = pages[there].select_one(f'ul.language-switch a[hreflang="{LANGUAGES[code].tag}"]')
                assert _file_of(output, back["href"]) == output / rel, (rel, there)
    # Each language has every page the other has (but topics: each has its stories' own).
    paths = {c: {_path_in_language(rel, codes) for rel in pages if _language_of(rel, codes) == c
                 and "/tag/" not in f"/{rel}"} for c in codes}
    assert paths[codes[0]] == paths[codes[1]] and all(own_count.values())
    return pages


@pytest.mark.parametrize("codes", [["en", "cy"], ["cy", "en"]])
def test_every_page_in_both_languages_with_lang_hreflang_and_the_switch(site: Path, codes: list[str]) -> None:
    set_languages(site, codes)
    output = build(site)
    pages = check_every_page(output, codes)
    main, other = codes
    assert (output / other / "index.html").is_file() and not (output / main).exists()
    # A page of data and a story, in both: the same path under the other language's folder.
    for rel in ("our-offer/index.html", "jobs/index.html", "404.html"):
        assert rel in pages and f"{other}/{rel}" in pages
    stories = [rel for rel in pages if rel.startswith("stories/20")]
    assert stories and all(f"{other}/{rel}" in pages for rel in stories)


def test_a_search_index_per_language(site: Path) -> None:
    set_languages(site, ["en", "cy"])
    output = build(site)
    for folder, tag in (output, "en-gb"), (output / "cy", "cy"):
        bundles = sorted((folder / "pagefind").glob("*/pagefind-entry.json"))
        assert bundles, folder
        for entry in bundles:
            languages = re.findall(r'"languages":\{"([^"]+)"', entry.read_text(encoding="utf-8"))
            assert languages == [tag], entry  # each index holds its own language's pages only
    # The search page of each language loads its own language's index.
    for rel, folder in (("search/index.html", ""), ("cy/search/index.html", "/cy")):
        text = (output / rel).read_text(encoding="utf-8")
        assert f"{folder}/pagefind/" in text, rel


def check_sitemap(output: Path, site_url: str, codes: list[str]) -> None:
    """Every page in sitemap.xml once, each with its counterparts (itself among them)."""
    main, other = (LANGUAGES[c].tag for c in codes)
    folder = f"{site_url}/{codes[1]}/"
    entries = ElementTree.parse(output / "sitemap.xml").getroot().findall("sm:url", _NS)
    locs = [u.findtext("sm:loc", namespaces=_NS) for u in entries]
    assert len(locs) == len(set(locs))
    assert f"{site_url}/" in locs and folder in locs
    assert sum(1 for loc in locs if loc.startswith(folder)) * 2 == len(locs)
    listed = set(locs)
    for url in entries:
        loc = url.findtext("sm:loc", namespaces=_NS)
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", _NS)
                      if link.get("rel") == "alternate"}
        own = other if loc.startswith(folder) else main
        assert alternates[own] == loc, loc
        assert set(alternates) <= {main, other} and all(href in listed for href in alternates.values()), loc
        if "/tag/" not in loc:
            assert set(alternates) == {main, other}, loc
            swapped = loc.replace(folder, f"{site_url}/") if own == other else \
                loc.replace(f"{site_url}/", folder, 1)
            assert alternates[other if own == main else main] == swapped, loc


def test_the_sitemap_lists_every_page_with_its_counterparts(site: Path) -> None:
    set_languages(site, ["en", "cy"])
    output = build(site, "--production")
    check_every_page(output, ["en", "cy"])
    check_sitemap(output, SITE_URL, ["en", "cy"])
    # robots.txt and the headers are the site's, once, at its root.
    assert (output / "robots.txt").is_file() and not (output / "cy" / "robots.txt").exists()
    assert not (output / "cy" / "sitemap.xml").exists()
    # The Welsh pages' own files are cached as the others are, and a missing Welsh page is
    # answered by the Welsh 404 page.
    headers = (output / "_headers").read_text(encoding="utf-8")
    for folder in ("theme", "brand", "media"):
        assert re.search(rf"(?m)^/cy/{folder}/\*\n  Cache-Control: .*immutable", headers), folder
    snippet = (site / "output.nginx.conf").read_text(encoding="utf-8")
    assert "location /cy/ {\n    error_page 404 /cy/404.html;" in snippet
    assert "^/(?:(?:cy)/)?(theme|brand|media)/" in snippet


def test_a_rebuild_reuses_every_unchanged_page_in_both_languages(site: Path) -> None:
    set_languages(site, ["en", "cy"])
    output = build(site)
    before = {p: p.stat().st_ino for p in html_pages(output) if "/pagefind/" not in p.as_posix()}
    build(site)
    after = {p: p.stat().st_ino for p in html_pages(output) if "/pagefind/" not in p.as_posix()}
    assert after.keys() == before.keys()
    changed = [p for p in before if before[p] != after[p]]
    assert changed == []  # linked from the last build: neither language rendered again
    assert any(p.is_relative_to(output / "cy") for p in after)
    # A change to the service's data renders every page again, in both languages.
    service = site / "data" / "service.yaml"
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("tagline: ", "tagline: Newly said, ", 1), encoding="utf-8")
    build(site)
    again = {p: p.stat().st_ino for p in html_pages(output) if "/pagefind/" not in p.as_posix()}
    assert all(again[p] != after[p] for p in after)
    assert "Newly said, " in (output / "cy" / "index.html").read_text(encoding="utf-8")


def test_a_failed_build_leaves_both_languages_as_they_were(site: Path) -> None:
    set_languages(site, ["en", "cy"])
    output = build(site)
    before = tree_digest(output)
    theme = own_theme(site)
    base = theme / "templates" / "base.html"
    # Broken only in the main language, which runs last: the Welsh pages are all written first.
    base.write_text(base.read_text(encoding="utf-8").replace(
        "<head>", "<head>{% if language.code == 'en' %}{{ nothing.there() }}{% endif %}", 1), encoding="utf-8")
    result = cswork("build", str(site))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(output) == before


def test_the_preview_serves_both_languages(site: Path) -> None:
    set_languages(site, ["en", "cy"])
    proc, base = start_serve(site)
    try:
        wait_for_version(base, 0)  # the first build is done
        for path, tag in (("/", "en-GB"), ("/cy/", "cy"), ("/cy/our-offer/", "cy"), ("/our-offer/", "en-GB")):
            with urllib.request.urlopen(base + path, timeout=30) as answer:
                soup = BeautifulSoup(answer.read().decode(), "html.parser")
            assert soup.html["lang"] == tag, path
        for path, tag in (("/cy/no-such-page/", "cy"), ("/no-such-page/", "en-GB")):
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(base + path, timeout=30)
            assert missing.value.code == 404
            assert BeautifulSoup(missing.value.read().decode(), "html.parser").html["lang"] == tag, path
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_site_in_one_language_has_no_switch_and_no_folder(built_demo) -> None:
    _, output = built_demo
    for rel, soup in _pages(output).items():
        assert soup.html["lang"] == "en-GB", rel
        assert not soup.select("ul.language-switch") and not soup.find("link", hreflang=True), rel
    assert not (output / "cy").exists()


def _welsh_demo(tmp_path: Path) -> Path:
    site = tmp_path / "demo-wales"
    shutil.copytree(REPO / "demo-wales", site, ignore=shutil.ignore_patterns("output", ".cswork-cache"))
    return site


def test_the_welsh_demo_has_every_page_in_both_languages_and_each_story_links_its_version(tmp_path: Path) -> None:
    site = _welsh_demo(tmp_path)
    output = build(site, "--production")
    pages = check_every_page(output, ["cy", "en"])
    published = re.search(r'(?m)^SITEURL = "([^"]+)"', (site / "publishconf.py").read_text()).group(1)
    check_sitemap(output, published.rstrip("/"), ["cy", "en"])
    stories = [rel for rel in pages if rel.startswith("stories/20") and rel.count("/") == 3]
    assert len(stories) >= 4
    # A page drawn from the data lists each story once, in the page's language.
    for rel in ("agency-to-permanent/index.html", "en/agency-to-permanent/index.html"):
        links = [a for a in pages[rel].select("main a") if "/stories/20" in a.get("href", "")]
        assert links and len({a["href"] for a in links}) == len(links), rel
        assert not [p for a in links for p in a.parents if p.name != "html" and p.get("lang")], rel
    for rel in stories:  # the Welsh version at the root, the English one under en/, told apart
        welsh, english = pages[rel], pages[f"en/{rel}"]
        assert welsh.find("h1").get_text() != english.find("h1").get_text(), rel
        assert not welsh.find("h1").get("lang") and not english.find("h1").get("lang"), rel


def _story_lines(site: Path, name: str) -> tuple[Path, str]:
    path = site / "content" / "stories" / name
    return path, path.read_text(encoding="utf-8")


def test_a_story_in_one_language_is_on_both_languages_pages_marked_with_its_own(tmp_path: Path) -> None:
    """The Welsh pages never show less: a story with no Welsh version (here the locum's,
    whose Welsh file is taken away, and then held back) is listed and shown on the Welsh
    pages too, with lang on what is in English; each story is listed once per language."""
    site = _welsh_demo(tmp_path)
    welsh, text = _story_lines(site, "2025-11-24-why-i-stopped-being-a-locum.cy.md")
    for case in ("removed", "held back"):
        if case == "removed":
            welsh.unlink()
        else:  # the Welsh version there, but with a child's age in it: held back
            welsh.write_text(text.rstrip("\n") + "\n\nMae Elin yn 14 oed ac yn byw gyda'i nain.\n", encoding="utf-8")
        result = cswork("build", str(site))
        assert result.returncode == 0, result.stdout + result.stderr
        if case == "held back":
            assert f"content/stories/{welsh.name}:" in result.stdout + result.stderr
        output = site / "output"
        page = output / "stories" / "2025" / "why-i-stopped-being-a-locum" / "index.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.html["lang"] == "cy", case
        for part in (soup.find("h1"), soup.select_one("p.lead"), soup.select_one("div.story__body")):
            assert part.get("lang") == "en-GB", (case, part.name)
        assert soup.find("h1").get_text() == "Why I stopped being a locum"
        assert "Elin" not in soup.get_text()
        # Listed once on the Welsh pages, in English, marked so; and so on the agency page.
        for listing in ("stories/index.html", "agency-to-permanent/index.html"):
            list_soup = BeautifulSoup((output / listing).read_text(encoding="utf-8"), "html.parser")
            links = [a for a in list_soup.select("main a")
                     if a.get("href", "").rstrip("/").endswith("why-i-stopped-being-a-locum")]
            assert len(links) == 1, (case, listing)
            assert links[0].find_parent(attrs={"lang": "en-GB"}) is not None, (case, listing)
        # The pair's other stories are still each in their own language.
        check_every_page(output, ["cy", "en"])
