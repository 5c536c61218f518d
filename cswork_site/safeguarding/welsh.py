"""The Welsh forms of the details that could identify a child, for ``detectors.scan_text``.

A Welsh council publishes its stories in Welsh and English, so the check must read Welsh
as closely as English: ages ("14 oed", "yn naw oed", "tair blwydd oed"), dates of birth
("Ganwyd hi ar 3 Mawrth 2012"), addresses (Heol, Stryd, Ffordd, Lôn, Tŷ, ...) and schools
(Ysgol ...), and names on the watch list however a mutation changes their first letter
("i Gerys", "yng Nghaerwen", "a Thomos").

Each function returns (kind, start, end, why) tuples; ``detectors`` makes them findings, so
overrides, allowed entries and reporting are the same as for English. Mutated names are
looked for only in text that reads as Welsh (``looks_welsh``), because in English a soft
mutation often makes a word ("Mair" becomes "Fair").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from cswork_site.safeguarding import N_

Hit = tuple[str, int, int, str]

# --- mutations --------------------------------------------------------------

# The consonant mutations of Welsh, on the first letters of a word: soft (after "i", "o",
# "dy", a feminine noun...), nasal (after "fy", "yn" meaning "in") and aspirate (after "a",
# "ei" meaning "her", "tri"). Longest first, so that "Ll" is read before "L".
_SOFT = {"Ll": "L", "Rh": "R", "P": "B", "T": "D", "C": "G", "B": "F", "D": "Dd", "G": "", "M": "F"}
_NASAL = {"P": "Mh", "T": "Nh", "C": "Ngh", "B": "M", "D": "N", "G": "Ng"}
_ASPIRATE = {"P": "Ph", "T": "Th", "C": "Ch"}


def _mutate(word: str, table: dict[str, str]) -> str | None:
    for first in sorted(table, key=len, reverse=True):
        if word.startswith(first) and len(word) > len(first):
            rest = word[len(first):]
            # "Gwen" softens to "Wen", "Gareth" to "Areth": the new first letter is a capital.
            new = table[first]
            return new + rest if new else rest[:1].upper() + rest[1:]
    return None


def mutations(word: str) -> set[str]:
    """The forms a capitalised Welsh word takes under each mutation (not itself)."""
    forms = {_mutate(word, table) for table in (_SOFT, _NASAL, _ASPIRATE)}
    # "Ch" is never softened: it is not C followed by h for this purpose.
    if word.startswith(("Ch", "Ph", "Th")):
        forms = set()
    return {f for f in forms if f and f != word}


@functools.lru_cache(maxsize=32)
def mutated_entries(entries: tuple[str, ...]) -> tuple[str, ...]:
    """Each watch-list entry with its first word mutated, every way it can be."""
    out = []
    for entry in entries:
        words = entry.split(maxsplit=1)
        if not words or not words[0][:1].isupper():
            continue
        for form in sorted(mutations(words[0])):
            out.append(" ".join([form, *words[1:]]))
    return tuple(out)


# Words that are common in Welsh prose and rare in English: two of them mark a Welsh text.
_WELSH_WORDS = frozenset("""mae roedd oedd wedi gyda hefyd ydy yw ond iawn ein eich nhw rydyn
    rwy'n mae'n hi'n fe'n i'r o'r a'r yn ym yng ac ei eu ni chi gan ble pan sy'n bod""".split())
_WORD = re.compile(r"[\w'’]+")


def looks_welsh(folded: str) -> bool:
    seen: set[str] = set()
    for m in _WORD.finditer(folded):
        word = m.group().replace("’", "'")
        if word in _WELSH_WORDS:
            seen.add(word)
            if len(seen) >= 2:
                return True
    return False


# --- ages -------------------------------------------------------------------

# The numbers a child's age is written in, with their soft-mutated forms (after "yn":
# "mae hi'n ddeg oed"), in the traditional and the decimal way of counting.
_UNITS = {
    "un": 1, "dau": 2, "ddau": 2, "dwy": 2, "ddwy": 2, "tri": 3, "dri": 3, "tair": 3, "dair": 3,
    "pedwar": 4, "bedwar": 4, "pedair": 4, "bedair": 4, "pump": 5, "bump": 5, "pum": 5, "bum": 5,
    "chwech": 6, "chwe": 6, "saith": 7, "wyth": 8, "naw": 9,
}
_NUMBER_WORDS = {
    **_UNITS, "deg": 10, "ddeg": 10, "deuddeg": 12, "ddeuddeg": 12, "pymtheg": 15, "bymtheg": 15,
    "deunaw": 18, "ddeunaw": 18,
    **{f"{u} ar ddeg": n + 10 for u, n in _UNITS.items() if n <= 4},
    **{f"{u} ar bymtheg": n + 15 for u, n in _UNITS.items() if n <= 4},
    **{f"un deg {u}": n + 10 for u, n in _UNITS.items()},
}
_NUMBER = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _NUMBER_WORDS), key=len, reverse=True))
# "blwydd" and "mlwydd" are the years of an age; "dwyflwydd", "teirblwydd" join them to a number.
_AGE = re.compile(rf"""
    (?<![\w£$.,])(?P<age>\d{{1,2}}|{_NUMBER})\s+(?:(?P<unit>mlwydd|blwydd|mis|wythnos|diwrnod)\s+)?oed\b
  | (?<![\w])(?P<joined>blwydd|d?dwyflwydd|[td]eirblwydd|d?deufis)\s+oed\b
