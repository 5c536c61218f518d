"""The check's messages in the user's language (issue 19, point 5): `--language cy` or
CSWORK_LANGUAGE=cy writes every safeguarding message, and the summaries, in Welsh.

Identifying details, in Welsh and in English, go into a story and a data field of a copy
of the demo, which is checked and built through the real command line in English and in
Welsh. The Welsh lines are recomputed from the English ones and the Welsh catalogue, read
here with Babel: each English message is matched against the catalogue's msgids, and the
msgstr filled with the same details. The line's PATH:LINE: FIELD prefix stays as it is.
"""

from __future__ import annotations

import gettext
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from .helpers import REPO, cswork, http_get, start_serve, wait_for_version

PO = REPO / "cswork_site" / "locale" / "cy" / "LC_MESSAGES" / "messages.po"
STORY = "content/stories/2025-02-03-launching-our-enhanced-year-in-practice.md"
STORY_TITLE = "Launching our Enhanced Year in Practice"
# A child's details as a Welsh and an English story might give them.
DETAILS = ("Roedd Elin, 14 oed, yn byw yn Nhŷ Gwyn, Heol y Bont gyda’i nain. Ganwyd hi ar 3 Mawrth 2012 "
           "ac mae hi’n mynd i Ysgol Gynradd Glan y Môr.\n\nJamie, 14, lives at 12 Orchard Close, CB4 1AA.")
FIELD_DETAILS = "Roedd Elin, 14 oed, yn byw yn Nhŷ Gwyn, Heol y Bont"
STORY_HELD = ("safeguarding: %(finding)s. This story is held back until this is fixed or an override is "
              "recorded.")
LINE = re.compile(r"^(?P<where>[^:\s]+:\d+: [^:]+: )(?P<severity>warning: |note: )?(?P<message>.*)$")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
SUMMARY = re.compile(r"^(\d+) errors?, (\d+) warnings?(?:, (\d+) notes?)?\.$")


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with PO.open("rb") as po:
        return read_po(po, locale="cy")


def _pattern(msgid: str) -> re.Pattern[str]:
    """A msgid as a pattern whose groups are its placeholders."""
    parts = re.split(r"(%\(\w+\)[sd])", msgid)
    return re.compile("".join(f"(?P<{PLACEHOLDER.fullmatch(p).group(1)}>.+?)" if PLACEHOLDER.fullmatch(p)  # type: ignore[union-attr]
                              else re.escape(p) for p in parts))


def _singles(catalogue: Catalog) -> list:
    return [m for m in catalogue if m.id and isinstance(m.id, str)]


def _finding_in_welsh(text: str, catalogue: Catalog) -> str:
    found = {m.string % match.groupdict() for m in _singles(catalogue)
             if not m.id.startswith("safeguarding:") and (match := _pattern(m.id).fullmatch(text))}
    assert len(found) == 1, (text, found)
    return found.pop()


def welsh_message(english: str, catalogue: Catalog) -> str:
    """What the Welsh catalogue makes of one English safeguarding message."""
    outer = sorted((m for m in _singles(catalogue) if m.id.startswith("safeguarding: ")),
                   key=lambda m: len(m.id), reverse=True)
    for m in outer:  # the longest first: "safeguarding: %(finding)s" alone matches them all
        if match := _pattern(m.id).fullmatch(english):
            values = match.groupdict()
            values["finding"] = _finding_in_welsh(values["finding"], catalogue)
            return m.string % values
    raise AssertionError(f"no msgid matches {english!r}")


def plural(catalogue: Catalog, singular: str, n: int) -> str:
    forms = catalogue.get(singular).string
    return forms[gettext.c2py(catalogue.plural_expr)(n)] % {"num": n}


def welsh_summary(english: str, catalogue: Catalog) -> str:
    m = SUMMARY.fullmatch(english)
    assert m, english
    said = [plural(catalogue, "%(num)d error", int(m[1])), plural(catalogue, "%(num)d warning", int(m[2]))]
    if m[3]:
        said.append(plural(catalogue, "%(num)d note", int(m[3])))
    return ", ".join(said) + "."


