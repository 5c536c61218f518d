from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, browser_available, copy_site, cswork


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory) -> tuple[Path, Path]:
    """The demo site copied and built once for the session: (site folder, output folder)."""
    site = copy_site(tmp_path_factory.mktemp("demo") / "site")
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    return site, site / "output"


@pytest.fixture(scope="session")
def built_starter(tmp_path_factory) -> tuple[Path, Path]:
    """A site as `cswork init` starts it for a council that is not the demo, built once
    for the session: (site folder, output folder)."""
    site = tmp_path_factory.mktemp("starter") / "site"
    started = cswork("init", str(site), "--council", "Northfield Borough Council", "--service",
                     "Northfield Children's Services", "--url", "https://careers.northfield.gov.uk",
                     "--email", "socialworkjobs@northfield.gov.uk", "--colour", "#2a6f3b")
    assert started.returncode == 0, started.stderr
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    return site, site / "output"


@pytest.fixture
def site(tmp_path) -> Path:
    """A fresh, writable copy of the demo site for one test."""
    return copy_site(tmp_path / "site")


@pytest.fixture(scope="session")
def browser():
    ok, why = browser_available()
    if not ok:
        if os.environ.get("CSWORK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CSWORK_REQUIRE_BROWSER=1 but no browser: {why}")
        pytest.skip(f"browser tests skipped: {why}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