""", re.IGNORECASE | re.VERBOSE)
# A range or a limit describes a group, not a child: "16 i 25 oed", "rhwng 16 a 25 oed",
# "dros 18 oed", "o dan 18 oed", "hyd at 25 oed", "o leiaf 18 oed", "18 oed a hŷn".
_RANGE_BEFORE = re.compile(rf"""(?:\d|\b(?:{_NUMBER}))\s*(?:-|–|i|a|ac|neu|hyd\s+at)\s*\Z
    |\b(?:rhwng|dros|dan|o\s+dan|hyd\s+at|o\s+leiaf|uwchben|tua|oddeutu|o)\s*\Z
    |\b(?:oeddwn|roeddwn|oeddem|roedden)\s+(?:i|ni)['’]n\s*\Z""",  # "pan oeddwn i'n 9 oed": a grown-up's childhood
                           re.IGNORECASE | re.VERBOSE)
_LIMIT_AFTER = re.compile(r"\s*(?:a|neu|ac)\s+(?:hŷn|hyn|throsodd|iau|iengach|drosodd|fyny)\b|\s*\+|\s*i\s+\d",
                          re.IGNORECASE)
# Children described by their age as a group: "plant 9 oed", "pobl ifanc 16 oed" (but "ei
# phlant 6 ac 8 oed", with "ei", "eu" or a small count before, is one family).
_GROUP_BEFORE = re.compile(r"""(?:\b(?P<count>\w+)\s+)?\b(?:plant|phlant|blant|pobl\s+ifanc|bobl\s+ifanc
    |disgyblion|myfyrwyr|pobl|bobl|teuluoedd|gofalwyr|ymadawyr\s+gofal|babanod|merched|bechgyn)\s*\Z""",
                           re.IGNORECASE | re.VERBOSE)
# Something that is some years old is not always a person: "mae'r rhaglen yn 10 oed".
_NOT_PEOPLE_BEFORE = re.compile(r"""\b(?:rhaglen|raglen|cynllun|gynllun|gwasanaeth|wasanaeth|prosiect|partneriaeth
    |adeilad|polisi|bolisi|tîm|tim|cyngor|gyngor|cwmni|gwmni|elusen|swyddfa|strategaeth|fframwaith|model|system
    |canolfan|ganolfan|academi|cynllun|grŵp|grwp|clwb|glwb|safle|gwefan|wefan|car|fan)\b[\w\s'’]{0,20}\Z""",
                                re.IGNORECASE | re.VERBOSE)
_ONE_FAMILY = {"ei", "eu", "fy", "dy", "ein", "eich", "dau", "dwy", "tri", "tair", "ddau", "ddwy", "2", "3", "4"}
_AGE_WHY = N_("gives a child's age (%(excerpt)s); with the other details in a story an age can identify "
               "a child, so leave it out or write \"person ifanc\" (a young person)")


