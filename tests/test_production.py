"""The production build: absolute canonical addresses, sharing metadata, the security
policy on every page and in headers files, robots.txt, and cache-forever asset names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .helpers import copy_site, cswork

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

SITEURL = "https://careers.castlebrook.example.org"


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Path:
    site = copy_site(tmp_path_factory.mktemp("production") / "site")
    result = cswork("build", str(site), "--production")
    assert result.returncode == 0, result.stderr
    return site / "output"


def _pages(output: Path):
    for page in sorted(output.rglob("*.html")):
        yield page.relative_to(output).as_posix(), BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_every_page_has_canonical_address_sharing_metadata_and_policy(production):
    for rel, soup in _pages(production):
        url = "" if rel == "index.html" else rel.removesuffix("index.html")
        if rel != "404.html":
            assert soup.find("link", rel="canonical")["href"] == f"{SITEURL}/{url}", rel
        assert soup.find("meta", property="og:url")["content"].startswith(SITEURL), rel
        for prop in ("og:title", "og:description", "og:type", "og:site_name"):
            assert soup.find("meta", property=prop)["content"].strip(), (rel, prop)
        csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, rel
        assert not soup.select("[style]"), f"{rel} has an inline style, which the policy forbids"
        inline = [s for s in soup.find_all("script") if not s.get("src")
                  and s.get("type") not in ("application/ld+json", "application/json")]
        assert not inline, f"{rel} has an inline script, which the policy forbids"


def test_headers_files_and_robots(production):
    headers = (production / "_headers").read_text()
    assert "Content-Security-Policy: default-src 'self'" in headers and "unsafe-inline" not in headers
    assert "frame-ancestors 'none'" in headers
    assert re.search(r"/theme/\*\n  Cache-Control: public, max-age=31536000, immutable", headers)
    nginx = (production / "_nginx-headers.conf").read_text()
    assert 'add_header Content-Security-Policy "default-src' in nginx and "immutable" in nginx
    robots = (production / "robots.txt").read_text()
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots


def test_assets_carry_a_hash_of_their_content(production):
    import hashlib
    soup = BeautifulSoup((production / "index.html").read_text(), "html.parser")
    refs = ([link["href"] for link in soup.find_all("link", rel="stylesheet")]
            + [soup.select_one("img.site-header__logo")["src"]])
    for ref in refs:
        path = production / ref.removeprefix(SITEURL).lstrip("/")
        match = re.search(r"\.([0-9a-f]{10})\.[a-z]+$", path.name)
        assert match, f"{ref} has no content hash in its name"
        assert hashlib.sha256(path.read_bytes()).hexdigest().startswith(match.group(1))
