"""The safeguarding check reads Welsh: ages, dates of birth, addresses, schools and
watch-list names under mutation, generated as classes of input, with near misses that
Welsh recruitment text says all the time.

The mutation tables are written out again here, from a grammar's table, so a mistake in
the detector's own table is not copied into its test.
"""

from __future__ import annotations

import itertools

import pytest

from cswork_site.safeguarding.detectors import WatchLists, scan_text

LISTS = WatchLists(names=("Carys Jones", "Tomos Pritchard", "Gethin Morgan", "Bethan", "Dafydd Rees",
                          "Mair", "Llinos", "Rhian Evans", "Pedr"))

# Soft, nasal and aspirate forms, as a Welsh grammar lists them (first letters).
GRAMMAR = {
    "Carys Jones": ["Garys Jones", "Ngharys Jones", "Charys Jones"],
    "Tomos Pritchard": ["Domos Pritchard", "Nhomos Pritchard", "Thomos Pritchard"],
    "Gethin Morgan": ["Ethin Morgan", "Ngethin Morgan"],
    "Bethan": ["Fethan", "Methan"],
    "Dafydd Rees": ["Ddafydd Rees", "Nafydd Rees"],
    "Mair": ["Fair"],
    "Llinos": ["Linos"],
    "Rhian Evans": ["Rian Evans"],
    "Pedr": ["Bedr", "Mhedr", "Phedr"],
}
# Welsh sentences a mutated name sits in: after "i" (soft), "fy" (nasal), "a" (aspirate)...
FRAMES = ["Aethon ni i'r parc gyda {} ac roedd hi'n braf.",
          "Mae {} yn hapus yn yr ysgol newydd.",
          "Dywedodd hi wrth {}: mae popeth yn iawn.",
          "Roedd **{}** yn y cyfarfod ac mae'n dal yno."]


@pytest.mark.parametrize(("entry", "form"), [(e, f) for e, forms in GRAMMAR.items() for f in forms])
def test_every_mutated_form_of_a_listed_name_is_found(entry, form):
    for frame in FRAMES:
        text = frame.format(form)
        found = [f for f in scan_text(text, LISTS) if f.kind == "name"]
        assert found, text
    # And in capitals, as a heading might write it.
    assert any(f.kind == "name" for f in scan_text(FRAMES[0].format(form.upper()), LISTS))


def test_mutated_forms_are_not_looked_for_in_english():
    # "Mair" softens to "Fair": an English sentence is not a Welsh name.
    for text in ("Fair pay for every social worker, and a fair caseload.",
                 "We offer Bedr... no: we offer a better deal and a Fair Work charter.",
                 "Linos is not a word, but it is not Welsh text either."):
        assert not [f for f in scan_text(text, LISTS) if f.kind == "name"], text


# --- ages -------------------------------------------------------------------

WORDS = {1: ["un"], 2: ["dau", "dwy", "ddau", "ddwy"], 3: ["tri", "tair", "dri", "dair"],
         4: ["pedwar", "pedair", "bedwar", "bedair"], 5: ["pump", "bump"], 6: ["chwech"], 7: ["saith"],
         8: ["wyth"], 9: ["naw"], 10: ["deg", "ddeg"], 11: ["un ar ddeg", "un deg un"],
         12: ["deuddeg", "ddeuddeg", "un deg dau"], 13: ["tri ar ddeg", "tair ar ddeg", "un deg tri"],
         14: ["pedwar ar ddeg", "pedair ar ddeg", "bedair ar ddeg", "un deg pedwar"],
         15: ["pymtheg", "bymtheg", "un deg pump"], 16: ["un ar bymtheg", "un deg chwech"],
         17: ["dau ar bymtheg", "dwy ar bymtheg", "un deg saith"], 18: ["deunaw", "ddeunaw", "un deg wyth"]}
AGE_FRAMES = ["Mae Elin yn {} oed ac mae hi'n hoffi celf.", "Roedd ei mab yn {} oed pan symudon nhw.",
              "Mae'r bachgen, sy'n {} oed, yn byw gyda'i nain.", "Mae Osian yn {} mlwydd oed."]