def _age_value(m: re.Match[str]) -> int:
    if m.group("joined"):
        joined = m.group("joined").casefold()
        return 1 if joined == "blwydd" else 3 if "eir" in joined else 2 if "flwydd" in joined else 0
    word = " ".join(m.group("age").casefold().split())
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def ages(text: str, folded: str) -> Iterator[Hit]:
    if "oed" not in folded:
        return
    for m in _AGE.finditer(text):
        unit = (m.group("unit") or "").casefold()
        if unit in ("", "mlwydd", "blwydd") and _age_value(m) > 19:
            continue  # an adult: "Priya, 34 oed"
        before = text[max(0, m.start() - 30):m.start()]
        if _RANGE_BEFORE.search(before) or _LIMIT_AFTER.match(text, m.end()):
            continue
        if _NOT_PEOPLE_BEFORE.search(before):
            continue
        group = _GROUP_BEFORE.search(before)
        if group and (group.group("count") or "").casefold() not in _ONE_FAMILY:
            continue
        yield "age", m.start(), m.end(), _AGE_WHY


# --- dates of birth ---------------------------------------------------------

# The months, as they are written after a number, after "o" or "mis" (soft: "o Fawrth")
# and after "yn" (nasal: "yng Ngorffennaf", "yn Nhachwedd").
_MONTH = (r"(?:ionawr|chwefror|[mf]awrth|ebrill|[mf]ai|[mf]ehefin|(?:g|ng)?orffennaf|awst|[mf]edi"
          r"|hydref|(?:t|d|nh)achwedd|r(?:h)?agfyr)\b")
_DAY = r"\d{1,2}(?:af|ail|ydd|edd|fed|eg|ed|ain)?"
_DATE = rf"""(?:
      {_DAY}\s+(?:o\s+|fis\s+)?{_MONTH}(?:,?\s+\d{{4}})?    # 3 Mawrth 2012, 3ydd o Fawrth
    | {_MONTH}\s+\d{{4}}                                  # Mawrth 2012
    | \d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b             # 03/03/2012
    | \d{{4}}-\d{{2}}-\d{{2}}\b                           # 2012-03-03
    | (?:19|20)\d\d\b                                     # yn 2012
)"""
# "Ganwyd", "ganed", "a aned", "cafodd hi ei geni" (born), "dyddiad geni" (date of birth),
# "pen-blwydd" (birthday), then a date within a few words: "Ganwyd hi ar 3 Mawrth 2012".
_DATE_OF_BIRTH = re.compile(rf"""
    \b(?:ganwyd|ganed|aned|cafodd\s+(?:hi\s+|e\s+|o\s+|ef\s+)?ei\s+(?:geni|eni|hgeni)|ei\s+geni|ei\s+eni
       |dyddiad\s+(?:ei\s+)?(?:geni|eni)|(?:p|ph|b|mh)en-?blwydd)\b
    (?:[\s,:–-]+(?!(?:ganwyd|ganed)\b)[\w'’]+){{0,4}}?[\s,:–-]+(?:ar\s+(?:y\s+)?|yn\s+|ym\s+|yng\s+|y\s+)?{_DATE}
  | \bdyddiad\s+geni\s*:
""", re.IGNORECASE | re.VERBOSE)
_BIRTH_CLUES = ("ganwyd", "ganed", "aned", "geni", "eni", "blwydd")


def dates_of_birth(text: str, folded: str) -> Iterator[Hit]:
    if not any(clue in folded for clue in _BIRTH_CLUES):
        return
    for m in _DATE_OF_BIRTH.finditer(text):
        # "Dy ddyddiad geni": a form asks for *your* date of birth.
        if re.search(r"\b(?:eich|dy)\s+$", text[max(0, m.start() - 8):m.start()], re.IGNORECASE) \
                and not re.search(r"\d", m.group()):
            continue
        yield ("date-of-birth", m.start(), m.end(),
               N_("looks like a date of birth (%(excerpt)s); a date of birth can identify a child"))


# --- addresses and schools --------------------------------------------------

# The words that start a Welsh street's or house's name, with their mutated forms: "Heol y
# Bont", "Stryd Fawr", "Lôn Las", "Tŷ Gwyn", "yn Nhŷ Gwyn", "ym Mharc Gwyn".
_PLACE_WORDS = ["Heol", "Stryd", "Ffordd", "Lôn", "Lon", "Rhodfa", "Cilgant", "Teras", "Clos", "Cwrt",
                "Tŷ", "Ty", "Plas", "Parc", "Maes", "Bryn", "Llys", "Rhes", "Sgwâr", "Bythynnod", "Fflatiau"]
