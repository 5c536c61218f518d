"""Content in both languages (issue 19, point 4): data files give free text as plain text
or `{en: ..., cy: ...}`, checked at the field's line; each language's pages read their own
text and never less than the main language's; stories pair by slug, each version checked
and held back on its own; a site in two languages is warned of what lacks a version.

Through the real command line on a copy of the demo, and through check_site itself where
what is looked at is the data each language's pages are given."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from cswork_site.build.check import check_site
from cswork_site.data.site import SiteData
from cswork_site.languages import speaking

from .helpers import CONSENT_LINES, cswork
from .test_nation import make_welsh

LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
OFFER = "data/offer.yaml"


def _problems(result) -> list[dict[str, str]]:
    return [m.groupdict() for text in result.stderr.splitlines() if (m := LINE.match(text))]


def _set_languages(site: Path, codes: str) -> None:
    path = site / "data" / "service.yaml"
    service = yaml.safe_load(path.read_text(encoding="utf-8"))
    service["languages"] = yaml.safe_load(codes)
    path.write_text(yaml.safe_dump(service, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _edit(site: Path, relpath: str, change) -> None:
    path = site / relpath
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _line_of(site: Path, relpath: str, loc: tuple[Any, ...]) -> int:
    """The line a field's key is on (an item's own line, in a list), found by composing the
    YAML (not by cswork)."""
    node = yaml.compose((site / relpath).read_text(encoding="utf-8"))
    line = 0
    for part in loc:
        if isinstance(part, int):
            node = node.value[part]
            line = node.start_mark.line
        else:
            key, node = next((k, v) for k, v in node.value if k.value == part)
            line = key.start_mark.line
    return line + 1


def _checked(site: Path) -> SiteData:
    data, problems = check_site(site)
    assert data is not None, [str(p) for p in problems if p.is_error]
    return data


# --- text in data files ------------------------------------------------------

def test_each_language_reads_its_own_text_and_never_less(site: Path) -> None:
    _set_languages(site, "[en, cy]")

    def change(offer: dict[str, Any]) -> None:
        offer["roles"][0]["title"] = {"en": "Newly qualified social worker", "cy": "Gweithiwr cymdeithasol newydd"}
        offer["roles"][1]["title"] = {"EN": "Social worker"}  # no Welsh: the Welsh page shows the English
        offer["roles"][2]["summary"] = {" cy ": "Crynodeb yn Gymraeg.", "En": "A summary in English."}

    _edit(site, OFFER, change)
    data = _checked(site)
    welsh = data.in_language("cy")
    assert set(data.other_languages) == {"cy"} and welsh is data.other_languages["cy"]
    assert [r.title for r in data.offer.roles[:2]] == ["Newly qualified social worker", "Social worker"]
    assert [r.title for r in welsh.offer.roles[:2]] == ["Gweithiwr cymdeithasol newydd", "Social worker"]
    assert (data.offer.roles[2].summary, welsh.offer.roles[2].summary) == (
        "A summary in English.", "Crynodeb yn Gymraeg.")
    # Plain text is the same in both; stories are shared.
    assert welsh.offer.roles[3].summary == data.offer.roles[3].summary
    assert welsh.stories is data.stories
    assert data.in_language("en") is data


def test_a_site_in_one_language_has_no_second_pass(site: Path) -> None:
    data = _checked(site)
    assert data.other_languages == {}
    assert data.in_language("cy") is data


def test_a_welsh_main_language_takes_plain_text_as_welsh(site: Path) -> None:
    _set_languages(site, "[cy, en]")
    _edit(site, OFFER, lambda o: o["roles"][0].update(title={"cy": "Gweithiwr cymdeithasol", "en": "Social worker"}))
    result = cswork("check", str(site))
    found = {(p["line"], p["field"]): p["message"] for p in _problems(result) if p["path"] == OFFER}
    title_line = str(_line_of(site, OFFER, ("roles", 0, "title")))
    summary_line = str(_line_of(site, OFFER, ("roles", 0, "summary")))
    assert (title_line, "roles[0].title") not in found
    assert found[(summary_line, "roles[0].summary")] == (
        "warning: no English text: give it as {cy: ..., en: ...}")
    data = _checked(site)
    assert data.offer.roles[0].title == "Gweithiwr cymdeithasol"
    assert data.in_language("en").offer.roles[0].title == "Social worker"


# Classes of bad two-language text, each with the words its message must have.
BAD_TEXTS: list[tuple[Any, str]] = [
    ({}, "expected the text in each language, like {en: ...}; found an empty mapping"),
    ({"fr": "Bonjour"}, "expected language codes as keys (en, cy); found 'fr'"),
    ({"english": "Hello"}, "expected language codes as keys (en, cy); found 'english'"),
    ({"en-GB": "Hello"}, "expected language codes as keys (en, cy); found 'en-GB'"),
    ({1: "Hello"}, "expected language codes as keys (en, cy); found 1"),
    ({"en": "Hello", "EN": "Hi"}, "expected each language once; found en twice"),
    ({"en": "Hello", " en ": "Hi"}, "expected each language once; found en twice"),
    ({"en": None}, "en: expected text; found nothing"),
    ({"cy": ["Helo", "Shwmae"]}, "cy: expected text; found"),
    ({"en": {"text": "Hello"}}, "en: expected text; found"),
    ({"en": True}, "en: expected text; found"),
    ({"en": "Hello", "cy": "   "}, "cy: expected text; found none"),
]


@pytest.mark.parametrize("languages", ["[en, cy]", "[cy, en]"])
def test_bad_two_language_text_is_an_error_at_its_line(site: Path, languages: str) -> None:
    """Every bad mapping, one in each item of a list of text, all reported in one run."""
    _set_languages(site, languages)
    _edit(site, OFFER, lambda o: o["benefits"].update(wellbeing=[value for value, _ in BAD_TEXTS]))
    result = cswork("check", str(site))
    assert result.returncode == 1, result.stderr  # `cswork check` exits 1 for anything to fix
    assert "Traceback" not in result.stderr
    found = {p["field"]: p for p in _problems(result) if p["path"] == OFFER}
    codes = yaml.safe_load(languages)
    for i, (_, message) in enumerate(BAD_TEXTS):
        problem = found[f"benefits.wellbeing[{i}]"]
        assert problem["line"] == str(_line_of(site, OFFER, ("benefits", "wellbeing", i)))
        expected = message.replace("(en, cy)", f"({', '.join(codes)})").replace("{en: ...}", f"{{{codes[0]}: ...}}")
        assert expected in problem["message"]
        assert not problem["message"].startswith("warning:")  # an error: the build stops
    assert cswork("build", str(site)).returncode == 2


def test_welsh_text_on_a_site_in_english_only_is_refused(site: Path) -> None:
    _edit(site, OFFER, lambda o: o["roles"][0].update(title={"en": "Social worker", "cy": "Gweithiwr"}))
    result = cswork("check", str(site))
    assert result.returncode == 1
    [problem] = [p for p in _problems(result) if p["field"] == "roles[0].title"]
    assert problem["line"] == str(_line_of(site, OFFER, ("roles", 0, "title")))
    assert problem["message"] == "expected language codes as keys (en); found 'cy'"


def test_missing_welsh_is_one_warning_per_field_at_its_line(site: Path) -> None:
    _set_languages(site, "[en, cy]")

    def change(offer: dict[str, Any]) -> None:
        role = offer["roles"][0]
        role["title"] = {"en": role["title"]}  # a mapping without Welsh
        role["summary"] = {"en": role["summary"], "cy": "Eich blwyddyn gyntaf mewn ymarfer."}  # both
        role["responsibilities"] = [{"en": "Assessments", "cy": "Asesiadau"}, "Visits", {"en": "Reports"}]

    _edit(site, OFFER, change)
    result = cswork("check", str(site))
    assert result.returncode == 1, result.stderr  # warnings only
    warned = [(p["line"], p["field"]) for p in _problems(result)
              if p["path"] == OFFER and p["field"].startswith("roles[0].")
              and p["message"] == "warning: no Cymraeg text: give it as {en: ..., cy: ...}"]
    assert len(warned) == len(set(warned)), "one warning per field"
    expected = {(str(_line_of(site, OFFER, loc)), field) for loc, field in [
        (("roles", 0, "title"), "roles[0].title"),
        (("roles", 0, "responsibilities", 1), "roles[0].responsibilities[1]"),
        (("roles", 0, "responsibilities", 2), "roles[0].responsibilities[2]")]}
    assert expected <= set(warned)
    fields = {f for _, f in warned}
    assert "roles[0].summary" not in fields and "roles[0].responsibilities[0]" not in fields
    assert "roles[0].id" not in fields and "roles[0].pay.grade" not in fields  # not free text
    strict = cswork("build", "--strict", str(site))
    assert strict.returncode != 0


def test_unpublished_items_are_not_warned_about(site: Path) -> None:
    _set_languages(site, "[en, cy]")

    def change(items: dict[str, Any]) -> None:
        items["testimonials"][0]["consent"]["expires"] = "2020-01-01"  # not published

    _edit(site, "data/testimonials.yaml", change)
    result = cswork("check", str(site))
    fields = {p["field"] for p in _problems(result) if p["path"] == "data/testimonials.yaml"
              and "no Cymraeg text" in p["message"]}
    assert "testimonials[1].quote" in fields
    assert not any(f.startswith("testimonials[0].") for f in fields)


def test_no_warnings_of_welsh_on_a_site_in_english(site: Path) -> None:
    result = cswork("check", str(site))
    assert not any("Cymraeg" in p["message"] for p in _problems(result)), result.stderr


def test_the_safeguarding_screen_reads_the_welsh_text(site: Path) -> None:
    _set_languages(site, "[en, cy]")
    _edit(site, OFFER, lambda o: o["roles"][0].update(
        summary={"en": "Your first year in practice.", "cy": "Mae Elin yn 14 oed ac mae hi'n hoffi celf."}))
    result = cswork("check", str(site))
    assert result.returncode == 1
    found = [p for p in _problems(result) if p["field"] == "roles[0].summary" and "safeguarding" in p["message"]]
    assert found and found[0]["line"] == str(_line_of(site, OFFER, ("roles", 0, "summary")))


def test_wales_wording_is_welsh_on_welsh_pages(site: Path) -> None:
    make_welsh(site)
    _set_languages(site, "[cy, en]")
    data = _checked(site)
    with speaking("cy"):
        nation = data.nation
        assert (nation.regulator.name, nation.inspectorate.name, nation.tax.name) == (
            "Gofal Cymdeithasol Cymru", "Arolygiaeth Gofal Cymru", "Cyfraddau Treth Incwm Cymru")
    with speaking("en"):
        english = data.in_language("en").nation
        assert (english.regulator.name, english.inspectorate.name, english.tax.name) == (
            "Social Care Wales", "Care Inspectorate Wales", "Welsh rates of income tax")


# --- stories -------------------------------------------------------------------

BASE = "Date: {date}\nSummary: A summary.\nKind: news\nTags: careers\nAuthor_role: Communications officer\n"


def _story(site: Path, name: str, title: str, extra: str = "", date: str = "2025-05-01",
           body: str = "A plain paragraph about supervision.") -> str:
    relpath = f"content/stories/{name}.md"
    (site / relpath).write_text(f"Title: {title}\n{extra}" + BASE.format(date=date) + CONSENT_LINES
                                + "\n" + body + "\n", encoding="utf-8")
    return relpath


@pytest.mark.parametrize(("written", "lang"), [("cy", "cy"), ("CY", "cy"), ("  Cy  ", "cy"), ("en", "en"),
                                               ("EN-gb", "en"), ("en-GB", "en")])
def test_a_lang_line_is_read_in_any_case(site: Path, written: str, lang: str) -> None:
    _set_languages(site, "[en, cy]")
    path = _story(site, "2025-05-01-test", "Test story", f"Lang: {written}\n")
    assert _checked(site).stories[path].lang == lang


@pytest.mark.parametrize("written", ["fr", "cymraeg", "en-US", "cy-GB", "welsh"])
def test_a_lang_line_of_no_site_language_is_an_error_at_its_line(site: Path, written: str) -> None:
    _set_languages(site, "[en, cy]")
    path = _story(site, "2025-05-01-test", "Test story", f"Lang: {written}\n")
    result = cswork("check", str(site))
    [problem] = [p for p in _problems(result) if p["path"] == path and p["field"] == "lang"]
    assert problem["line"] == "2"
    assert problem["message"] == (f"expected one of the site's languages (en, cy, as data/service.yaml "
                                  f"lists them); found {written!r}")


def test_welsh_story_on_a_site_in_english_is_refused(site: Path) -> None:
    path = _story(site, "2025-05-01-test", "Test story", "Lang: cy\n")
    result = cswork("check", str(site))
    assert any(p["path"] == path and p["field"] == "lang" and "(en, as data/service.yaml" in p["message"]
               for p in _problems(result)), result.stderr
    data = _checked(site)
    assert data.stories[path].held_back  # an error in a story holds it back


def test_a_story_without_lang_is_in_the_main_language(site: Path) -> None:
    _set_languages(site, "[cy, en]")
    path = _story(site, "2025-05-01-test", "Test story")
    assert _checked(site).stories[path].lang == "cy"


def test_versions_pair_by_slug_and_link_each_other(site: Path) -> None:
    _set_languages(site, "[en, cy]")
    english = _story(site, "2025-05-01-supervision", "Supervision that works")
    welsh = _story(site, "2025-05-02-goruchwyliaeth", "Goruchwyliaeth sy'n gweithio",
                   "Lang: cy\nSlug: supervision-that-works\n", date="2025-05-02")
    data = _checked(site)
    assert data.translations_of(english) == {"cy": welsh}
    assert data.translations_of(welsh) == {"en": english}
    assert data.stories[english].publishable and data.stories[welsh].publishable
    result = cswork("check", str(site))
    about = [p for p in _problems(result) if p["path"] in (english, welsh)]
    assert about == [], about
    # A story with no Welsh version is warned of at its Title line.
    lonely = [p for p in _problems(result) if p["path"].startswith("content/stories/")
              and p["message"].startswith("warning: no Cymraeg version")]
    assert lonely and all(p["field"] == "title" and p["line"] == "1" for p in lonely)
    slug = data.stories[lonely[0]["path"]].slug
    assert any(p["message"] == f'warning: no Cymraeg version: write one with "Lang: cy" and "Slug: {slug}"'
               for p in lonely)


def test_versions_in_different_years_are_refused_at_the_date_line(site: Path) -> None:
    _set_languages(site, "[en, cy]")
    english = _story(site, "2025-05-01-supervision", "Supervision that works")
    welsh = _story(site, "2026-01-02-goruchwyliaeth", "Goruchwyliaeth sy'n gweithio",
                   "Lang: cy\nSlug: supervision-that-works\n", date="2026-01-02")
    result = cswork("check", str(site))
    [problem] = [p for p in _problems(result) if p["path"] == welsh and p["field"] == "date"]
    assert problem["line"] == "4"
    assert "2026" in problem["message"] and english in problem["message"] and "same year" in problem["message"]
    data = _checked(site)
    assert data.translations_of(english) == {} and data.stories[welsh].held_back


def test_two_stories_with_one_slug_in_one_language_clash(site: Path) -> None:
    _set_languages(site, "[en, cy]")
    first = _story(site, "2025-05-01-a", "Goruchwyliaeth", "Lang: cy\nSlug: supervision\n")
    second = _story(site, "2025-05-02-b", "Goruchwyliaeth eto", "Lang: cy\nSlug: supervision\n", date="2025-05-02")
    result = cswork("check", str(site))
    [problem] = [p for p in _problems(result) if p["path"] == second and p["field"] == "slug"]
    assert first in problem["message"] and "in Cymraeg" in problem["message"]


@pytest.mark.parametrize("held", ["cy", "en"])
def test_each_version_is_held_back_on_its_own(site: Path, held: str) -> None:
    """A child's detail in one version holds back that version only."""
    _set_languages(site, "[en, cy]")
    detail = {"cy": "Mae Elin yn 14 oed ac mae hi'n hoffi celf.", "en": "Elin is 14 years old and likes art."}
    english = _story(site, "2025-05-01-supervision", "Supervision that works",
                     body=detail["en"] if held == "en" else "A plain paragraph about supervision.")
    welsh = _story(site, "2025-05-02-goruchwyliaeth", "Goruchwyliaeth sy'n gweithio",
                   "Lang: cy\nSlug: supervision-that-works\n", date="2025-05-02",
                   body=detail["cy"] if held == "cy" else "Paragraff plaen am oruchwyliaeth.")
    data = _checked(site)
    held_path, other = (welsh, english) if held == "cy" else (english, welsh)
    assert data.stories[held_path].held_back and not data.stories[held_path].publishable
    assert data.stories[other].publishable
    result = cswork("check", str(site))
    assert any(p["path"] == held_path and "safeguarding" in p["message"] for p in _problems(result))
    assert not any(p["path"] == other and "safeguarding" in p["message"] for p in _problems(result))


