"""Budgets on the demo site: page weight, JavaScript only where needed, every internal
link and asset resolves, and nothing is loaded from another origin."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup

# HTML plus CSS, images excluded. 72 kB since the improvement page explains itself: each
# figure's definition, the status key and the comparators' tables (it was 60 kB).
PAGE_BUDGET = 72 * 1024
OWN_JS_BUDGET = 20 * 1024
PAGES_WITH_SCRIPT = {"agency-to-permanent/index.html", "search/index.html"}


def _pages(output: Path):
    for page in sorted(output.rglob("*.html")):
        yield page.relative_to(output).as_posix(), BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"), page


def _local(output: Path, ref: str) -> Path | None:
    """The file a same-site reference points to, or None for another origin."""
    parsed = urlparse(ref)
    if parsed.scheme or parsed.netloc:
        return None
    path = unquote(parsed.path)
    target = output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def test_every_page_fits_the_weight_budget(built_demo):
    _, output = built_demo
    for rel, soup, page in _pages(output):
        css = sum((output / link["href"].lstrip("/")).stat().st_size
                  for link in soup.find_all("link", rel="stylesheet"))
        assert page.stat().st_size + css <= PAGE_BUDGET, f"{rel}: {page.stat().st_size + css} bytes"


def test_script_only_where_needed_and_small(built_demo):
    _, output = built_demo
    for rel, soup, _ in _pages(output):
        sources = [s["src"] for s in soup.find_all("script", src=True)]
        if rel not in PAGES_WITH_SCRIPT:
            assert not sources, f"{rel} loads script"
        own = [s for s in sources if "/theme/js/" in s]
        assert sum((output / s.lstrip("/")).stat().st_size for s in own) <= OWN_JS_BUDGET, rel


def test_every_internal_link_and_asset_resolves_and_nothing_comes_from_elsewhere(built_demo):
    _, output = built_demo
    broken, foreign = [], []
    for rel, soup, _ in _pages(output):
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "srcset"),
                          ("img", "srcset")):
            for el in soup.find_all(tag):
                value = el.get(attr)
                if not value:
                    continue
                refs = [part.strip().split(" ")[0] for part in value.split(",")] if attr == "srcset" else [value]
                for ref in refs:
                    if ref.startswith(("mailto:", "tel:", "#")):
                        continue
                    target = _local(output, ref.split("#")[0])
                    if target is None:
                        # Links to other sites are fine; loading anything from one is not.
                        if tag != "a":
                            foreign.append((rel, ref))
                        continue
                    if not target.exists():
                        broken.append((rel, ref))
    assert broken == []
    assert foreign == []