_ALL_PLACE_WORDS = sorted({w for word in _PLACE_WORDS for w in (word, *mutations(word))}, key=len, reverse=True)
_PLACE = "|".join(map(re.escape, _ALL_PLACE_WORDS))
# What may follow: a capitalised name, or the article and a name ("Heol y Bont", "Stryd yr Eglwys").
_PLACE_NAME = r"(?:(?:y|yr|'r|’r)\s+)?[A-ZÂÊÎÔÛŴŶ][\w'’-]*"
_NUMBERED = re.compile(rf"(?<![£$\d.,:/])\b\d{{1,3}}[A-Za-z]?,?\s+(?:{_PLACE})\s+{_PLACE_NAME}")
# Someone lives, stays or moved there: "yn byw ar Heol y Bont", "symudodd i Stryd Fawr",
# "ei chartref yn Nhŷ Gwyn", "aros ym Mharc Gwyn".
_LIVES = re.compile(rf"""\b(?:byw|fyw|cartref|gartref|chartref|symud|symudodd|symudon|aros|arhosodd|tŷ|dŷ|thŷ
    |fflat|lives?|living|moved?|stays?)\s+(?:\w+\s+){{0,2}}?(?:yn|ym|yng|ar|i|at|ger|on|in|at|to)\s+
    (?P<place>(?:{_PLACE})\s+{_PLACE_NAME})""", re.VERBOSE)
# "yn Nhŷ ..." and the other nasal forms of a house after "yn" mean "in that house".
_IN_HOUSE = re.compile(rf"\b(?:yn|Yn)\s+(?P<place>(?:Nhŷ|Nhy)\s+{_PLACE_NAME})")
_ADDRESS_WHY = N_("looks like a street address (%(excerpt)s); an address can identify a family")

# "Ysgol Gynradd Glan y Môr", "Ysgol Gyfun Cwm Rhymni", "Ysgol y Graig", "Ysgol Bro Dinefwr".
_SCHOOL = re.compile(r"""\bYsgol\s+(?:(?:Gynradd|Uwchradd|Gyfun|Fabanod|Iau|Feithrin|Arbennig|Eglwys|Gatholig|Sul)\s+)*
    (?:(?:y|yr|'r|’r)\s+)?(?:Bro\s+)?[A-ZÂÊÎÔÛŴŶ][\w'’-]*""", re.VERBOSE)
# Words after "Ysgol" that name a kind of school or a subject, not one school: "Ysgol Haf"
# (a summer school), "Ysgol Gwaith Cymdeithasol" (a school of social work).
_NOT_SCHOOLS = {"haf", "gwaith", "feddygol", "fusnes", "y gyfraith", "gymraeg", "ddoethurol", "raddedig"}
_SCHOOL_WHY = N_("names a school (%(excerpt)s); naming a child's school can identify them, so write "
                  "\"ysgol leol\" (a local school) instead")


def addresses(text: str) -> Iterator[Hit]:
    if not any(word in text for word in ("Heol", "Stryd", "Ffordd", "Lôn", "Lon", "Rhodfa", "ilgant", "eras",
                                         "los", "wrt", "ŷ", "Ty", "Dy", "Thy", "Nhy", "las", "arc", "aes",
                                         "ryn", "lys", "Rhes", "Res", "gwâr", "ythynnod", "latiau")):
        return
    for m in _NUMBERED.finditer(text):
        yield "address", m.start(), m.end(), _ADDRESS_WHY
    for m in _LIVES.finditer(text):
        yield "address", m.start("place"), m.end("place"), _ADDRESS_WHY
    for m in _IN_HOUSE.finditer(text):
        yield "address", m.start("place"), m.end("place"), _ADDRESS_WHY


def schools(text: str) -> Iterator[Hit]:
    if "Ysgol" not in text:
        return
    for m in _SCHOOL.finditer(text):
        rest = m.group()[len("Ysgol"):].strip().casefold()
        if rest in _NOT_SCHOOLS or any(rest.startswith(w + " ") for w in _NOT_SCHOOLS):
            continue
        yield "school", m.start(), m.end(), _SCHOOL_WHY