# --- the reference and the schemas ------------------------------------------------

def test_the_fields_marked_in_each_language_are_those_that_take_it() -> None:
    """assets/data-fields.yaml marks a field `bilingual` exactly when its model's type takes
    two-language text, and the reference says so in its row."""
    from cswork_site.data.schema import SCHEMA_FILES, field_rows, two_language_paths

    reference = (Path(__file__).parent.parent / "docs" / "data-reference.md").read_text(encoding="utf-8")
    for file in SCHEMA_FILES:
        rows = field_rows().get(file.section, ())
        marked = {p for row in rows if row.bilingual for p in row.paths}
        assert marked == two_language_paths(file.model), file.section
        for row in rows:
            assert ("In each language" in row.words) == row.bilingual
            assert ("In each language" in row.write) is False  # said once, by the mark
    offer = two_language_paths(next(f for f in SCHEMA_FILES if f.name == "offer").model)
    assert {"roles[].title", "roles[].summary", "benefits.wellbeing"} <= offer
    assert not {"roles[].id", "roles[].pay.grade", "roles[].pay.min"} & offer
    assert reference.count("In each language: plain text") == sum(
        1 for rows in field_rows().values() for row in rows if row.bilingual)


def test_the_schema_takes_text_in_each_language() -> None:
    import jsonschema

    from cswork_site.data.schema import SCHEMA_FILES, schema_for

    offer = next(f for f in SCHEMA_FILES if f.name == "offer")
    title = schema_for(offer)["properties"]["roles"]["items"]["properties"]["title"]
    for good in ("Social worker", {"en": "Social worker", "cy": "Gweithiwr cymdeithasol"}, {" CY ": "Gweithiwr"}):
        jsonschema.validate(good, title)
    for bad in ({}, {"fr": "Travailleur"}, {"en": ["a"]}, {"en": True}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, title)


def test_pelican_is_given_the_language_as_checked(site: Path) -> None:
    """`Lang: CY` is read as cy, and the build is given cy (Pelican compares languages as
    written: CY would be a third language, its pages written over the Welsh ones)."""
    _set_languages(site, "[en, cy]")
    _story(site, "2025-05-01-supervision", "Supervision that works")
    welsh = _story(site, "2025-05-02-goruchwyliaeth", "Goruchwyliaeth sy'n gweithio",
                   "Lang: CY\nSlug: supervision-that-works\n", date="2025-05-02")
    data = _checked(site)
    assert data.story_markdown[welsh].meta["lang"] == ["cy"]
    build = cswork("build", str(site))
    assert build.returncode == 0, build.stderr
