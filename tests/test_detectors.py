"""Each detector of the safeguarding check, one by one: identifying details written in
several ways (spacing, capitals, punctuation) are found with the right kind, and near
misses from ordinary recruitment prose are not flagged at all.

The check digits of NHS numbers and Unique Pupil Numbers are worked out here, in the
test, so that a mistake in the module's own arithmetic cannot pass unnoticed.
"""

from __future__ import annotations

import datetime as dt
import typing

import pytest

from cswork_site.data.models.safeguarding import Kind
from cswork_site.safeguarding.detectors import SafeguardingOverride, WatchLists, apply_overrides, scan_text

# No schools, placements or names listed: what is found here is found by pattern.
LISTS = WatchLists(allowed=(
    "socialworkjobs@castlebrook.example.org",
    "01632 960418",
    "+33 1 42 68 53 00",  # the service's office abroad, say
    "@CastlebrookCSC",
    "Town Hall, Market Square",
))


def kinds(text: str, lists: WatchLists = LISTS) -> list[str]:
    return [f.kind for f in scan_text(text, lists)]


# ---------------------------------------------------------------------------
# Check digits, worked out independently of the module


def nhs_check_digit(first_nine: str) -> int | None:
    """NHS mod 11: weights 10 down to 2; check = 11 - (sum % 11); 11 -> 0; 10 -> no number."""
    total = sum(int(d) * w for d, w in zip(first_nine, [10, 9, 8, 7, 6, 5, 4, 3, 2], strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(last_twelve: str) -> str:
    """DfE: characters 2 to 13 weighted 2 to 13, a letter counting as its place in the
    check alphabet; the sum mod 23 picks the check letter."""
    total = 0
    for weight, char in zip(range(2, 14), last_twelve, strict=True):
        value = int(char) if char.isdigit() else UPN_LETTERS.index(char)
        total += weight * value
    return UPN_LETTERS[total % 23]


def test_the_arithmetic_in_this_file_agrees_with_published_examples() -> None:
    # 943 476 5919 is the NHS's own example number.
    assert nhs_check_digit("943476591") == 9
    assert nhs_check_digit("123456789") is None  # a remainder that gives 10: no such number


NHS_PREFIXES = ["943476591", "401023213", "485777345", "450557710", "601234567", "712345678"]
VALID_NHS = [p + str(nhs_check_digit(p)) for p in NHS_PREFIXES if nhs_check_digit(p) is not None]


@pytest.mark.parametrize("number", VALID_NHS)
def test_valid_nhs_number_is_found_and_a_wrong_check_digit_is_not(number: str) -> None:
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert kinds(f"Her NHS number is {spaced}.") == ["nhs-number"]
    assert kinds(f"NHS no: {number}") == ["nhs-number"]
    for wrong in "0123456789":
        if wrong != number[9]:
            assert kinds(f"Her NHS number is {number[:3]} {number[3:6]} {number[6:9]}{wrong}.") == []


def test_nhs_number_whose_check_would_be_ten_is_never_found() -> None:
    prefix = "123456789"
    assert nhs_check_digit(prefix) is None
    assert all(kinds(f"NHS number {prefix}{d}") == [] for d in "0123456789")


UPN_BODIES = ["801200001001", "937201600123", "204000123456", "80120000100A", "93720160012T"]
VALID_UPNS = [upn_check_letter(body) + body for body in UPN_BODIES]


@pytest.mark.parametrize("upn", VALID_UPNS)
def test_valid_upn_is_found_and_a_wrong_check_letter_is_not(upn: str) -> None:
    assert kinds(f"UPN: {upn}") == ["upn"]
    assert kinds(f"upn {upn.lower()}") == ["upn"]
    assert kinds(f"Her UPN is {upn[0]} {upn[1:4]} {upn[4:8]} {upn[8:12]} {upn[12]}.") == ["upn"]
    for wrong in UPN_LETTERS:
        if wrong != upn[0]:
            assert kinds(f"UPN: {wrong}{upn[1:]}") == [], wrong


def test_temporary_upn_letter_counts_by_its_place_in_the_check_alphabet() -> None:
    # The same digits with a different final letter need a different check letter.
    a, b = upn_check_letter("80120000100A"), upn_check_letter("80120000100B")
    assert a != b
    assert kinds(f"UPN {a}80120000100A") == ["upn"]
    assert kinds(f"UPN {b}80120000100A") == []
    # I, O and S are not in the check alphabet, so a UPN never ends with them.
    assert kinds(f"UPN {upn_check_letter('80120000100A')}80120000100I") == []


# ---------------------------------------------------------------------------
# Each detector: identifying variants, and near misses


FOUND: dict[str, list[str]] = {
    "nhs-number": [
        "His NHS number is 943 476 5919.",
        "NHS no: 9434765919",
        "943-476-5919 is on the letter",
        "nhs number 943.476.5919",
        "Number 94 34 76 59 19 on the form",
    ],
    "court-case": [
        "The hearing was case ZW24C50123.",
        "zw24c50123",
        "Ref BS 19 P 01234 at court",
        "The case number is 12345/2024.",
        "Case no. LV23P00456",
        "case ref: cb/2023/0042",
    ],
    "phone": [
        "Her mum lives in France: +33 6 12 34 56 78.",
        "Ring 0033 6 12 34 56 78 in the evening",
        "Dad's number is +49 30 901820",
        "His aunt is on +1 202 456 1111.",
        "Call +48 22 123 45 67",
        "Call his mum on 07700 900123.",
    ],
    "social-handle": [
        "Message @kieran_w any time",
        "Her Snapchat: kieran_w2",
        "insta: kieran.w",
        "He is on TikTok as kieranw99.",
        "See instagram.com/kieran.w for photos",
        "https://www.tiktok.com/@kieran_w",
        "her snapchat is kieranw",
    ],
    "age": [
        "A nine-year-old boy told us.",
        "He was a 9 year old in care.",
        "The girl, aged nine, wrote to us.",
        "She was aged 9 at the time.",
        "Our 9yo loves lego.",
        "He is 9 y/o.",
        "When he turned 16 he moved out.",
        "Two boys aged 6 and 8 live there.",
        "She is nine.",
        "An eight-month-old baby was found.",
        "Jay (16) wrote the letter.",
        "Florence (7) drew a picture.",
        "Sarah, 34, foster carer, said.",
    ],
    "date-of-birth": [
        "Born 3 March 2014",
        "born 3rd March",
        "born March 3, 2014",
        "He was born 03/03/2014.",
        "born 3.3.14",
        "DOB 2014-03-03",
        "dob: 3/3/14",
        "d.o.b. 3/3/14",
        "Her birthday is on 3 March.",
        "b. 3 March 2014",
    ],
    "postcode": [
        "They live near cb4 1aa.",
        "Cb4 1Aa",
        "Send it to sw1a 2aa please",
        "Their postcode is CB41AA.",
        "m1 1ae",
    ],
    "address": [
        "She lives on Elm Road.",
        "They moved to Mill Lane last year.",
        "The house in Orchard Close is small.",
        "The flat off Station Road.",
        "They are moving into Birch Grove.",
        "The family moved to 14 Elm Road.",
    ],
    "school": [
        "She goes to St Mary's Primary.",
        "He is at Riverside Academy now.",
        "Oakwood Primary School",
        "Castlebrook High School pupils",
        "Millbrook Infants",
        "Hill Top Junior School",
        "Kingsmead Secondary",
        "Elm Grammar School",
        "Millbrook Pupil Referral Unit",
        "Castlebrook Sixth Form College",
        "Little Acorns Nursery",
        "Oakwood primary school",
    ],
    "placement": [
        "He lives at Oakwood children's home.",
        "Oakwood Children's Home",
        "She stays at the children's home near Oakfield.",
        "She was placed at Beech Tree House last year.",
        "He moved to Oakfield Lodge.",
        "Her foster placement at Rose Cottage.",
        "living at The Grange since May",
    ],
    "name": [
        "The girl went with her mum, Lisa Patel, to the meeting.",
        "Her foster carers Sarah and Mark Thompson met us.",
        "His brother Callum Brown came too.",
        "Her nan, Jean O'Neil, helped.",
        "the child Jamie McDonald was happy",
        "Jamie Smith, who is in care, wrote this.",
        "Jamie Smith (in care) wrote this.",
        "Jamie Smith, a looked-after child, said.",
        "Jamie Smith, care leaver, said.",
    ],
}

# Near misses: each must give no finding at all.
CLEAN: dict[str, list[str]] = {
    "nhs-number": [
        "Her NHS number is 943 476 5918.",  # wrong check digit
        "Call 01632 960418 for an informal chat.",  # the service's own number
        "From abroad, call +44 1632 960418.",
        "Salary £38,900 to £43,500, pay points 29 to 33.",
        "Reference CON-2025-014, approved on 2025-07-21.",
        "Our intake rose in 2019 2020 2021 and 2022.",
    ],
    "upn": [
        "Job reference K12345678901.",
        "The budget was £801,200,001.",
        "Vacancies: 14 in 2025.",
    ],
    "court-case": [
        "Case numbers fell in 2024.",
        "The case no longer needs a plan.",
        "Marta's caseload is 15 children.",
        "The Court and Care Planning team went to 2 Family Court hearings.",
        "The case for change is clear.",
    ],
    "phone": [
        "Childline is free on 0800 1111.",
        "The NSPCC helpline is 0808 800 5000.",
        "Call 0800 123 4567 for free.",
        "From abroad, the NSPCC is on +44 808 800 5000.",
        "Our Paris office is on +33 1 42 68 53 00.",  # allowed
        "Pay rises by +3% a year, and the £1,000 bonus is paid in 2 parts.",
        "Phone lines are open 9am to 5pm on 01632 960418.",
    ],
    "social-handle": [
        "Follow us @CastlebrookCSC for news.",
        "Follow us @castlebrookcsc or instagram.com/CastlebrookCSC.",
        "Find us on Instagram as well.",
        "Find us on Facebook: Castlebrook Children's Services",
        "Email socialworkjobs@castlebrook.example.org today.",
        "Drop-in @ 10am, and again @2pm.",
    ],
    "age": [
        "Children aged 0 to 5 go to the hub.",
        "Young people aged 16 to 25 can get help.",
        "Anyone aged 11 and over can join.",
        "Young People aged 16+ can get help from our leaving care team.",
        "Our under 5s play sessions are on Fridays.",
        "Our Children in Care Council has 12 members aged 13 to 19.",
        "Assessment (3), Referrals (12), Visits (4).",
        "Supervision (4) and Training (6) sessions a month.",
        "Priya, 34, a senior practitioner, said supervision helps.",
        "Tom, 29, social worker, joined in June.",
        "Aisha, 41, team manager",
        "Sam, 23, newly qualified, joined us.",
        "Jo, 22, student social worker.",
        "Our 10-year-old partnership with the university.",
        "She turned 40 last year.",
        "Sessions for 5 year olds and for 8- to 12-year-olds.",
        "In the last 12 months, 15 children left care aged 18.",
        "Caseloads are kept to 14 to 18 children.",
    ],
    "date-of-birth": [
        "We will ask for your date of birth when you apply.",
        "We will ask for your date of birth: bring your passport.",
        "Born and raised in Castlebrook, Priya always wanted to work here.",
        "Interviews are on 12 May 2025 at 10:30am.",
        "The hub opened on 3 March 2014.",
    ],
    "postcode": [
        "The team is on the b1 2nd floor.",
        "Seats a3 4th row.",
        "Print the a4 2pp leaflet.",
        "Senior practitioners are on Grade 7.",
    ],
    "address": [
        "Interviews are at the Town Hall, Market Square.",  # allowed
        "We met at Family Court.",
        "The hearing is at Castlebrook Crown Court.",
        "The Castlebrook Way: 5 things we promise every family.",
        "In 2019 Castlebrook Court opened as our family hub.",
    ],
    "school": [
        "Join our Social Work Academy.",
        "She trained in our Practice Academy.",
        "The Castlebrook Leadership Academy runs twice a year.",
        "Our academy trust is growing.",
        "The Virtual School supports children in care.",
        "Summer School for students, then Business School and Medical School.",
        "She studied at the university.",
        "Step Up to Social Work and Frontline students are welcome.",
        "Supporting Children In Secondary School",
    ],
    "placement": [
        "Castlebrook House, our head office, is in the town centre.",
        "A children's home can be a good place to live.",
        "Our children's homes are rated good.",
        "Come to our Open House evening for foster carers.",
        "Our team works from Castlebrook House and supports children in care.",
    ],
    "name": [
        "Her mum, Lisa, came to the meeting.",
        "Priya Shah, senior practitioner, said supervision helps.",
        "As a parent, Priya Shah knows how hard it is.",
        "Foster Carer Recruitment Week starts today.",
        "The child Protection Plan ended after nine months.",
        "Kieran from our fostering team ran the session.",
    ],
}


@pytest.mark.parametrize("kind, text", [(k, t) for k, texts in FOUND.items() for t in texts],
                         ids=lambda v: v if len(v) < 30 else v[:30])
def test_identifying_variant_is_found(kind: str, text: str) -> None:
    assert kinds(text) == [kind], scan_text(text, LISTS)


@pytest.mark.parametrize("kind, text", [(k, t) for k, texts in CLEAN.items() for t in texts],
                         ids=lambda v: v if len(v) < 30 else v[:30])
def test_near_miss_is_not_flagged(kind: str, text: str) -> None:
    assert scan_text(text, LISTS) == []


def test_every_detector_has_enough_cases() -> None:
    new = {"nhs-number", "upn", "court-case", "social-handle"}
    for kind in {"nhs-number", "court-case", "phone", "social-handle", "age", "date-of-birth", "postcode",
                 "address", "school", "placement", "name"}:
        assert len(FOUND[kind]) >= 4, kind
        assert len(CLEAN[kind]) >= 3, kind
    assert len(VALID_UPNS) >= 4 and len(CLEAN["upn"]) >= 3
    assert new <= set(typing.get_args(Kind))


# ---------------------------------------------------------------------------
# What is reported, and how it can be silenced


def test_new_kinds_can_be_named_in_an_override() -> None:
    for kind in ("nhs-number", "upn", "court-case", "social-handle"):
        override = SafeguardingOverride(kind=kind, text="x", reviewed_by="Safeguarding lead",
                                        date=dt.date(2026, 3, 2), reason="Checked.")
        assert override.kind == kind
    findings = scan_text("Her Snapchat: kieran_w2", LISTS)
    remaining, used = apply_overrides(findings, [SafeguardingOverride(
        kind="social-handle", text="kieran_w2", reviewed_by="Safeguarding lead",
        date=dt.date(2026, 3, 2), reason="A fictional character's handle in a quoted novel.")])
    assert findings and remaining == [] and len(used) == 1


@pytest.mark.parametrize("text, kind, excerpt", [
    ("His NHS number is 943 476 5919.", "nhs-number", "943 476 5919"),
    ("The hearing was case ZW24C50123.", "court-case", "ZW24C50123"),
    ("Message @kieran_w any time", "social-handle", "@kieran_w"),
    ("She goes to St Mary's Primary.", "school", "St Mary's Primary"),
    ("She lives on Elm Road.", "address", "Elm Road"),
    ("She was placed at Beech Tree House last year.", "placement", "Beech Tree House"),
    ("His brother Callum Brown came too.", "name", "Callum Brown"),
    ("She is nine.", "age", "She is nine"),
])
def test_message_is_plain_english_with_what_was_found(text: str, kind: str, excerpt: str) -> None:
    [finding] = scan_text(text, LISTS)
    assert (finding.kind, finding.excerpt) == (kind, excerpt)
    assert f"({excerpt})" in finding.message
    assert finding.message.startswith(("looks like", "gives", "names"))
    assert "regex" not in finding.message and "pattern" not in finding.message


def test_one_detail_found_two_ways_is_reported_once() -> None:
    assert kinds("Sky, aged 15, chaired her own review.") == ["age"]
    assert kinds("This is a story about 14-year-old Jamie.") == ["age"]
    listed = WatchLists(schools=("Castlebrook Primary School",))
    [finding] = scan_text("She goes to Castlebrook Primary School.", listed)
    assert finding.message.startswith("names a school on the watch list")


def test_allowed_handles_and_numbers_are_matched_however_they_are_written() -> None:
    assert kinds("Tag @CASTLEBROOKCSC and tiktok.com/@castlebrookcsc") == []
    assert kinds("Tag @CastlebrookCSC and @someone_else") == ["social-handle"]
    assert kinds("Our Paris office: 0033 1 42 68 53 00") == []
    assert kinds("Our Paris office: +33 1 42 68 53 01") == ["phone"]


def test_named_house_is_a_placement_only_near_words_about_care() -> None:
    assert kinds("Beech Tree House has a big garden.") == []
    assert kinds("Beech Tree House has a big garden, and Jay lives there.") == ["placement"]
    far = "Beech Tree House has a big garden." + " We also talked about the weather that week." * 3
    assert kinds(far + " Jay lives with his nan.") == []


def test_several_new_details_over_several_lines() -> None:
    text = ("Jay, 12, is at Kingsmead Secondary.\n"
            "His NHS number is 943 476 5919\n"
            "and his Snapchat: jay_2013.\n"
            "Hearing ZW24C50123, his mum Lisa Patel attended.")
    assert sorted((f.kind, f.line) for f in scan_text(text, LISTS)) == sorted([
        ("age", 1), ("school", 1), ("nhs-number", 2), ("social-handle", 3), ("court-case", 4), ("name", 4)])
