"""The quality gates stay as the README says: the fast subset, the lint gates, the marker."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FAST = 'pytest -m "not slow"'


def _pytest_options() -> dict:
    return PYPROJECT["tool"]["pytest"]["ini_options"]


def test_the_slow_marker_is_registered_and_unknown_marks_are_errors():
    markers = [m.split(":")[0].strip() for m in _pytest_options()["markers"]]
    assert "slow" in markers
    # Else a typo (@pytest.mark.slwo) would quietly put a slow test in the fast subset.
    assert "--strict-markers" in _pytest_options()["addopts"].split()


def test_the_readme_documents_the_fast_subset_and_the_gates():
    developing = README.split("\n## Developing\n", 1)
    assert len(developing) == 2, "README.md has no 'Developing' section"
    section = developing[1].split("\n## ", 1)[0]
    for command in (FAST, "ruff check", "mypy cswork_site", "make test"):
        assert command in section, command
    # The first two commands stay first: set up and build, set up and test.
    assert re.findall(r"^    (make \w+)$", README, re.M)[:2] == ["make demo", "make test"]


def test_make_test_runs_the_gates_before_the_suite():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: .*\blint\b", makefile, re.M)
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert lint and "ruff check" in lint.group(1) and "mypy cswork_site" in lint.group(1)
    assert FAST in makefile
    extras = " ".join(PYPROJECT["project"]["optional-dependencies"]["test"])
    assert "ruff" in extras and "mypy" in extras
