"""The languages a site is written in (issue 19, point 2's setting): `languages` in
data/service.yaml is checked at its line, and every language listed is built, the main one
at the root of the output and the other in its own folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cswork_site.languages import LANGUAGES

from .helpers import cswork

LINE = re.compile(r"^(\S+):(\d+): (\S+): (.*)$")


def _set_languages(site: Path, value: str) -> int:
    """Writes `languages: value` after the nation line; returns its line."""
    path = site / "data" / "service.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, text in enumerate(lines) if text.startswith("nation:")) + 1
    lines.insert(at, f"languages: {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


def _about_languages(result) -> list[tuple[int, str]]:
    found = []
    for text in (result.stdout + result.stderr).splitlines():
        match = LINE.match(text)
        if match and match.group(1) == "data/service.yaml" and match.group(3) == "languages":
            found.append((int(match.group(2)), match.group(4)))
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("value", "message"), [
    ("[fr]", "expected languages from en, cy; found fr"),
    ("[cy, de, en]", "expected languages from en, cy; found de"),
    ("[en, en]", "each language once; found en, en"),
    ("[cy, CY]", "each language once; found cy, cy"),
    ("[]", "expected a list of languages, the main one first, such as [cy, en]; found []"),
    ("{main: cy}", "expected a list of languages, the main one first, such as [cy, en]; found {'main': 'cy'}"),
])
def test_a_wrong_languages_line_is_refused_at_its_line(site: Path, value: str, message: str) -> None:
    line = _set_languages(site, value)
    result = cswork("build", str(site))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert _about_languages(result) == [(line, message)]
    assert not (site / "output").exists()


@pytest.mark.slow
@pytest.mark.parametrize(("value", "main", "other"), [
    ("[cy, en]", "cy", "en"), ("[en, cy]", "en", "cy"), ("[ Cy , EN ]", "cy", "en"), ("cy", "cy", None)])
def test_every_spelling_of_the_languages_builds_them_the_main_one_at_the_root(
        site: Path, value: str, main: str, other: str | None) -> None:
    _set_languages(site, value)
    result = cswork("build", str(site))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert _about_languages(result) == []  # nothing to say of a setting that is honoured
    output = site / "output"
    assert f'<html lang="{LANGUAGES[main].tag}">' in (output / "index.html").read_text(encoding="utf-8")
    for code in LANGUAGES:
        folder = output / code / "index.html"
        if code == other:
            assert f'<html lang="{LANGUAGES[code].tag}">' in folder.read_text(encoding="utf-8")
        else:
            assert not folder.exists(), code


@pytest.mark.slow
def test_an_english_site_says_nothing_of_languages(site: Path) -> None:
    result = cswork("check", str(site))
    assert _about_languages(result) == []
    line = _set_languages(site, "[en]")
    assert line > 0 and _about_languages(cswork("check", str(site))) == []