@pytest.mark.parametrize("age", range(0, 18))
def test_a_childs_age_is_found_in_digits_and_words(age):
    spellings = [str(age), *WORDS.get(age, [])]
    for spelling, frame in itertools.product(spellings, AGE_FRAMES):
        text = frame.format(spelling)
        found = [f for f in scan_text(text, LISTS) if f.kind == "age"]
        assert found, text
        assert spelling.split()[-1] in found[0].excerpt


def test_ages_in_months_and_joined_years_are_found():
    for text in ("Mae'r babi yn chwe mis oed.", "Mae hi'n ddwyflwydd oed.", "Roedd e'n deirblwydd oed.",
                 "Mae'r ferch yn dair blwydd oed.", "Mae'r babi yn 8 wythnos oed."):
        assert [f for f in scan_text(text, LISTS) if f.kind == "age"], text


@pytest.mark.parametrize("text", [
    *(f"Rydyn ni'n cefnogi pobl ifanc {a} i {b} oed." for a, b in ((16, 25), (11, 18), (0, 5))),
    *(f"Mae'r clwb ar gyfer plant rhwng {a} a {b} oed." for a, b in ((5, 11), (13, 19))),
    *(f"Rhaid i chi fod dros {a} oed." for a in (18, 21)),
    *(f"Mae'r gwasanaeth ar gyfer plant o dan {a} oed." for a in (5, 11, 18)),
    "Gofalwyr maeth 21 oed a hŷn.", "Pobl ifanc 16 oed a throsodd.", "Plant 9 oed yn y clwb gwyliau.",
    "Mae Priya yn 34 oed ac yn uwch ymarferydd.", "Pan oeddwn i'n 9 oed, roeddwn i eisiau bod yn athro.",
    "Mae'r rhaglen yn 10 oed eleni.", "Mae ein tîm yn 5 oed ym mis Mai.",
    *(f"Mae'r cyflog yn codi ar ôl {n} mlynedd." for n in (2, 5)),
])
def test_groups_limits_adults_and_things_are_not_ages(text):
    assert not [f for f in scan_text(text, LISTS) if f.kind == "age"], text


# --- dates of birth ---------------------------------------------------------

MONTHS = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
          "Tachwedd", "Rhagfyr"]
SOFT_MONTHS = ["Ionawr", "Chwefror", "Fawrth", "Ebrill", "Fai", "Fehefin", "Orffennaf", "Awst", "Fedi",
               "Hydref", "Dachwedd", "Ragfyr"]


@pytest.mark.parametrize("month", range(12))
def test_a_date_of_birth_is_found_in_every_month_and_form(month):
    plain, soft = MONTHS[month], SOFT_MONTHS[month]
    for text in (f"Ganwyd hi ar 3 {plain} 2012 yn yr ysbyty.", f"Ganwyd Elin ar y 3ydd o {soft} 2012.",
                 f"Ganed ef ar 14 {plain.lower()} 2013.", f"Mae ei phen-blwydd ar 21 {plain}.",
                 f"Cafodd hi ei geni ym mis {plain} 2011.", f"Dyddiad geni: 3 {plain} 2012"):
        assert [f for f in scan_text(text, LISTS) if f.kind == "date-of-birth"], text


def test_numeric_dates_of_birth_and_the_year_alone_are_found():
    for text in ("Dyddiad geni: 03/03/2012", "Ganwyd ef yn 2014.", "a aned ar 2012-03-03", "Cafodd ei eni yn 2015."):
        assert [f for f in scan_text(text, LISTS) if f.kind == "date-of-birth"], text


def test_asking_for_a_date_of_birth_is_not_one():
    for text in ("Rhowch eich dyddiad geni ar y ffurflen.", "Cynhelir y digwyddiad ar 3 Mawrth 2027.",
                 "Dechreuodd Grace ym mis Medi 2019.", "Dathlwch ben-blwydd y tîm gyda ni."):
        assert not [f for f in scan_text(text, LISTS) if f.kind == "date-of-birth"], text


