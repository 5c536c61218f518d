"""A build killed at any moment (SIGKILL: no clean-up runs) leaves output/ exactly as
the previous build left it, byte for byte; the next build succeeds and tidies up.

The input is changed after the first build, so a build that got as far as the swap
would leave a different site: every kill that lands before the swap must leave the old
one, and a kill that lands after it the whole new one, never a mix.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import EPOCH, copy_site, cswork, tree_digest

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

# Seconds to wait, once the half-built folder has appeared, before killing the build.
DELAYS = (0.0, 0.02, 0.08, 0.2, 0.4, 0.7)


def _start(site: Path) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("CSWORK_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "cswork_site", "build", str(site)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _building(site: Path) -> set[str]:
    return {p.name for p in site.glob(".output.building-*")}


def _wait_for_building(site: Path, proc: subprocess.Popen, left: set[str], timeout: float = 60) -> bool:
    """True once this build's .output.building-* folder exists (not one a killed build
    left behind); False if the build ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _building(site) - left:
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.002)
    proc.kill()
    raise AssertionError("the build never started writing")


def test_a_killed_build_leaves_the_previous_output(tmp_path: Path):
    site = copy_site(tmp_path / "site")
    first = cswork("build", str(site))
    assert first.returncode == 0, first.stderr
    old = tree_digest(site / "output")
    assert "index.html" in old

    service = site / "data" / "service.yaml"
    text = service.read_text(encoding="utf-8")
    assert "tagline: " in text
    service.write_text(text.replace("tagline: ", "tagline: Changed after the first build. ", 1), encoding="utf-8")
    reference = cswork("build", str(site), "-o", str(tmp_path / "reference"))
    assert reference.returncode == 0, reference.stderr
    new = tree_digest(tmp_path / "reference")
    assert new != old and new["index.html"] != old["index.html"]

    saved = tmp_path / "old-output"
    shutil.copytree(site / "output", saved)
    started = time.monotonic()
    killed_while_writing = 0
    for delay in DELAYS:
        left = _building(site)
        proc = _start(site)
        if _wait_for_building(site, proc, left):
            time.sleep(delay)
        was_running = proc.poll() is None
        if was_running:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        after = tree_digest(site / "output")
        if after == new:  # the kill came after the swap: the new site, whole
            shutil.rmtree(site / "output")
            shutil.copytree(saved, site / "output")
        else:
            assert after == old, f"output/ changed after a kill {delay}s into writing"
            killed_while_writing += was_running
    assert killed_while_writing >= len(DELAYS) // 2, "too few kills landed while the build was writing"

    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert tree_digest(site / "output") == new
    assert not list(site.glob(".output.building-*")), "half-built folders were left behind"
    assert time.monotonic() - started < 60
