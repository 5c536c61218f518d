"""The same input and the same SOURCE_DATE_EPOCH give the same site, byte for byte:
pages, feeds, calendar files, sitemaps and fingerprinted assets alike, whatever the
output folder is called, wherever the site folder is, and whatever the clock says.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from .helpers import copy_site, cswork, tree_digest

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser


def _explain(a: Path, b: Path) -> str:
    da, db = tree_digest(a), tree_digest(b)
    only = sorted(set(da) ^ set(db))
    changed = sorted(k for k in set(da) & set(db) if da[k] != db[k])
    report = [f"only in one build: {only[:10]}", f"different: {len(changed)} files, e.g. {changed[:10]}"]
    for rel in changed[:2]:
        x = (a / rel).read_text(encoding="utf-8", errors="replace").splitlines()
        y = (b / rel).read_text(encoding="utf-8", errors="replace").splitlines()
        report += list(difflib.unified_diff(x, y, rel, rel, n=0, lineterm=""))[:20]
    return "\n".join(report)


def _build(site: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> dict[str, str]:
    result = cswork("build", str(site), "-o", str(out), *extra, env=env)
    assert result.returncode == 0, result.stderr
    digest = tree_digest(out)
    assert "index.html" in digest
    return digest


@pytest.mark.parametrize("production", [False, True], ids=["preview-settings", "production"])
def test_two_builds_are_byte_identical(tmp_path: Path, production: bool):
    site = copy_site(tmp_path / "site")
    extra = ("--production",) if production else ()
    # Different folder names and depths: no path of the machine may reach the output.
    first = _build(site, tmp_path / "one", *extra)
    second = _build(site, tmp_path / "two" / "deeper" / "site-output", *extra,
                    env={"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "12345"})
    assert first == second, _explain(tmp_path / "one", tmp_path / "two" / "deeper" / "site-output")
    assert any(k.endswith(".ics") for k in first), "expected calendar files in the build"
    if production:
        assert any(k.endswith((".atom.xml", ".rss.xml")) for k in first), "expected a feed in the build"


def test_the_site_folder_location_does_not_matter(tmp_path: Path):
    a = copy_site(tmp_path / "a")
    b = copy_site(tmp_path / "somewhere" / "else" / "b")
    first = _build(a, tmp_path / "out-a", "--production")
    second = _build(b, tmp_path / "out-b", "--production", env={"PYTHONHASHSEED": "1"})
    assert first == second, _explain(tmp_path / "out-a", tmp_path / "out-b")


def test_a_rebuild_in_place_is_identical(tmp_path: Path):
    """The default output/ (an atomic swap over the previous build) gives the same bytes."""
    site = copy_site(tmp_path / "site")
    assert cswork("build", str(site)).returncode == 0
    first = tree_digest(site / "output")
    assert cswork("build", str(site), env={"PYTHONHASHSEED": "7"}).returncode == 0
    assert tree_digest(site / "output") == first, "a second build of the same input changed output/"
