"""`cswork serve` is safe to leave running: it answers only this computer, never writes
the output that gets published, keeps going after any failed build, serves the site's own
404 page, follows a story whose address changes, and says plainly when its port is taken.
Each test runs a real `cswork serve` process on a copy of the demo site."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import time
import urllib.error
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import CONSENT_LINES, cswork, http_get, own_theme, start_serve, tree_digest, wait_for_version

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

WAIT = 90  # seconds: a rebuild of the demo site takes a few


@contextlib.contextmanager
def serving(site: Path):
    proc, base = start_serve(site)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _get(base: str, path: str, host: str | None = None) -> tuple[int, str, dict[str, str]]:
    """One request with the Host header set by hand, as a browser sends the name it was given."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host} if host is not None else {})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), dict(response.getheaders())
    finally:
        conn.close()


def _version(base: str) -> int:
    return json.loads(http_get(base + "/__cswork/version"))["version"]


def test_serve_answers_only_requests_addressed_to_this_computer(site):
    with serving(site) as base:
        port = urlsplit(base).port
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
            status, body, _ = _get(base, "/", host)
            assert status == 200, host
            assert "/__cswork/reload.js" in body
        # A page elsewhere can point its own name at 127.0.0.1 (DNS rebinding): refused.
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}",
                     f"localhost.evil.example:{port}", ""):
            for path in ("/", "/__cswork/version", "/our-offer/", "/no-such-page/"):
                status, body, headers = _get(base, path, host)
                assert status in (403, 421), (host, path, status)
                assert headers["Content-Type"].startswith("text/plain")
                assert len(body) < 200 and "<" not in body and "Castlebrook" not in body


def _wait_until(base: str, path: str, test, version: int, what: str) -> int:
    """Wait for rebuilds until the page at path passes test; returns the version seen."""
    deadline = time.time() + WAIT
    while time.time() < deadline:
        version = wait_for_version(base, version, timeout=max(1, deadline - time.time()))
        try:
            page = http_get(base + path)
        except urllib.error.HTTPError as exc:
            page = exc.read().decode()
        if test(page):
            return version
    raise AssertionError(f"the preview never showed {what}")


def test_serve_keeps_rebuilding_after_any_failed_build_and_recovers(site):
    offer = site / "data" / "offer.yaml"
    template = own_theme(site) / "templates" / "offer.html"
    good_offer, good_template = offer.read_text(), template.read_text()
    broken = "could not be built"
    with serving(site) as base:
        version = _version(base)
        assert broken not in http_get(base + "/our-offer/")
        # A bad data file.
        offer.write_text(good_offer.replace("pay_year:", "pay_year: [", 1))
        version = _wait_until(base, "/our-offer/",
                              lambda p: broken in p and "data/offer.yaml, line" in p, version, "the YAML problem")
        offer.write_text(good_offer)
        version = _wait_until(base, "/our-offer/", lambda p: broken not in p, version, "the fixed site")
        # An exception from our code (a filter given the wrong kind of value).
        head, sep, tail = good_template.rpartition("{% endblock %}")
        template.write_text(head + '{{ "not a date" | long_date }}' + sep + tail)
        version = _wait_until(base, "/our-offer/",
                              lambda p: broken in p and "AttributeError" in p, version, "the internal error")
        template.write_text(good_template)
        version = _wait_until(base, "/our-offer/", lambda p: broken not in p, version, "the fixed site")
        # A template Pelican cannot read.
        template.write_text(good_template + "{% if %}\n")
        version = _wait_until(base, "/our-offer/",
                              lambda p: broken in p and "theme/templates/offer.html, line" in p,
                              version, "the template problem")
        # The site as it last worked is still shown below the banner.
        assert "What everyone gets" in http_get(base + "/our-offer/")
        template.write_text(good_template)
        _wait_until(base, "/our-offer/", lambda p: broken not in p and "What everyone gets" in p,
                    version, "the fixed site")


