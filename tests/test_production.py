"""The production build: absolute canonical addresses, sharing metadata, the security
policy on every page and in headers files, robots.txt, and cache-forever asset names."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cswork_site.output.headers import nginx_snippet

from .helpers import EPOCH, copy_site, cswork, own_theme, tree_digest

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
    # The nginx snippet is the server's configuration: beside the published folder, not in it.
    nginx = (production.parent / "output.nginx.conf").read_text()
    assert 'add_header Content-Security-Policy "default-src' in nginx and "immutable" in nginx
    assert not list(production.rglob("*nginx*"))
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


def test_the_nginx_snippet_is_named_after_its_output_folder_and_written_only_when_changed(tmp_path):
    site = copy_site(tmp_path / "site")
    result = cswork("build", str(site), "--production", "-o", str(site / "public"))
    assert result.returncode == 0, result.stderr
    snippet = site / "public.nginx.conf"
    assert snippet.read_text(encoding="utf-8") == nginx_snippet()
    assert not (site / "output.nginx.conf").exists() and not list((site / "public").rglob("*nginx*"))
    # The same headers again: the file is left alone (write_whole would give it a new inode).
    before = snippet.stat().st_ino
    assert cswork("build", str(site), "--production", "-o", str(site / "public")).returncode == 0
    assert snippet.stat().st_ino == before
    # A snippet that differs from what this version writes is replaced.
    snippet.write_text("# an older snippet\n", encoding="utf-8")
    assert cswork("build", str(site), "--production", "-o", str(site / "public")).returncode == 0
    assert snippet.read_text(encoding="utf-8") == nginx_snippet()


def test_a_failed_build_leaves_the_nginx_snippet_as_it_was(tmp_path):
    site = copy_site(tmp_path / "site")
    assert cswork("build", str(site), "--production").returncode == 0
    snippet = site / "output.nginx.conf"
    snippet.write_text("# the snippet the server uses today\n", encoding="utf-8")
    before = tree_digest(site / "output")
    # A template that fails as Pelican renders: the build stops after it has begun writing.
    base = own_theme(site) / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + '{% include "no-such-template.html" %}', encoding="utf-8")
    result = cswork("build", str(site), "--production")
    assert result.returncode == 2, result.stderr
    assert snippet.read_text(encoding="utf-8") == "# the snippet the server uses today\n"
    assert tree_digest(site / "output") == before


def test_previews_write_no_nginx_snippet(tmp_path, monkeypatch):
    """The preview (what `cswork serve` builds) writes no snippet, even with the published
    site's settings; nor does a build whose SITEURL is not absolute."""
    from cswork_site.build.run import PRODUCTION_SETTINGS_FILE, build_site

    site = copy_site(tmp_path / "site")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    preview = build_site(site, tmp_path / "preview", PRODUCTION_SETTINGS_FILE, preview=True)
    assert preview.nginx_snippet is None and not list(tmp_path.glob("*.nginx.conf"))
    assert cswork("build", str(site)).returncode == 0
    assert not list(site.glob("*.nginx.conf"))


def test_a_plain_pelican_run_writes_the_snippet_beside_its_output(tmp_path):
    site = copy_site(tmp_path / "site")
    pelican = Path(sys.executable).parent / "pelican"
    result = subprocess.run([str(pelican), "content", "-s", "publishconf.py", "-o", "plain-output"],
                            cwd=site, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr
    assert (site / "plain-output.nginx.conf").read_text(encoding="utf-8") == nginx_snippet()
    assert (site / "plain-output" / "_headers").is_file() and not list((site / "plain-output").rglob("*nginx*"))
