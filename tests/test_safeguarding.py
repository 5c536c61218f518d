"""The safeguarding check: details that could identify a child or family are found, and
ordinary recruitment prose (salaries, caseloads, years, grades, the service's own contact
details) is left alone.

The corpus is a table: each case is a piece of text and exactly the kinds of finding it
must give, with their lines for text of more than one line. A false alarm is as much a
failure as a miss, because a check that cries wolf gets switched off.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from PIL import ExifTags, Image
from pydantic import ValidationError

from cswork_site.safeguarding.detectors import (
    _CASE_TWINS,
    Finding,
    SafeguardingOverride,
    WatchLists,
    apply_overrides,
    findings_to_problems,
    load_watch_lists,
    scan_photo,
    scan_text,
)

REPO = Path(__file__).resolve().parents[1]
LINE_FORMAT = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")

# Written out here, not read from data/safeguarding.yaml, so that editing the demo lists
# cannot quietly change what this corpus tests.
LISTS = WatchLists(
    schools=("Castlebrook Primary School", "Riverside Academy", "St Anne's Church of England Primary School"),
    placements=("Willow House children's home", "Brightpath Fostering"),
    names=("Kieran Walsh", "Ella-Mae Hughes"),
    # The service's own handle is allowed, so that "social-media" below stays benign now
    # that handles are found.
    allowed=("socialworkjobs@castlebrook.example.org", "01632 960418", "@CastlebrookCSC"),
)


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    kinds: frozenset[str] = frozenset()
    # For text of more than one line: the (kind, line) of every finding.
    lines: tuple[tuple[str, int], ...] = ()


def found(id: str, text: str, *kinds: str, lines: tuple[tuple[str, int], ...] = ()) -> Case:
    return Case(id, textwrap.dedent(text).strip("\n"), frozenset(kinds), lines)


def clean(id: str, text: str) -> Case:
    return Case(id, textwrap.dedent(text).strip("\n"))


TRUE_POSITIVES = [
    # Dates of birth
    found("born-day-month-year", "Jamie was born 3 March 2014 and moved to us last year.", "date-of-birth"),
    found("dob-label-numeric", "DOB: 03/03/2014", "date-of-birth"),
    found("date-of-birth-label", "Date of birth: 14th June 2012", "date-of-birth"),
    found("dob-dotted", "Her d.o.b. is on the file.", "date-of-birth"),
    found("born-on-the-ordinal", "He was born on the 3rd of March, 2013.", "date-of-birth"),
    found("born-in-month-year", "She was born in May 2015.", "date-of-birth"),
    found("born-in-year", "The youngest was born in 2011.", "date-of-birth"),
    found("date-of-birth-is", "His date of birth is 12/05/2010.", "date-of-birth"),
    found("born-iso-date", "born 2014-03-03", "date-of-birth"),
    # Postcodes
    found("postcode", "They live near CB4 1AA, by the park.", "postcode"),
    found("postcode-london", "Send it to SW1A 2AA.", "postcode"),
    found("postcode-short", "The flat is in M1 1AE.", "postcode"),
    found("postcode-no-space", "Their postcode is CB41AA.", "postcode"),
    # Street addresses
    found("address-road", "The family moved to 14 Elm Road last spring.", "address"),
    found("address-number-letter", "She visited them at 3a Mill Lane every week.", "address"),
    found("address-two-words", "Their new home at 22 Long Acre Gardens has a garden.", "address"),
    found("address-with-postcode", "Flat 2, 27 Orchard Close, Castlebrook CB4 1AA", "address", "postcode"),
    found("address-court", "Grandad lives at 9 Riverside Court.", "address"),
    # Phone numbers
    found("mobile", "Call his mum on 07700 900123.", "phone"),
    found("london-landline", "Ring 020 7946 0958 for the foster carer.", "phone"),
    found("mobile-international", "Her number is +44 7700 900456.", "phone"),
    found("landline-brackets", "Tel: (01632) 960 777", "phone"),
    found("international-with-zero", "+44 (0)1632 960999", "phone"),
    found("mobile-hyphens", "text 07700-900-321 after school", "phone"),
    # Email addresses
    found("email", "Email jamie.taylor@example.com with any news.", "email"),
    found("email-sentence-end", "The carer is k.walsh99@example.net.", "email"),
    # National Insurance numbers
    found("ni-number", "NI number AB123456C", "ni-number"),
    found("ni-number-spaced", "Her NI number is JG 12 34 56 D.", "ni-number"),
    # Watch lists
    found("school", "She goes to Castlebrook Primary School.", "school"),
    found("school-lower-case", "pupils at riverside academy told us", "school"),
    found("school-possessive", "Riverside Academy's head teacher rang us.", "school"),
    found("school-curly-apostrophe", "He started at St Anne’s Church of England Primary School.", "school"),
    found("placement", "He lives at Willow House children's home.", "placement"),
    found("name", "We worked with Kieran Walsh and his sister.", "name"),
    found("name-capitals", "ELLA-MAE HUGHES", "name"),
    # Was "school-not-listed", a false positive: schools are now found by the pattern of
    # their names ("Riverside Primary"), not only from the watch list.
    found("school-not-listed", "Riverside Primary and Castlebrook College sent staff.", "school"),
    # Ages next to names
    found("age-commas", "Jamie, 14, told us he wanted to stay.", "age"),
    found("age-brackets-aged", "Jamie (aged 9) loves football.", "age"),
    found("age-year-old-before", "This is a story about 14-year-old Jamie.", "age"),
    found("age-who-is", "Jamie who is 12 chose the café.", "age"),
    found("age-aged", "Sky, aged 15, chaired her own review.", "age"),
    found("age-in-words", "The fourteen-year-old Jay said no.", "age"),
    found("age-bare-brackets", "Jay (16) wrote the letter.", "age"),
    found("age-months", "Mia, who was 18 months old, stayed with her aunt.", "age"),
    found("age-end-of-sentence", "We met Jamie, 14.", "age"),
    found("age-is", "Jamie is 12 and loves art.", "age"),
    found("age-was-when", "Jay was 9 when he came into care.", "age"),
    # Several details, over several lines
    found("case-notes", """
        Kieran, 11, lives at
        4 Birch Grove, CB4 1AA.
        His DOB is 02/02/2015.
        """, "age", "address", "postcode", "date-of-birth",
        lines=(("age", 1), ("address", 2), ("postcode", 2), ("date-of-birth", 3))),
    found("contact-details-in-a-quote", """
        "Ring me any time," she said.

        Her mobile, 07700 900123, was on every letter,
        and so was her email,
        sam.carer@example.org.
        """, "phone", "email", lines=(("phone", 3), ("email", 5))),
    found("name-over-a-line-break", """
        Her carers are with Brightpath
        Fostering, and she sees Kieran
        Walsh at weekends.
        """, "placement", "name", lines=(("placement", 1), ("name", 2))),
]

FALSE_POSITIVES = [
    # Money
    clean("salary-range", "Salary £38,900 to £43,500, plus a £3,000 market supplement."),
    clean("salary-single", "£38,900"),
    clean("pay-points", "Pay points 29 to 33 (Grade 7), rising to £46,731 at point 37."),
    clean("band-and-point", "Band 6 (point 25) to Band 7 (point 31)."),
    clean("pension", "18.5% of your salary is paid into the pension scheme."),
    clean("vacancies", "We have 14 vacancies; salary up to £46,731."),
    # Caseloads and counts
    clean("caseload-range", "Caseloads are kept to 14 to 18 children."),
    clean("caseload", "Marta's caseload is 15 children."),
    clean("teams", "We have 120 social workers in 14 teams across 3 localities."),
    clean("council-members", "Our Children in Care Council has 12 members aged 13 to 19."),
    clean("group-age-range", "Children aged 5 to 11 can join the younger council."),
    clean("group-age-plus", "Young People aged 16+ can get help from our leaving care team."),
    clean("month-then-count", "In June, 14 new social workers joined us."),
    clean("name-then-years", "Priya, 2 years into her career, says supervision helps."),
    clean("name-then-count", "Our team manager, Niamh, supervises 6 social workers."),
    clean("name-who-is-years", "Leah, who is 4 years qualified, chairs the group."),
    clean("name-was-years", "Leah was 2 years into her ASYE when she joined us."),
    clean("place-is-one-of", "Castlebrook is 1 of 3 councils in the county rated good."),
    # Years, dates and times
    clean("ofsted", "Ofsted judged us good in 2024."),
    clean("since-year", "We have been rated good since 2019."),
    clean("ofsted-bracket-year", "Ofsted: Good (2024)"),
    clean("year-then-place", "In 2019 Castlebrook Court opened as our family hub."),
    clean("experience", "You will need 3 years' post-qualifying experience."),
    clean("leave", "A 4-day week, 28 days' leave, rising to 33 after 5 years."),
    clean("hours", "We work 37 hours a week, with flexible hours between 07:30 and 19:00."),
    clean("opening-hours", "Phone lines are open 9am to 5pm, Monday to Friday."),
    clean("event-date", "Interviews are on 12 May 2025 at 10:30am at the Town Hall, Market Square."),
    clean("closing-date", "Apply by 5pm on 31 January 2026."),
    clean("inspection-month", "Our inspection in March 2024 rated us good."),
    clean("qualified-year", "Grace qualified as a social worker in 2009."),
    clean("eight-years", "Nine years later I manage the team I trained in."),
    clean("time-after-name", "Meet Joel, 9.30am on Tuesday, at the Town Hall."),
    # Birth, without a date
    clean("born-and-raised", "Born and raised in Castlebrook, Priya always wanted to work here."),
    clean("your-date-of-birth", "We will ask for your date of birth when you apply, for the pension scheme."),
    # Programmes, grades, team names, forms and references
    clean("asye", "Join our ASYE programme, with a protected caseload in your first 6 months."),
    clean("step-up", "Step Up to Social Work and Frontline students are welcome."),
    clean("grade", "Senior practitioners are on Grade 7."),
    clean("forms", "The CP12 form and the CIN plan were reviewed at the RCPC."),
    clean("consent-reference", "Reference CON-2025-014, approved on 2025-07-21."),
    clean("team-names", "The Family Help, Court and Care Planning, and Children in Care teams."),
    clean("family-court", "Last year we went to 2 Family Court hearings a week."),
    clean("practice-framework", "The Castlebrook Way: 5 things we promise every family."),
    clean("percentage", "92% of our social workers are permanent, up from 71% in 2022."),
    # The service's own handle: benign because LISTS.allowed has "@CastlebrookCSC".
    clean("social-media", "Follow us @CastlebrookCSC for news."),
    clean("social-media-other-capitals", "Follow us @castlebrookcsc or instagram.com/CastlebrookCSC."),
    # The service's own contact details, which are allowed
    clean("allowed-contact", "Contact socialworkjobs@castlebrook.example.org or call 01632 960418."),
    clean("allowed-phone-international", "From abroad, call +44 1632 960418."),
    clean("allowed-phone-spacing", "Call 01632960418 for a chat."),
    clean("allowed-email-capitals", "Email SocialWorkJobs@Castlebrook.example.org today."),
    # Near misses for the watch lists
    clean("name-part-of-word", "The Kieran Walshaw Trust funded the day."),
    clean("first-name-only", "Kieran from our fostering team ran the session."),
    # A realistic advert, several lines
    clean("job-advert", """
        ## Senior practitioner, child protection team

        Salary: £41,511 to £45,441 (Grade 7, pay points 33 to 37), plus a £2,000
        market supplement. 37 hours a week. Caseloads of 14 to 18 children.

        Ofsted judged us good in 2024. Since 2019 we have cut agency use by half.
        For an informal chat, call 01632 960418 or email
        socialworkjobs@castlebrook.example.org. Interviews: 3 March 2026.
        """),
]


@pytest.mark.parametrize("case", TRUE_POSITIVES + FALSE_POSITIVES, ids=lambda c: c.id)
def test_corpus(case: Case) -> None:
    findings = scan_text(case.text, LISTS)
    assert {f.kind for f in findings} == case.kinds, findings
    if case.lines:
        assert sorted((f.kind, f.line) for f in findings) == sorted(case.lines)
    elif "\n" not in case.text:
        assert all(f.line == 1 for f in findings)


def test_corpus_is_big_enough() -> None:
    assert len(TRUE_POSITIVES) >= 30 and len(FALSE_POSITIVES) >= 30
    kinds = {k for case in TRUE_POSITIVES for k in case.kinds}
    assert kinds == {"date-of-birth", "postcode", "address", "phone", "email", "ni-number",
                     "school", "placement", "name", "age"}


def test_finding_says_what_was_found() -> None:
    [finding] = scan_text("They live near CB1 2AB now.", LISTS)
    assert finding == Finding("postcode", 1, "CB1 2AB",
                              "looks like a UK postcode (CB1 2AB); an address can identify a family")


def test_long_excerpts_are_shortened() -> None:
    long_name = "The Castlebrook and District Children's Residential Home for Young People Aged Eleven Plus"
    [finding] = scan_text(f"She moved to {long_name}.", WatchLists(placements=(long_name,)))
    assert len(finding.excerpt) <= 80 and finding.excerpt.endswith("...")


def test_case_twins_are_every_letter_ignorecase_matches_to_ascii() -> None:
    # The quick tests in scan_text rely on this list to skip case-insensitive patterns.
    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    twins = {m.group(): a for a in string.ascii_lowercase for m in re.finditer(a, every, re.IGNORECASE)}
    assert twins == _CASE_TWINS
    assert {m.group() for m in re.finditer(r"[\x00-\x7f]", every, re.IGNORECASE)} == set(_CASE_TWINS)


@pytest.mark.parametrize("text, kind", [
    ("\u212aieran Walsh", "name"),  # Kelvin sign
    ("KİERAN WALSH", "name"),
    ("Riverſide Academy", "school"),
    ("Brıghtpath Fostering", "placement"),
    ("Her date of bırth: 3/3/14", "date-of-birth"),
])
def test_letters_that_match_ascii_letters_ignoring_case_are_still_found(text: str, kind: str) -> None:
    assert [f.kind for f in scan_text(text, LISTS)] == [kind]


# ---------------------------------------------------------------------------
# Problems and overrides


def test_findings_become_problems_at_the_line_in_the_file() -> None:
    findings = scan_text("A quiet start.\nThen: CB4 1AA.", LISTS)
    [problem] = findings_to_problems(findings, "data/testimonials.yaml", 12, "testimonials[3].quote")
    assert str(problem) == ("data/testimonials.yaml:13: testimonials[3].quote: safeguarding: "
                            "looks like a UK postcode (CB4 1AA); an address can identify a family")
    assert LINE_FORMAT.match(str(problem)) and problem.is_error


def _override(kind: str, text: str) -> SafeguardingOverride:
    return SafeguardingOverride(kind=kind, text=text, reviewed_by="Safeguarding lead",
                                date=dt.date(2026, 3, 2), reason="A public landmark, not a family's home.")


def test_override_silences_only_its_kind_and_text() -> None:
    findings = scan_text("We met outside 10 Downing Street and at 14 Elm Road, CB4 1AA.", LISTS)
    assert [f.kind for f in findings] == ["address", "address", "postcode"]
    downing = _override("address", "10  downing street")  # case and spacing do not matter
    unused = _override("postcode", "SW1A 2AA")
    remaining, used = apply_overrides(findings, [downing, unused])
    assert [(f.kind, f.excerpt) for f in remaining] == [("address", "14 Elm Road"), ("postcode", "CB4 1AA")]
    assert used == [downing]


def test_override_of_another_kind_does_not_silence() -> None:
    findings = scan_text("Call 07700 900123.", LISTS)
    remaining, used = apply_overrides(findings, [_override("email", "07700 900123")])
    assert remaining == findings and used == []


def test_override_record_is_checked() -> None:
    with pytest.raises(ValidationError):
        SafeguardingOverride(kind="postcodes", text="CB4 1AA", reviewed_by="Safeguarding lead",
                             date=dt.date(2026, 3, 2), reason="Typo in the kind.")
    with pytest.raises(ValidationError):
        SafeguardingOverride(kind="postcode", text="CB4 1AA", date=dt.date(2026, 3, 2), reason="No reviewer.")


# ---------------------------------------------------------------------------
# Photos


def _jpeg(path: Path, gps: bool = False, camera: bool = False) -> Path:
    exif = Image.Exif()
    if camera:
        exif[ExifTags.Base.Make] = "Canon"
        exif[ExifTags.Base.Model] = "EOS 250D"
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "0123456789"
    if gps:
        ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
        ifd[ExifTags.GPS.GPSLatitude] = (52.0, 12.0, 30.0)
        ifd[ExifTags.GPS.GPSLongitudeRef] = "W"
        ifd[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 12.0)
    Image.new("RGB", (16, 16), "teal").save(path, exif=exif)
    return path


def test_photo_with_gps_and_camera(tmp_path: Path) -> None:
    findings = scan_photo(_jpeg(tmp_path / "visit.jpg", gps=True, camera=True))
    by_kind = {f.kind: f for f in findings}
    assert set(by_kind) == {"photo-location", "photo-camera"}
    assert all(f.line == 1 for f in findings)
    assert by_kind["photo-location"].excerpt == "52.20833, -0.12000"
    assert "Canon" in by_kind["photo-camera"].message and "0123456789" in by_kind["photo-camera"].message


def test_photo_with_camera_only(tmp_path: Path) -> None:
    assert [f.kind for f in scan_photo(_jpeg(tmp_path / "team.jpg", camera=True))] == ["photo-camera"]


def test_clean_photo(tmp_path: Path) -> None:
    assert scan_photo(_jpeg(tmp_path / "clean.jpg")) == []


def test_gps_version_alone_is_not_a_position(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSVersionID] = b"\x02\x02\x00\x00"
    Image.new("RGB", (16, 16)).save(tmp_path / "nofix.jpg", exif=exif)
    assert scan_photo(tmp_path / "nofix.jpg") == []


def test_unreadable_photo(tmp_path: Path) -> None:
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"this is not a picture")
    [finding] = scan_photo(bad)
    assert finding.kind == "photo-unreadable" and finding.line == 1
    assert "cannot be read" in finding.message
    [missing] = scan_photo(tmp_path / "missing.jpg")
    assert missing.kind == "photo-unreadable"


# ---------------------------------------------------------------------------
# The watch-list file


def test_missing_watch_list_file_means_empty_lists(tmp_path: Path) -> None:
    assert load_watch_lists(tmp_path) == (WatchLists(), [])


def test_demo_watch_lists_load() -> None:
    lists, problems = load_watch_lists(REPO)
    assert problems == []
    assert "Castlebrook Primary School" in lists.schools
    assert "Willow House children's home" in lists.placements
    assert lists.names and {"socialworkjobs@castlebrook.example.org", "01632 960418"} <= set(lists.allowed)


def _write_lists(site: Path, text: str) -> None:
    (site / "data").mkdir(parents=True, exist_ok=True)
    (site / "data" / "safeguarding.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def test_bad_watch_list_file_gives_problems_at_their_lines(tmp_path: Path) -> None:
    _write_lists(tmp_path, """
        schools:
          - Castlebrook Primary School
        names: Kieran Walsh
        allowed:
          - socialworkjobs@castlebrook.example.org
          - +441632960418
        places:
          - Willow House
        """)
    lists, problems = load_watch_lists(tmp_path)
    assert lists == WatchLists()
    for p in problems:
        assert LINE_FORMAT.match(str(p)), str(p)
    found = {(p.line, p.field, p.severity) for p in problems}
    assert found == {(3, "names", "error"), (6, "allowed[1]", "error"), (7, "places", "warning")}
    quotes = next(p for p in problems if p.field == "allowed[1]")
    assert str(quotes).startswith('data/safeguarding.yaml:6: allowed[1]: write phone numbers')


def test_watch_list_file_that_is_not_yaml(tmp_path: Path) -> None:
    _write_lists(tmp_path, """
        schools:
          - Castlebrook Primary School
         - Riverside Academy
        """)
    lists, problems = load_watch_lists(tmp_path)
    assert lists == WatchLists()
    [problem] = problems
    assert re.match(r"data/safeguarding\.yaml:\d+: \(file\): is not valid YAML", str(problem))


# ---------------------------------------------------------------------------
# The demo content is clean


DEMO_LISTS, _ = load_watch_lists(REPO)


@pytest.mark.parametrize("story", sorted((REPO / "content" / "stories").glob("*.md")), ids=lambda p: p.name)
def test_demo_stories_are_clean(story: Path) -> None:
    assert scan_text(story.read_text(encoding="utf-8"), DEMO_LISTS) == []


def _testimonial_texts() -> list:
    data = yaml.safe_load((REPO / "data" / "testimonials.yaml").read_text(encoding="utf-8"))
    return [pytest.param(str(t[key]), id=f"{t['id']}.{key}") for t in data["testimonials"]
            for key in ("quote", "name", "role", "team") if key in t]


@pytest.mark.parametrize("text", _testimonial_texts())
def test_demo_testimonials_are_clean(text: str) -> None:
    assert scan_text(text, DEMO_LISTS) == []