def test_serve_started_on_a_broken_site_says_why_and_shows_it_once_fixed(site):
    offer = site / "data" / "offer.yaml"
    good = offer.read_text()
    offer.write_text(good.replace("pay_year:", "pay_year: [", 1))
    with serving(site) as base:
        for path in ("/", "/our-offer/"):
            with pytest.raises(urllib.error.HTTPError) as nothing:
                http_get(base + path)
            assert nothing.value.code == 503
            page = nothing.value.read().decode()
            assert "the site could not be built" in page and "data/offer.yaml, line" in page
            assert "/__cswork/reload.js" in page
        version = _version(base)
        offer.write_text(good)
        _wait_until(base, "/our-offer/", lambda p: "What everyone gets" in p and "could not be built" not in p,
                    version, "the site once fixed")


def test_serve_never_creates_or_changes_the_output_folder(site):
    draft = site / "content" / "stories" / "2025-03-03-preview-only.md"
    draft.write_text("Title: Preview only draft\nDate: 2025-03-03\nSummary: Not ready.\nKind: news\n"
                     "Tags: preview\nStatus: draft\n" + CONSENT_LINES + "\nSecret draft words.\n")
    with serving(site) as base:
        assert "Secret draft words" in http_get(base + "/stories/drafts/preview-only-draft/")
    assert not (site / "output").exists(), "serve wrote the output folder"
    assert not list(site.glob(".output*")), "serve wrote beside the output folder"

    assert cswork("build", str(site)).returncode == 0
    before = tree_digest(site / "output")
    assert before and not any("drafts" in name for name in before)
    with serving(site) as base:
        version = _version(base)
        draft.write_text(draft.read_text().replace("Secret draft words.", "Changed draft words."))
        _wait_until(base, "/stories/drafts/preview-only-draft/", lambda p: "Changed draft words" in p,
                    version, "the changed draft")
    assert tree_digest(site / "output") == before, "serve changed the output folder"


def test_an_unknown_address_gets_the_site_s_own_404_page(site):
    with serving(site) as base:
        for path in ("/no-such-page/", "/no-such-page", "/stories/2025/no-such-story/", "/theme/no-such.css",
                     "/media/"):
            with pytest.raises(urllib.error.HTTPError) as missing:
                http_get(base + path)
            assert missing.value.code == 404, path
            page = missing.value.read().decode()
            assert "Page not found" in page and "check you copied the entire address" in page, path
            assert "/__cswork/reload.js" in page  # it follows rebuilds like every preview page


def test_an_open_draft_follows_its_story_when_it_is_published(site, browser):
    story = site / "content" / "stories" / "2025-03-03-moving-story.md"
    story.write_text("Title: A story that moves\nDate: 2025-03-03\nSummary: It moves.\nKind: news\n"
                     "Tags: moving\nStatus: draft\n" + CONSENT_LINES + "\nWords that move.\n")
    draft, published = "/stories/drafts/a-story-that-moves/", "/stories/2025/a-story-that-moves/"
    with serving(site) as base:
        page = browser.new_page()
        try:
            page.goto(base + draft)
            page.locator("h1", has_text="A story that moves").wait_for(timeout=30_000)
            story.write_text(story.read_text().replace("Status: draft", "Status: published"))
            page.wait_for_url(base + published, timeout=WAIT * 1000)
            page.locator("h1", has_text="A story that moves").wait_for(timeout=30_000)
            assert "DRAFT" not in page.content()
            # An old address, opened later, leads to the story too.
            assert "Words that move" in http_get(base + draft)
            # And back: made a draft again, the open page follows it to its draft address.
            story.write_text(story.read_text().replace("Status: published", "Status: draft"))
            page.wait_for_url(base + draft, timeout=WAIT * 1000)
            page.locator("h1", has_text="A story that moves").wait_for(timeout=30_000)
        finally:
            page.close()


def test_a_second_serve_on_a_port_in_use_says_so_plainly(site):
    with serving(site) as base:
        port = urlsplit(base).port
        started = time.monotonic()
        result = cswork("serve", str(site), "--port", str(port), timeout=60)
        assert result.returncode == 2, result.stderr
        assert result.stderr == f"cswork: port {port} is in use; try --port {port + 1}\n"
        assert "Serving on" not in result.stdout
        assert time.monotonic() - started < 30, "it should say so before building"
        assert re.search(r"Page not found|Castlebrook", http_get(base + "/")), "the first preview is unharmed"