def with_details(site: Path, field: str) -> Path:
    """The details in a story's body, and in a data field: the tagline (whose finding stops
    the build) or a testimonial's quote (whose finding holds that testimonial back)."""
    story = site / STORY
    story.write_text(story.read_text(encoding="utf-8") + "\n" + DETAILS + "\n", encoding="utf-8")
    if field == "tagline":
        path = site / "data" / "service.yaml"
        text = re.sub(r"(?m)^tagline: .*$", f"tagline: {FIELD_DETAILS}", path.read_text(encoding="utf-8"), count=1)
    else:
        path = site / "data" / "testimonials.yaml"
        old = "      I was nervous about my first year,"
        text = path.read_text(encoding="utf-8")
        assert old in text
        text = text.replace(old, f"      {FIELD_DETAILS}. I was nervous about my first year,", 1)
    path.write_text(text, encoding="utf-8")
    return site


def problem_lines(stderr: str) -> list[re.Match[str]]:
    return [m for line in stderr.splitlines() if (m := LINE.match(line))]


def assert_in_welsh(english: str, welsh: str, catalogue: Catalog) -> None:
    """Every safeguarding line of the English run is in Welsh in the other, at the same
    file, line and field, as the catalogue says it; every other line is as it was."""
    lines = problem_lines(english)
    flagged = [m for m in lines if m["message"].startswith("safeguarding: ")]
    assert len(flagged) >= 8, english  # the details were found: in the story and the field
    expected = Counter(m.group(0) for m in lines if m not in flagged)
    expected.update(m["where"] + (m["severity"] or "") + welsh_message(m["message"], catalogue) for m in flagged)
    got = Counter(m.group(0) for m in problem_lines(welsh))
    assert got == expected
    for m in flagged:
        assert m.group(0) not in got  # the message differs from the English one
    assert "safeguarding:" not in welsh and "diogelu: " in welsh


@pytest.mark.slow
def test_check_writes_the_safeguarding_messages_in_welsh(site: Path, catalogue: Catalog) -> None:
    with_details(site, "tagline")
    # English first, on the same site: the stories' cache must not give the Welsh run English.
    english = cswork("check", str(site))
    assert english.returncode == 1, english.stderr
    flagged = [m for m in problem_lines(english.stderr) if m["message"].startswith("safeguarding: ")]
    assert {m.group(0).split(":")[0] for m in flagged} == {STORY, "data/service.yaml"}
    for welsh in (cswork("check", "--language", "cy", str(site)),
                  cswork("check", str(site), env={"CSWORK_LANGUAGE": "cy"})):
        assert welsh.returncode == english.returncode
        assert "Traceback" not in welsh.stderr
        assert_in_welsh(english.stderr, welsh.stderr, catalogue)
        assert welsh.stderr.splitlines()[-1] == welsh_summary(english.stderr.splitlines()[-1], catalogue)
    # Each says the story is held back, in the JSON report too (the build test shows it is).
    for language, msgid in (("en", STORY_HELD), ("cy", catalogue.get(STORY_HELD).string)):
        result = cswork("check", "--format", "json", "--language", language, str(site))
        said = [p["message"] for p in json.loads(result.stdout)["problems"] if p["path"] == STORY]
        assert len(said) >= 6 and all(m.endswith(msgid.split("%(finding)s", 1)[1]) for m in said)
    # --language wins over the environment.
    english_again = cswork("check", "--language", "en", str(site), env={"CSWORK_LANGUAGE": "cy"})
    assert english_again.stderr == english.stderr


