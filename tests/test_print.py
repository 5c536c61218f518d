"""The printable offer: a page per role, dated and with the address of the live page,
that prints (or saves as a PDF, in Chromium) without the site's navigation."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import copy_site, cswork

pytestmark = pytest.mark.slow  # builds a site, drives a browser

SITEURL = "https://careers.castlebrook.example.org"
BUILT_ON = "1 November 2026"  # the tests' SOURCE_DATE_EPOCH, as pages write dates


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    site = copy_site(tmp_path_factory.mktemp("print") / "site")
    result = cswork("build", str(site), "--production")
    assert result.returncode == 0, result.stderr
    return site, site / "output"


def _roles(site: Path) -> list[dict]:
    return yaml.safe_load((site / "data" / "offer.yaml").read_text())["roles"]


def test_every_role_has_a_print_page_dated_with_its_live_address(published):
    site, output = published
    for role in _roles(site):
        page = output / "our-offer" / role["id"] / "print" / "index.html"
        soup = BeautifulSoup(page.read_text(), "html.parser")
        text = " ".join(soup.main.get_text().split())
        assert role["title"] in text
        assert f"Correct on {BUILT_ON}" in text
        assert soup.select_one("main time")["datetime"] == "2026-11-01"
        assert f"{SITEURL}/our-offer/{role['id']}/" in text
        # Linked from the role's own page, and back.
        role_page = BeautifulSoup((output / "our-offer" / role["id"] / "index.html").read_text(), "html.parser")
        assert role_page.find("a", href=f"{SITEURL}/our-offer/{role['id']}/print/") is not None
        assert soup.find("a", href=f"{SITEURL}/our-offer/{role['id']}/") is not None


def test_the_preview_print_page_gives_the_pages_address(built_demo):
    site, output = built_demo
    role = _roles(site)[0]
    soup = BeautifulSoup((output / "our-offer" / role["id"] / "print" / "index.html").read_text(), "html.parser")
    assert f"/our-offer/{role['id']}/" in soup.select_one(".print-offer__address").get_text()


def test_printed_the_page_has_no_navigation_and_makes_a_short_pdf(browser, published):
    from pypdf import PdfReader

    site, output = published
    role = _roles(site)[0]
    path = f"/our-offer/{role['id']}/print/"
    # The published page, at its own address (its policy allows only its own origin),
    # answered from the output folder as the live site would answer.
    page = browser.new_page()

    def local(route):
        file = output / urlparse(route.request.url).path.lstrip("/")
        route.fulfill(path=file / "index.html" if file.is_dir() else file)

    page.route(f"{SITEURL}/**", local)
    page.goto(SITEURL + path)
    assert page.locator(".site-nav").is_visible()
    # The stylesheet loaded (on screen it shows the navigation across the page).
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert not page.locator(".breadcrumbs").count() or not page.locator(".breadcrumbs").is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator(".print-offer__address").is_visible()
    pdf = page.pdf(format="A4")
    page.close()
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 3
    text = " ".join(p.extract_text() for p in reader.pages)
    assert role["title"] in text and BUILT_ON in " ".join(text.split())
    assert "Our practice" not in text  # the navigation is not printed
