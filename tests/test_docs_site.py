"""docs/ builds as a browsable site with the real MkDocs in strict mode (a broken link or
anchor, or a guide left out of the navigation, is an error), every guide is in the
navigation, the built pages' links lead to pages and anchors that exist, and the site
loads nothing from other sites."""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import REPO

pytestmark = pytest.mark.slow  # runs MkDocs as a program

MKDOCS = Path(sys.executable).parent / "mkdocs"


def _config() -> dict:
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def _nav_files(nav) -> list[str]:
    files = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        files += _nav_files(value) if isinstance(value, list) else [value]
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("docs-site")
    result = subprocess.run([str(MKDOCS), "build", "--strict", "--config-file", str(REPO / "mkdocs.yml"),
                             "--site-dir", str(site)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


def test_the_configuration_is_strict_and_builds_outside_the_repository():
    config = _config()
    assert config["strict"] is True and config["docs_dir"] == "docs"
    links = config["validation"]["links"]
    assert {links[k] for k in ("not_found", "anchors", "unrecognized_links", "absolute_links")} == {"warn"}
    assert config["validation"]["nav"]["omitted_files"] == "warn"
    ignored = subprocess.run(["git", "check-ignore", "-q", config["site_dir"] + "/index.html"], cwd=REPO)
    assert ignored.returncode == 0, f"{config['site_dir']} must be ignored by git"


def test_every_guide_is_in_the_navigation():
    nav = _nav_files(_config()["nav"])
    guides = sorted(p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md"))
    assert sorted(nav) == guides, "add the guide to nav: in mkdocs.yml (or remove it from nav)"
    assert nav[0] == "README.md", "the index comes first"


def test_the_site_builds_and_every_page_is_there(built):
    for guide in _nav_files(_config()["nav"]):
        page = "index.html" if guide == "README.md" else guide.removesuffix(".md") + ".html"
        assert (built / page).is_file(), page


def _pages(built: Path):
    for page in sorted(built.glob("*.html")):
        yield page, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_links_between_the_guides_lead_to_pages_and_anchors_that_exist(built):
    ids: dict[Path, set[str]] = {}
    cross_page = 0
    for page, soup in _pages(built):
        for a in soup.select("div[role=main] a[href]"):
            href = a["href"]
            parts = urllib.parse.urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (page.parent / urllib.parse.unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.name}: {href} leads to no page"
            if target.suffix == ".html" and target != page:
                cross_page += 1
            if parts.fragment:
                if target not in ids:
                    target_soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                    ids[target] = {tag["id"] for tag in target_soup.find_all(id=True)}
                assert parts.fragment in ids[target], f"{page.name}: {href}: no such anchor"
    # The guides link to one another a great deal; a count this low means none were read.
    assert cross_page > 50
    index = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    linked = {urllib.parse.urlsplit(a["href"]).path for a in index.select("div[role=main] a[href]")}
    assert {"yaml-basics.html", "data-reference.html", "deployment.html", "comms-guide.html"} <= linked


def test_the_site_loads_nothing_from_other_sites(built):
    for page, soup in _pages(built):
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in soup.find_all(tag, attrs={attr: True}):
                if tag == "link" and not {"stylesheet", "preload", "icon"} & set(element.get("rel", [])):
                    continue
                assert not urllib.parse.urlsplit(element[attr]).netloc, f"{page.name}: {element}"