@pytest.mark.slow
def test_build_holds_the_story_back_and_says_so_in_welsh(site: Path, catalogue: Catalog) -> None:
    with_details(site, "testimonial")
    # And an error in another story, which holds it back too: the build says how many are.
    other = site / "content" / "stories" / "2025-11-24-why-i-stopped-being-a-locum.md"
    other.write_text(re.sub(r"(?m)^Kind: .*$", "Kind: wizardry", other.read_text(encoding="utf-8"), count=1),
                     encoding="utf-8")
    english = cswork("build", str(site), "-o", str(site / "out-en"))
    welsh = cswork("build", "--language", "cy", str(site), "-o", str(site / "out-cy"))
    assert english.returncode == welsh.returncode == 0, english.stderr + welsh.stderr
    assert_in_welsh(english.stderr, welsh.stderr, catalogue)
    flagged = [m for m in problem_lines(welsh.stderr) if m.group(0).startswith("data/testimonials.yaml")]
    assert flagged and all("Caiff tysteb 'priya-asye' ei dal yn ôl" in m["message"] for m in flagged)
    # The story (and the testimonial) are held back in both builds.
    for out in (site / "out-en", site / "out-cy"):
        published = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*")
                              if p.is_file() and p.suffix in (".html", ".xml", ".json"))
        assert STORY_TITLE not in published and "Glan y Môr" not in published and "Nhŷ Gwyn" not in published
    held = [line for line in welsh.stderr.splitlines() if line.startswith("cswork: ")]
    assert held == [plural(catalogue, "cswork: %(num)d story held back until the problems above are fixed; "
                                      "the rest of the site is built.", 1)]


@pytest.mark.slow
def test_the_preview_shows_the_problems_of_a_rebuild_in_welsh(site: Path, catalogue: Catalog,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSWORK_LANGUAGE", "cy")
    proc, base = start_serve(site)
    try:
        version = wait_for_version(base, 0)  # the first build is done: the change below is the next one's
        with_details(site, "tagline")  # rebuilt by the watcher, in a thread of its own
        wait_for_version(base, version)
        banner = BeautifulSoup(http_get(base + "/"), "html.parser").get_text(" ")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # The tagline's findings stop the build; the banner gives them in Welsh.
    english = cswork("check", "--language", "en", str(site))  # CSWORK_LANGUAGE is still cy here
    stopping = [m for m in problem_lines(english.stderr) if m.group(0).startswith("data/service.yaml")]
    assert len(stopping) == 2
    said = " ".join(banner.split())
    for m in stopping:
        welsh = welsh_message(m["message"], catalogue)
        assert welsh != m["message"] and " ".join(welsh.split()) in said
    assert "safeguarding:" not in said


@pytest.mark.slow
@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_unknown_language_is_refused_with_the_choices(site: Path, how: str) -> None:
    for command in ("check", "build"):
        if how == "option":
            result = cswork(command, "--language", "fr", str(site))
        else:
            result = cswork(command, str(site), env={"CSWORK_LANGUAGE": "fr"})
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1].startswith("Error: Invalid value for '--language'")
        assert "'fr' is not one of 'cy', 'en'." in result.stderr
    assert not (site / "output").exists()


def _extracted(folder: Path) -> list[tuple[Path, int, str | tuple[str, ...]]]:
    return [(path, line, message) for path in sorted(folder.glob("*.py"))
            for line, message, _, _ in extract_from_file("python", str(path), keywords=DEFAULT_KEYWORDS)]


def test_every_safeguarding_message_has_a_welsh_translation_with_its_placeholders(catalogue: Catalog) -> None:
    found = _extracted(REPO / "cswork_site" / "safeguarding")
    assert len(found) >= 30  # every detector's message, the pictures' and what each finding does
    for path, line, msgid in found:
        assert isinstance(msgid, str), (path, line)
        entry = catalogue.get(msgid)
        where = f"{path.name}:{line}: {msgid!r}"
        assert entry is not None and entry.string and not entry.fuzzy, f"{where} has no Welsh translation"
        assert sorted(PLACEHOLDER.findall(entry.string)) == sorted(PLACEHOLDER.findall(msgid)), where


def test_the_command_lines_summaries_have_every_welsh_plural_form(catalogue: Catalog) -> None:
    assert catalogue.num_plurals == 6
    found = _extracted(REPO / "cswork_site" / "cli")
    assert found
    for path, line, msgid in found:
        key = msgid if isinstance(msgid, str) else msgid[0]
        entry = catalogue.get(key)
        where = f"{path.name}:{line}: {key!r}"
        assert entry is not None, f"{where} has no Welsh translation"
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert len(forms) == (6 if isinstance(msgid, tuple) else 1) and all(forms), where
        # A form may leave the number out ("dim gwallau": no errors), never add a placeholder.
        assert all(set(PLACEHOLDER.findall(f)) <= set(PLACEHOLDER.findall(" ".join(entry.id if isinstance(
            entry.id, tuple) else (entry.id,)))) for f in forms), where