# --- addresses and schools --------------------------------------------------

# Each place word with its mutated forms, from the grammar's table.
PLACES = {"Heol": ["Heol"], "Stryd": ["Stryd"], "Ffordd": ["Ffordd"], "Lôn": ["Lôn"],
          "Tŷ": ["Tŷ", "Dŷ", "Nhŷ", "Thŷ"], "Parc": ["Parc", "Barc", "Mharc", "Pharc"],
          "Cilgant": ["Cilgant", "Gilgant", "Nghilgant", "Chilgant"], "Teras": ["Teras", "Deras", "Nheras"]}


@pytest.mark.parametrize("form", [f for forms in PLACES.values() for f in forms])
def test_a_home_address_is_found_in_every_form(form):
    for text in (f"Mae'r teulu'n byw yn 12 {form} y Bont.", f"Mae hi'n byw ar {form} Glas gyda'i nain.",
                 f"Symudodd y teulu i 4 {form} Fawr."):
        assert [f for f in scan_text(text, LISTS) if f.kind == "address"], text


def test_in_a_house_is_found_from_the_nasal_form_alone():
    assert [f for f in scan_text("Mae o'n aros yn Nhŷ Gwyn ar hyn o bryd.", LISTS) if f.kind == "address"]


@pytest.mark.parametrize("text", ["Dyma ffordd newydd o weithio gyda theuluoedd.",
                                  "Ar y ffordd adref, buon ni'n siarad am y swydd.",
                                  "Mae Ffordd Ymlaen yn rhaglen i weithwyr newydd.",
                                  "Mae gennym 14 tîm a 3 ardal.", "Rydyn ni'n cwrdd yn y parc bob haf."])
def test_ways_and_parks_in_prose_are_not_addresses(text):
    assert not [f for f in scan_text(text, LISTS) if f.kind == "address"], text


def test_welsh_schools_are_found_and_summer_schools_are_not():
    for text in ("Mae hi'n mynd i Ysgol Gynradd Glan y Môr.", "Aeth e i Ysgol y Graig.",
                 "Mae'n ddisgybl yn Ysgol Gyfun Cwm Rhymni.", "Mae'n mynd i Ysgol Bro Dinefwr."):
        assert [f for f in scan_text(text, LISTS) if f.kind == "school"], text
    for text in ("Mae Ysgol Haf y Gwasanaeth yn dechrau ym mis Gorffennaf.", "Mae'r plant yn hoffi'r ysgol."):
        assert not [f for f in scan_text(text, LISTS) if f.kind == "school"], text


@pytest.mark.slow
@pytest.mark.parametrize("street", ["2 Lôn y Felin", "2 Ffordd Glyndŵr", "2 Heol Tŷ Gwyn", "2 Lôn Pen-y-Bryn"])
def test_the_councils_own_welsh_address_is_never_a_finding_however_accented(tmp_path, street: str) -> None:
    """A place of work's street and an event there, as written with Welsh accents: the check
    reads text with accents folded, and must fold the council's own details the same way.
    The same address in a story, which is not the council's, is still held back."""
    import shutil

    from .helpers import REPO, cswork

    site = tmp_path / "site"
    shutil.copytree(REPO / "demo-wales", site, ignore=shutil.ignore_patterns("output", ".cswork-cache"))
    for name in ("vacancies.yaml", "events.yaml"):
        path = site / "data" / name
        path.write_text(path.read_text(encoding="utf-8").replace("2 Heol y Felin", street), encoding="utf-8")
    result = cswork("check", str(site))
    assert "safeguarding" not in result.stdout + result.stderr, result.stdout + result.stderr
    story = next((site / "content" / "stories").glob("*.md"))
    text = story.read_text(encoding="utf-8")
    story.write_text(text.rstrip("\n") + f"\n\nThe family moved to 14 {street.split(' ', 1)[1]} last year.\n",
                     encoding="utf-8")
    held = cswork("check", str(site))
    assert f"content/stories/{story.name}:" in held.stdout + held.stderr and "safeguarding" in held.stdout + held.stderr
