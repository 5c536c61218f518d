"""The safeguarding corpus: realistic identifying details in every field that is
published, and realistic benign text, through the real command line and a real build.

Recall: an identifying item counts as held back only when `cswork check` reports it and
no output file (pages, feed, sitemap, search index and fragments, downloads) holds the
detail or the story it was in. Precision: a benign item is a false alarm when the check
reports it. The floors are the ones docs/safeguarding-accuracy.md states: recall 100%,
at most 1 false alarm in 30.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from .helpers import CONSENT_LINES, copy_site, cswork, leaks

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")


def nhs_number(first9: str) -> str:
    """A valid NHS number from nine digits (mod 11, weights 10 to 2), written 3-3-4."""
    total = sum(int(d) * w for d, w in zip(first9, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    assert check != 10, "these nine digits have no valid check digit"
    digits = first9 + str(check)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def upn(twelve: str) -> str:
    """A Unique Pupil Number: the DfE check letter, then twelve digits."""
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    total = sum(int(d) * w for d, w in zip(twelve, range(2, 14), strict=True))
    return letters[total % 23] + twelve


@dataclass(frozen=True)
class Item:
    field: str  # where it is put: story-*, testimonial-*, or data file:location
    text: str
    needle: str  # the identifying detail, as a reader would see it


NHS = nhs_number("401023213")
UPN = upn("801200123456")

IDENTIFYING = [
    # Watch-list names, however they are written
    Item("story-body", "We first met Kieran Walsh in the spring.", "Kieran Walsh"),
    Item("story-body", "**Kieran** Walsh joined the group.", "Kieran Walsh"),
    Item("story-body", "Ki&#101;ran Walsh told us about school.", "Kieran Walsh"),
    Item("story-body", "Ella-Mae<span></span> Hughes wrote a poem.", "Ella-Mae Hughes"),
    Item("story-body", "Tyler<!-- note --> Brennan came along.", "Tyler Brennan"),
    Item("story-body", "\u041aieran Walsh \u0456s here.", "Kieran Walsh"),  # Cyrillic К and і
    Item("story-body", "Kier\u00adan Walsh met the panel.", "Kieran Walsh"),
    Item("story-body", "KIERAN WALSH chaired it.", "Kieran Walsh"),
    Item("story-body", "[Kieran](https://example.org/) Walsh spoke first.", "Kieran Walsh"),
    Item("story-body", "Kieran\u200b Walsh spoke last.", "Kieran Walsh"),
    Item("story-body", "\uff2b\uff49\uff45\uff52\uff41\uff4e Walsh, in full width.", "Kieran Walsh"),
    Item("story-body", "Amira&nbsp;Haddad joined the council.", "Amira Haddad"),
    # Ages
    Item("story-body", "Jamie, 14, told us he wanted to stay.", "Jamie, 14"),
    Item("story-body", "He is a nine-year-old boy from the estate.", "nine-year-old"),
    Item("story-body", "She was aged nine when she came into care.", "aged nine"),
    Item("story-body", "Our 9yo participant drew the picture.", "9yo"),
    Item("story-body", "He turned 16 last month and moved into a flat.", "turned 16"),
    Item("story-body", "The twins, aged 6 and 8, live with their nan.", "aged 6 and 8"),
    # Dates of birth
    Item("story-body", "Sam was born on 3 March 2014.", "3 March 2014"),
    Item("story-body", "DOB 03/03/2014 is on the form.", "03/03/2014"),
    Item("story-body", "She was born 2014-03-03.", "2014-03-03"),
    Item("story-body", "Her birthday is 14 June 2012.", "14 June 2012"),
    # Postcodes and addresses
    Item("story-body", "They live near cb4 1aa, by the park.", "cb4 1aa"),
    Item("story-body", "Send the card to SW1A 2AA.", "SW1A 2AA"),
    Item("story-body", "The family moved to 14 Elm Road last spring.", "14 Elm Road"),
    Item("story-body", "She lives on Acacia Avenue with her gran.", "Acacia Avenue"),
    # Numbers that identify one person
    Item("story-body", f"His NHS number {NHS} was on the letter.", NHS),
    Item("story-body", f"The form gave {NHS.replace(' ', '')} as the number.", NHS.replace(" ", "")),
    Item("story-body", "Her NI number is AB123456C.", "AB123456C"),
    Item("story-body", f"Pupil number {UPN} was shared.", UPN),
    Item("story-body", "Case number ZW24C50123 was listed for June.", "ZW24C50123"),
    # Contact details
    Item("story-body", "Call his mum on 07700 900123.", "07700 900123"),
    Item("story-body", "Her aunt in France is on +33 6 12 34 56 78.", "+33 6 12 34 56 78"),
    Item("story-body", "Email jamie.taylor@example.com with any news.", "jamie.taylor@example.com"),
    Item("story-body", "Follow him on Instagram @kieranw_2014 for his art.", "@kieranw_2014"),
    Item("story-body", "Her videos are at tiktok.com/@ellamae.h now.", "tiktok.com/@ellamae.h"),
    # Schools and placements, listed or not
    Item("story-body", "She goes to St Mary's Primary.", "St Mary's Primary"),
    Item("story-body", "pupils at riverside academy told us", "riverside academy"),
    Item("story-body", "He started at Oakwood Primary School in Year 3.", "Oakwood Primary School"),
    Item("story-body", "He lives at Willow House children's home.", "Willow House"),
    Item("story-body", "She was placed at Beech Tree House last year.", "Beech Tree House"),
    Item("story-body", "Life at the Hollybank children's home is calm.", "Hollybank children's home"),
    # Family members by full name
    Item("story-body", "Her mum, Lisa Patel, came to the review.", "Lisa Patel"),
    Item("story-body", "Foster carers Sarah and Mark Thompson looked after him.", "Mark Thompson"),
    # Other story fields
    Item("story-title", "Kieran Walsh and his new home", "Kieran Walsh"),
    Item("story-title", "Jamie, 14, on moving in", "Jamie, 14"),
    Item("story-title", "Life at Oakwood children's home", "Oakwood children's home"),
    Item("story-summary", "Ella-Mae Hughes tells her story.", "Ella-Mae Hughes"),
    Item("story-summary", "The Thompsons of 14 Elm Road tell theirs.", "14 Elm Road"),
    Item("story-summary", "Jay (16) wrote the letter.", "Jay (16)"),
    Item("story-tags", "careers, Kieran Walsh", "Kieran Walsh"),
    Item("story-tags", "Riverside Academy", "Riverside Academy"),
    Item("story-author_role", "Kieran Walsh's foster carer", "Kieran Walsh"),
    Item("story-image_alt", "Tyler Brennan, 9, in the park", "Tyler Brennan"),
    Item("story-image_caption", "Ella-Mae Hughes at Riverside Academy", "Ella-Mae Hughes"),
    Item("story-slug", "tyler-brennan-story", "tyler-brennan"),
    # Testimonials
    Item("testimonial-quote", "My worker helped me when I moved to 14 Elm Road.", "14 Elm Road"),
    Item("testimonial-quote", "I turned 15 in care and it was hard.", "turned 15"),
    Item("testimonial-quote", "Ring my carer on 07700 900789 if you like.", "07700 900789"),
    Item("testimonial-quote", "Tyler Brennan is my best friend.", "Tyler Brennan"),
    Item("testimonial-name", "Kieran Walsh", "Kieran Walsh"),
    Item("testimonial-name", "Amira Haddad", "Amira Haddad"),
    Item("testimonial-role", "Young person at Willow House children's home", "Willow House"),
    Item("testimonial-team", "Riverside Academy pupils", "Riverside Academy"),
    # Data: jobs, events, figures, strategy, practice, offer, careers
    Item("vacancies.yaml:vacancies.0.title", "Social worker for Kieran Walsh's team", "Kieran Walsh"),
    Item("vacancies.yaml:vacancies.1.description", "You will work with Jamie, 14, and his family.", "Jamie, 14"),
    Item("vacancies.yaml:vacancies.2.summary", "Based near cb4 1aa, by the park.", "cb4 1aa"),
    Item("vacancies.yaml:teams.0.summary", "Supporting children at Oakwood Primary School.", "Oakwood Primary School"),
    Item("events.yaml:events.0.title", "Meet Tyler Brennan", "Tyler Brennan"),
    Item("events.yaml:events.1.summary", "Ask for Sam's carer on 07700 900321.", "07700 900321"),
    Item("events.yaml:events.2.place", "Beech Tree House, where Sam is placed", "Beech Tree House"),
    Item("metrics.yaml:local_kpis.0.name", "Visits to Kieran Walsh in time", "Kieran Walsh"),
    Item("strategy.yaml:strands.0.activities.0", "Weekly visits to 22 Long Acre Gardens", "22 Long Acre Gardens"),
    Item("strategy.yaml:strands.1.impact", "Ella-Mae Hughes stays at home with her family.", "Ella-Mae Hughes"),
    Item("practice.yaml:layers.0.meaning", "As Jamie, aged nine, told us.", "aged nine"),
    Item("practice.yaml:principles.0.description", "Email k.walsh99@example.net for help.", "k.walsh99@example.net"),
    Item("offer.yaml:roles.0.summary", "Work with children at St Mary's Primary.", "St Mary's Primary"),
    Item("offer.yaml:benefits.relocation", "Housing at 9 Riverside Court for the right person.", "9 Riverside Court"),
    Item("careers.yaml:stages.0.summary", f"Record NHS number {NHS} on day one.", NHS),
]

# Welsh, as a Welsh council's stories, quotes and jobs are written: every form the
# detectors read, and names on the watch list under each mutation.
WELSH_IDENTIFYING = [
    Item("story-body", "Mae Elin yn 14 oed ac mae hi'n hoffi celf.", "14 oed"),
    Item("story-body", "Roedd e yn 9 oed pan ddaeth e atom ni.", "yn 9 oed pan ddaeth"),
    Item("story-body", "Mae Osian yn naw oed ac yn byw gyda'i nain.", "naw oed"),
    Item("story-body", "Mae ei mab yn bedair ar ddeg oed erbyn hyn.", "bedair ar ddeg oed"),
    Item("story-body", "Mae'r babi yn chwe mis oed ac mae'n iach.", "chwe mis oed"),
    Item("story-body", "Ganwyd hi ar 3 Mawrth 2012 yn yr ysbyty.", "3 Mawrth 2012"),
    Item("story-body", "Ganwyd Elin ar y 3ydd o Fawrth 2012, meddai ei mam.", "3ydd o Fawrth 2012"),
    Item("story-body", "Mae ei phen-blwydd ar 14 Gorffennaf ac mae hi'n edrych ymlaen.", "14 Gorffennaf"),
    Item("story-body", "Dyddiad geni: 03/03/2012", "03/03/2012"),
    Item("story-body", "Mae'r teulu'n byw yn 12 Heol y Bont ers y gwanwyn.", "12 Heol y Bont"),
    Item("story-body", "Mae hi'n byw ar Stryd y Castell gyda'i nain.", "Stryd y Castell"),
    Item("story-body", "Mae o'n aros yn Nhŷ Gwyn ar hyn o bryd.", "Nhŷ Gwyn"),
    Item("story-body", "Mae'r plant yn byw ym Mharc Gwyn gyda'u tad.", "Mharc Gwyn"),
    Item("story-body", "Symudodd y teulu i 4 Lôn Las y llynedd.", "4 Lôn Las"),
    Item("story-body", "Mae hi'n mynd i Ysgol Gynradd Glan y Môr bob dydd.", "Ysgol Gynradd Glan y Môr"),
    Item("story-body", "Aethon ni i'r parc gyda Thyler Brennan ac roedd e'n hapus.", "Thyler Brennan"),
    Item("story-body", "Rhoddon ni'r llyfr i Dyler Brennan ac mae e'n ei hoffi.", "Dyler Brennan"),
    Item("story-body", "Mae fy Nhyler Brennan i yn iawn, meddai ei nain.", "Nhyler Brennan"),
    Item("story-body", "Roedd **Amira** Haddad yno hefyd ac mae hi'n hapus.", "Amira Haddad"),
    Item("story-title", "Stori Elin, 14 oed, a'i chartref newydd", "14 oed"),
    Item("story-summary", "Mae Osian yn ddeg oed ac yn dweud ei stori.", "ddeg oed"),
    Item("testimonial-quote", "Rydw i'n byw yn 7 Ffordd y Felin gyda fy ngofalwyr.", "7 Ffordd y Felin"),
    Item("testimonial-quote", "Roeddwn i'n hapus pan aeth fy mrawd i Ysgol y Graig, ac mae e'n iawn.",
         "Ysgol y Graig"),
    Item("vacancies.yaml:vacancies.0.description", "Byddwch chi'n gweithio gydag Elin, sy'n 14 oed.", "14 oed"),
]

WELSH_BENIGN = [
    "Rydyn ni'n gweithio gyda phobl ifanc 16 i 25 oed ac mae'r tîm yn tyfu.",
    "Mae'r gwasanaeth ar gyfer plant o dan 18 oed a'u teuluoedd.",
    "Rhaid i chi fod dros 18 oed i wneud cais.",
    "Mae Priya yn 34 oed ac yn uwch ymarferydd yn y tîm asesu.",
    "Pan oeddwn i'n 9 oed, roeddwn i eisiau bod yn athro.",
    "Rhowch eich dyddiad geni ar y ffurflen gais.",
    "Dyma ffordd newydd o weithio gyda theuluoedd.",
    "Mae'r cyflog rhwng £38,900 a £44,000 y flwyddyn.",
    "Mae gan bob gweithiwr cymdeithasol 14 i 18 o blant.",
    "Mae Ysgol Haf y Gwasanaeth yn dechrau ym mis Gorffennaf.",
    "Cynhelir y digwyddiad ar 3 Mawrth 2027 yn y llyfrgell.",
    "Mae'r rhaglen yn 10 oed eleni ac mae hi'n dal i dyfu.",
]

BENIGN = [
    "Salary £38,900 to £43,500, plus a £3,000 market supplement.",
    "Caseloads are kept to 14 to 18 children.",
    "Children aged 0 to 5 and their families use the hub.",
    "Young people aged 16 to 25 can get help from our leaving care team.",
    "Priya, 34, a senior practitioner, runs the group.",
    "Tom, 29, social worker in the assessment team, says supervision helps.",
    "Our week in numbers:\n\n- Assessment (3)\n- Referrals (12)\n- Visits (4)",
    "Call the NSPCC helpline on 0808 800 5000.",
    "Freephone 0800 028 3550 for advice.",
    "Contact socialworkjobs@castlebrook.example.org or call 01632 960418.",
    "Visit us at the Town Hall, Market Square, Castlebrook CB1 1AA.",
    "Our open day is at Riverside family hub, 2 Mill Lane.",
    "Ofsted judged us good in 2024.",
    "Pay points 29 to 33 (Grade 7), rising to £46,731 at point 37.",
    "We have 120 social workers in 14 teams across 3 localities.",
    "In June, 14 new social workers joined us.",
    "Grace qualified as a social worker in 2009.",
    "Born and raised in Castlebrook, Priya always wanted to work here.",
    "We will ask for your date of birth when you apply.",
    "Join our Social Work Academy for your ASYE.",
    "The Virtual School supports children in care with their education.",
    "Step Up to Social Work and Frontline students are welcome.",
    "92% of our social workers are permanent, up from 71% in 2022.",
    "A 4-day week, 28 days' leave, rising to 33 after 5 years.",
    "Interviews are on 12 May 2025 at 10:30am at the Town Hall.",
    "Kieran from our fostering team ran the session.",
    "Last year we went to 2 Family Court hearings a week.",
    "Our Children in Care Council has 12 members aged 13 to 19.",
    "Castlebrook House, our head office, has a new wellbeing room.",
    "Niamh Byrne, team manager, chairs the panel.",
    "Reference CON-2025-014, approved on 2025-07-21.",
    "We work 37 hours a week, with flexible hours between 07:30 and 19:00.",
    "Apply by 5pm on 31 January 2026.",
    "Our ASYE programme gives a protected caseload in your first 6 months.",
]

WELSH_FROM = len(IDENTIFYING), len(BENIGN)
IDENTIFYING += WELSH_IDENTIFYING
BENIGN += WELSH_BENIGN

HEAD = {"title": "Corpus story {n}", "summary": "A story for the safeguarding corpus.", "kind": "news",
        "tags": "corpus", "author_role": "Communications officer"}


def _story(n: int, field: str, text: str, body: str) -> str:
    head = {k: v.format(n=n) for k, v in HEAD.items()}
    if field in ("image_alt", "image_caption"):
        head["image"] = "content/images/walking-together.jpg"
        head["image_alt"] = "Three people walking across a bridge"
    if field != "body":
        head[field] = text
    lines = "".join(f"{k.capitalize()}: {v}\n" for k, v in {"title": head.pop("title"), "date": "2025-05-01",
                                                            **head}.items())
    return lines + CONSENT_LINES + "\n" + body + "\n"


def _testimonial(n: int, field: str, text: str, consent: dict) -> dict:
    entry = {"id": f"corpus-{n}", "quote": f"A quote about the team, zqxmark{n}.", "name": "Sam",
             "role": "Young person", "team": "Children in care council", "kind": "young person",
             "consent": consent, "approval": {"approver_role": "Director of Children's Services",
                                              "date": "2025-01-02"}}
    entry[field] = f"{text} zqxmark{n}" if field == "quote" else text
    return entry


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    """The demo site with every story and testimonial item, and every benign text, added;
    built once."""
    site = copy_site(tmp_path_factory.mktemp("corpus") / "site")
    stories = site / "content" / "stories"
    testimonials_file = site / "data" / "testimonials.yaml"
    testimonials = yaml.safe_load(testimonials_file.read_text())
    consent = {"given_by": "the young person", "date": "2025-01-01", "scope": ["website"],
               "expires": "2027-12-31", "reference": "CON-TEST"}
    for n, item in enumerate(IDENTIFYING):
        kind, _, field = item.field.partition("-")
        if kind == "story":
            body = (item.text + "\n\n" if field == "body" else "A paragraph.\n\n") + f"zqxmark{n} ends here."
            (stories / f"2025-05-01-corpus-{n}.md").write_text(_story(n, field, item.text, body), encoding="utf-8")
        elif kind == "testimonial":
            testimonials["testimonials"].append(_testimonial(n, field, item.text, consent))
    for n, text in enumerate(BENIGN):
        (stories / f"2025-05-02-benign-{n}.md").write_text(
            _story(1000 + n, "body", text, f"{text}\n\nzqxbenign{n} ends here."), encoding="utf-8")
    testimonials_file.write_text(yaml.safe_dump(testimonials, allow_unicode=True, sort_keys=False))
    check = cswork("check", str(site))
    build = cswork("build", "--production", str(site))
    assert build.returncode == 0, build.stderr
    return site, check, build


def _reported(result) -> list[dict[str, str]]:
    return [m.groupdict() for m in map(LINE.match, result.stderr.splitlines())
            if m and "safeguarding" in m["message"]]


def _story_item_reported(reported, n: int) -> bool:
    return any(p["path"] == f"content/stories/2025-05-01-corpus-{n}.md" for p in reported)


@pytest.fixture(scope="module")
def data_check(tmp_path_factory):
    """Every data item put in its place at once, and `cswork check` run once."""
    site = copy_site(tmp_path_factory.mktemp("corpus-data") / "site")
    where: dict[int, tuple[str, str]] = {}
    by_file: dict[str, list[tuple[int, Item]]] = {}
    for n, item in enumerate(IDENTIFYING):
        if ":" in item.field:
            name, loc = item.field.split(":")
            by_file.setdefault(name, []).append((n, item))
    for name, items in by_file.items():
        path = site / "data" / name
        data = yaml.safe_load(path.read_text())
        for _, item in items:
            *parents, last = [int(p) if p.isdigit() else p for p in item.field.split(":")[1].split(".")]
            target = data
            for part in parents:
                target = target[part]
            target[last] = item.text
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(text)
        for n, item in items:
            line = next(i for i, written in enumerate(text.splitlines(), start=1) if item.text in written)
            where[n] = (f"data/{name}", str(line))
    before = {p: p.read_bytes() for p in (site / "data").rglob("*") if p.is_file()}
    check = cswork("check", str(site))
    build = cswork("build", str(site))
    assert before == {p: p.read_bytes() for p in (site / "data").rglob("*") if p.is_file()}
    return site, check, build, where


def test_corpus_is_big_and_spread_over_every_field():
    assert len(IDENTIFYING) >= 60 and len(BENIGN) >= 30
    # Welsh has its own part: at least 20 identifying and 10 benign texts.
    assert len(IDENTIFYING) - WELSH_FROM[0] >= 20 and len(BENIGN) - WELSH_FROM[1] >= 10
    fields = {i.field.split(":")[0] if ":" in i.field else i.field for i in IDENTIFYING}
    assert {"story-body", "story-title", "story-summary", "story-tags", "story-author_role", "story-image_alt",
            "story-image_caption", "story-slug", "testimonial-quote", "testimonial-name", "testimonial-role",
            "testimonial-team", "vacancies.yaml", "events.yaml", "metrics.yaml", "strategy.yaml",
            "practice.yaml", "offer.yaml", "careers.yaml"} <= fields


def test_recall_every_identifying_item_is_held_back_from_every_output(corpus_site, data_check):
    site, check, _ = corpus_site
    reported = _reported(check)
    _, dcheck, dbuild, where = data_check
    dreported = {(p["path"], p["line"]) for p in _reported(dcheck)}
    missed = []
    needles = []
    for n, item in enumerate(IDENTIFYING):
        kind = item.field.split("-")[0]
        if ":" in item.field:
            if where[n] not in dreported:
                missed.append(item)
        elif kind == "story" and not _story_item_reported(reported, n):
            missed.append(item)
        elif kind == "testimonial" and not any(p["path"] == "data/testimonials.yaml" and
                                               f"'corpus-{n}'" in p["message"] for p in reported):
            missed.append(item)
        if ":" not in item.field:
            needles += [item.needle, f"zqxmark{n}"]
    leaked = leaks(site / "output", needles)
    recall = (len(IDENTIFYING) - len(missed)) / len(IDENTIFYING)
    print(f"\nrecall: {len(IDENTIFYING) - len(missed)} of {len(IDENTIFYING)} held back ({recall:.0%})")
    assert not missed, f"recall {recall:.0%}; not reported: {[i.text for i in missed]}"
    assert not leaked, f"published: {leaked}"
    # A data file with a finding stops the build: nothing at all is written.
    assert dbuild.returncode == 2 and not (data_check[0] / "output").exists()
    assert "Traceback" not in check.stderr + dcheck.stderr


def test_precision_at_most_one_false_alarm_in_thirty(corpus_site):
    site, check, _ = corpus_site
    reported = _reported(check)
    alarms = [text for n, text in enumerate(BENIGN)
              if any(p["path"] == f"content/stories/2025-05-02-benign-{n}.md" for p in reported)]
    print(f"\nprecision: {len(alarms)} false alarms in {len(BENIGN)} benign items: {alarms}")
    assert len(alarms) <= len(BENIGN) / 30, f"false alarms: {alarms}"
    published = [n for n in range(len(BENIGN)) if (n not in [BENIGN.index(a) for a in alarms])]
    texts = leaks(site / "output", [f"zqxbenign{n}" for n in published])
    assert len(texts) == len(published), "benign stories should all be published"


def test_demo_content_has_no_findings():
    result = cswork("check", str(Path(__file__).resolve().parents[1]))
    assert not _reported(result), result.stderr
