"""Look for details that could identify a child or family before anything is published.

Stories and testimonials are written by comms officers, often from case work. Names are
changed, but a postcode, a school, a date of birth or "Jamie, 14," next to a real event
can still point to one family. ``scan_text`` looks for those details in a piece of text;
``scan_photo`` looks for a GPS position and camera details left in a picture's EXIF data.

The scan reads ordinary recruitment prose, so each pattern is written to leave alone
what such a site says all the time: salaries (£38,900), caseloads (14 to 18 children),
years (since 2019), grades, pay points, times and the service's own contact details.

What to look for comes from ``data/safeguarding.yaml`` (see ``load_watch_lists``): the
local schools and placements, names that must never appear, and the ``allowed`` strings,
such as the recruitment team's own email address, which are never reported.

Overrides, for false alarms
---------------------------
When a finding is not a risk (a famous address in a quote, say), a person who has
looked at it records why, on the story or testimonial itself, for example::

    safeguarding_overrides:
      - kind: address
        text: 10 Downing Street
        reviewed_by: Safeguarding lead
        date: 2026-03-02
        reason: The Prime Minister's address, quoted in a news story; not a family's home.

An override silences findings of its ``kind`` whose excerpt contains ``text`` (ignoring
case and spacing), and nothing else, so a new detail added later is still reported.
``apply_overrides`` also returns the overrides that were used, so that ones which no
longer match anything can be reported as stale. ``reviewed_by`` is a role, never a name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, UnidentifiedImageError

from .loading import load_model
from .models.safeguarding import SafeguardingFile, SafeguardingOverride, StoryOverride
from .problems import Problem

WATCH_LISTS_FILE = "data/safeguarding.yaml"



EXCERPT_LIMIT = 80


@dataclass(frozen=True)
class Finding:
    kind: str
    line: int  # 1-based, within the scanned text
    excerpt: str  # the matched text, on one line, shortened
    message: str  # plain English for the person who wrote the text


@dataclass(frozen=True)
class WatchLists:
    schools: tuple[str, ...] = ()
    placements: tuple[str, ...] = ()  # children's homes, foster agencies, supported lodgings
    names: tuple[str, ...] = ()  # names that must never appear, e.g. children known to the service
    allowed: tuple[str, ...] = ()  # the service's own published contact details
    story_overrides: tuple[StoryOverride, ...] = ()


# ---------------------------------------------------------------------------
# The watch-list file


def load_watch_lists(site: Path) -> tuple[WatchLists, list[Problem]]:
    """The watch lists of the site at site/. No file means nothing to watch for."""
    file = site / WATCH_LISTS_FILE
    if not file.exists():
        return WatchLists(), []
    _, model, problems = load_model(site, WATCH_LISTS_FILE, SafeguardingFile)
    if not isinstance(model, SafeguardingFile):
        return WatchLists(), problems
    return WatchLists(schools=tuple(model.schools), placements=tuple(model.placements),
                      names=tuple(model.names), allowed=tuple(model.allowed),
                      story_overrides=tuple(model.story_overrides)), problems


# ---------------------------------------------------------------------------
# Overrides


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def apply_overrides(findings: Iterable[Finding], overrides: Iterable[SafeguardingOverride]
                    ) -> tuple[list[Finding], list[SafeguardingOverride]]:
    """The findings no override silences, and the overrides that silenced something."""
    overrides = list(overrides)
    used: set[int] = set()
    remaining = []
    for finding in findings:
        matched = [i for i, o in enumerate(overrides)
                   if o.kind == finding.kind and _squash(o.text) in _squash(finding.excerpt)]
        used.update(matched)
        if not matched:
            remaining.append(finding)
    return remaining, [o for i, o in enumerate(overrides) if i in used]


def findings_to_problems(findings: Iterable[Finding], path: str, first_line: int, field: str) -> list[Problem]:
    """Findings in text that starts on first_line of path, as build problems."""
    return [Problem(path, first_line + f.line - 1, field, f"safeguarding: {f.message}") for f in findings]


# ---------------------------------------------------------------------------
# Scanning text
#
# Each detector yields _Hit objects holding where the match is in the text, so that
# allowed strings can be cut out by position before hits become Findings.


@dataclass(frozen=True)
class _Hit:
    kind: str
    start: int
    end: int
    why: str  # what it looks like and why it matters, with {excerpt} to fill in


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LIMIT else text[: EXCERPT_LIMIT - 3] + "..."


def _phrase(entry: str) -> str:
    """A regex for a listed phrase: any spacing or line break between words, either apostrophe."""
    words = entry.replace("’", "'").split()
    return r"\s+".join(re.escape(w).replace("'", "['’]") for w in words)


@functools.lru_cache(maxsize=32)  # the same lists are used for every story and testimonial
def _phrases(entries: tuple[str, ...]) -> re.Pattern[str] | None:
    # Longest first, so "Castlebrook Primary School Nursery" wins over "Castlebrook Primary School".
    ordered = sorted({e for e in entries if e.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(_phrase(e) for e in ordered) + r")(?!\w)", re.IGNORECASE)


# Speed: most text matches no pattern, so before running its patterns each detector looks
# for a clue that every match contains (a substring, or a regex starting with fixed text,
# which re finds fast). No clue, no match: skipping never changes a result.

# The only non-ASCII characters re.IGNORECASE matches to ASCII ones (checked by a test).
_CASE_TWINS = {"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"}  # the last is the Kelvin sign
_CASE_TWIN_TABLE = str.maketrans(_CASE_TWINS)


def _fold(text: str) -> str:
    """text in lower case, twins made ASCII: wherever ASCII text matches ignoring case,
    that text in lower case is in here."""
    if not text.isascii() and any(twin in text for twin in _CASE_TWINS):
        text = text.translate(_CASE_TWIN_TABLE)
    return text.lower()


@dataclass(frozen=True)
class _Watch:
    pattern: re.Pattern[str] | None  # None: nothing listed
    # For each entry, the lower-case ASCII pieces (between spaces and apostrophes) that any
    # match of it contains, longest first; None when some entry has none, to always scan.
    pieces: tuple[tuple[str, ...], ...] | None
    firsts: tuple[str, ...]  # the first piece of each entry, for a quicker test first

    def may_match(self, folded: str) -> bool:
        if self.pieces is None:
            return True
        return (any(map(folded.__contains__, self.firsts))
                and any(all(map(folded.__contains__, p)) for p in self.pieces))


@functools.lru_cache(maxsize=32)
def _watch(entries: tuple[str, ...]) -> _Watch:
    keys = []
    for entry in {e for e in entries if e.strip()}:
        pieces = {p.lower() for word in entry.replace("’", "'").split() for p in word.split("'")
                  if p and p.isascii()}
        if not pieces:
            return _Watch(_phrases(entries), None, ())
        keys.append(tuple(sorted(pieces, key=len, reverse=True)))
    return _Watch(_phrases(entries), tuple(keys), tuple(k[0] for k in keys))


# --- dates of birth -------------------------------------------------------

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = rf"""(?:
      {_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?     # 3 March 2014, 3rd of March
    | {_MONTH}\s+{_DAY}\b(?:,?\s+\d{{4}})?            # March 3rd, 2014
    | {_MONTH}\s+\d{{4}}                              # March 2014
    | \d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}           # 03/03/2014, 3.3.14
    | \d{{4}}-\d{{2}}-\d{{2}}                         # 2014-03-03
)"""

_DATE_OF_BIRTH = re.compile(rf"""
      \bborn\s+(?:on\s+)?(?:the\s+)?{_DATE}           # born 3 March 2014, born on the 3rd of March
    | \bborn\s+in\s+(?:(?:19|20)\d{{2}}\b|{_DATE})    # born in 2014, born in March 2014
      # A label with a date after it: "Date of birth: 3/3/2014", "her date of birth is ...".
      # The label alone is left alone: a recruitment site asks for *your* date of birth.
    | \bdate\s+of\s+birth\s*(?:[:\-–]|is|was)?\s*{_DATE}
    | \bdate\s+of\s+birth\s*:
      # The short forms only turn up in case records, so they are reported with or without a date.
    | (?:\bd\.\s?o\.\s?b\b\.?|\b(?-i:DOB)\b)(?:\s*[:\-–]?\s*{_DATE})?
""", re.IGNORECASE | re.VERBOSE)


# Every match holds "born", "birth", "DOB" or "d.o." (ignoring case, so looked for in _fold).
_DOTTED_DOB = re.compile(r"d\.\s?o\.")


def _dates_of_birth(text: str, folded: str) -> Iterator[_Hit]:
    if not ("born" in folded or "birth" in folded or "DOB" in text or _DOTTED_DOB.search(folded)):
        return
    for m in _DATE_OF_BIRTH.finditer(text):
        yield _Hit("date-of-birth", m.start(), m.end(),
                   "looks like a date of birth ({excerpt}); a date of birth can identify a child")


# --- postcodes ------------------------------------------------------------

# A full UK postcode: outward code (area letters, district digit, maybe a digit or letter),
# then the inward code (a digit and two letters). The letter rules of Royal Mail leave out
# Q, V, X as a first letter, I, J, Z as a second, and C, I, K, M, O, V in the inward code,
# which keeps out look-alikes. Capitals only: "cb4 1aa" in prose is too rare to chase.
_POSTCODE = re.compile(r"""
    \b
    [A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?    # outward code: CB4, SW1A, M1
    [ ]?
    \d[ABD-HJLNP-UW-Z]{2}             # inward code: 1AA
    \b
""", re.VERBOSE)


# What every match ends with: a digit and two letters (the inward code).
_POSTCODE_TAIL = r"\d[ABD-HJLNP-UW-Z]{2}\b"
_POSTCODE_CLUE = re.compile(_POSTCODE_TAIL)


def _postcodes(text: str) -> Iterator[_Hit]:
    if not _POSTCODE_CLUE.search(text):
        return
    for m in _POSTCODE.finditer(text):
        yield _Hit("postcode", m.start(), m.end(),
                   "looks like a UK postcode ({excerpt}); an address can identify a family")


# --- street addresses -----------------------------------------------------

_STREET_WORDS = ("Road|Rd|Street|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Gardens|Court|Place|"
                 "Terrace|Grove|Square|Row|Walk|Mews|Rise|Parade|Vale|Hill|View")

# A house number, then one to three capitalised words, then a street word, as in
# "14 Elm Road" or "3a Mill Lane". Three digits at most, so "In 2019 Castlebrook Court
# opened" is a year, not a house number; and not after £ or a digit, so money is left alone.
_ADDRESS = re.compile(rf"""
    (?<![£$\d.,:/])\b
    (?P<number>\d{{1,3}}[A-Za-z]?),?\s+
    (?P<name>(?:[A-Z][\w'’-]*\s+){{1,3}})
    (?P<street>{_STREET_WORDS})\b
""", re.VERBOSE)

# Courts that social workers go to are not addresses: "2 Family Court hearings".
_COURTS = {"family", "crown", "high", "county", "youth", "magistrates", "magistrates'", "supreme", "appeal"}


# What every match ends with, from the last digit of the house number.
_ADDRESS_TAIL = rf"\d[A-Za-z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{_STREET_WORDS})\b"
_ADDRESS_CLUE = re.compile(_ADDRESS_TAIL)


def _addresses(text: str) -> Iterator[_Hit]:
    if not _ADDRESS_CLUE.search(text):
        return
    for m in _ADDRESS.finditer(text):
        last_word = m.group("name").split()[-1].casefold()
        if m.group("street") == "Court" and last_word in _COURTS:
            continue
        yield _Hit("address", m.start(), m.end(),
                   "looks like a street address ({excerpt}); an address can identify a family")


# --- phone numbers --------------------------------------------------------

# Where a UK number starts: +44 or 0044 (maybe with "(0)"), or a 0 (maybe in brackets),
# then groups of digits split by one space or hyphen. Which groups belong to the number
# is decided by counting digits in _phone_end, not in the regex.
_PHONE = re.compile(r"""
    (?<![\w+/.-])                               # not the middle of a longer number or code
    (?:(?:\+|\b00)44[ ]?(?:\(0\)[ ]?)?|\(?0)      # +44, 0044, +44 (0), or a leading 0
    \d+\)?                                      # the first group: 7700, (01632)
    (?:[ -]\d+)*                                # more groups: 900123, 960-418
""", re.VERBOSE)


def _national_digits(number: str) -> str:
    """A UK number as its digits in national form: +44 (0)1632 960418 -> 01632960418."""
    digits = re.sub(r"\D", "", number)
    prefix = re.match(r"\s*(\+|00)44", number)
    if prefix:
        # Drop the country code, and the 0 some people keep in brackets: +44 (0)1632.
        digits = "0" + digits[len(prefix.group(1).strip("+")) + 2:].removeprefix("0")
    return digits


def _phone_end(text: str, m: re.Match[str]) -> int | None:
    """Where the longest run of groups making a UK number (10 or 11 digits from the 0) ends."""
    best = None
    for group_end in re.finditer(r"\d+\)?", text[m.start():m.end()]):
        national = _national_digits(text[m.start():m.start() + group_end.end()])
        if len(national) > 11:
            break
        # National numbers start 01, 02, 03, 05, 07, 08 or 09; 04 and 06 are not in use.
        if len(national) in (10, 11) and re.match(r"0[1235789]", national):
            best = m.start() + group_end.end()
    return best


# A number found holds at least 10 digits (11 with +44, 13 with 0044), with at most two of
# " ()-" between one and the next: "+44 (0)1632", "(01632) 960-418".
_PHONE_TAIL = r"\d(?:[ ()-]{0,2}\d){9}"
_PHONE_CLUE = re.compile(_PHONE_TAIL)


def _phones(text: str) -> Iterator[_Hit]:
    if not _PHONE_CLUE.search(text):
        return
    for m in _PHONE.finditer(text):
        end = _phone_end(text, m)
        if end is not None:
            yield _Hit("phone", m.start(), end,
                       "looks like a phone number ({excerpt}); a phone number can identify a person. "
                       f"If it is the service's own, add it to 'allowed' in {WATCH_LISTS_FILE}")


# --- email addresses ------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _emails(text: str) -> Iterator[_Hit]:
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        yield _Hit("email", m.start(), m.end(),
                   "looks like an email address ({excerpt}); an email address can identify a person. "
                   f"If it is the service's own, add it to 'allowed' in {WATCH_LISTS_FILE}")


# --- National Insurance numbers -------------------------------------------

# Two prefix letters (D, F, I, Q, U and V are never used, nor O second), six digits,
# often written in pairs, and a suffix letter A to D: AB123456C or AB 12 34 56 C.
_NI_NUMBER = re.compile(r"""
    \b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]
    \s?\d{2}\s?\d{2}\s?\d{2}\s?
    [A-D]\b
""", re.IGNORECASE | re.VERBOSE)


# What every match ends with, from its first digit.
_NI_TAIL = r"\d\d\s?\d{2}\s?\d{2}\s?(?i:[A-D])\b"
_NI_CLUE = re.compile(_NI_TAIL)


def _ni_numbers(text: str) -> Iterator[_Hit]:
    if not _NI_CLUE.search(text):
        return
    for m in _NI_NUMBER.finditer(text):
        yield _Hit("ni-number", m.start(), m.end(),
                   "looks like a National Insurance number ({excerpt}); it identifies one person "
                   "and must never be published")


# --- ages next to names ---------------------------------------------------

_NAME = r"(?P<name>[A-Z][a-z]*(?:['’-][A-Z][a-z]+)*)"  # Jamie, Ella-Mae, O'Neil
_AGE_WORD = (r"(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
             r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)")
# An age: one or two digits, or a word, but not the start of a range ("aged 16 to 25"
# describes a group), a percentage, a decimal or a time.
_AGE = rf"(?:\d{{1,2}}|{_AGE_WORD})(?!\s*(?:%|\+|[-–]\s*\d|to\s+\d|and\s+\d|or\s+\d)|[.:,]\d|\d)"
_YEARS_OLD = r"(?:years?|months?)[- ]old\b"

# The end of each pattern, from fixed text on; one of a pattern's clues is in every match.
_COMMA_AGE = rf",\s+\d{{1,2}}(?=[,;)\n]|[.:!?](?!\d)|\Z|\s+{_YEARS_OLD})"
_BRACKET_AGE = rf"\((?:[Aa]ged?\s+)?{_AGE}(?:\s+{_YEARS_OLD})?\)"
_WHO_AGE = (rf"who\s+(?:is|was|turned|is\s+now)\s+{_AGE}\b"
            rf"(?:\s+{_YEARS_OLD}|(?!\s+(?:years?|months?|weeks?|days?|hours?|per|percent)\b))")
_NOW_AGE = rf"\s+(?:now\s+)?{_AGE}(?:\s+{_YEARS_OLD}|(?=[,.;:!?)]|\Z|\s+(?:and|but|when|so|then)\b))"

_AGE_PATTERNS = [(re.compile(pattern), tuple(re.compile(clue).search for clue in clues)) for pattern, clues in (
    # "Jamie, 14, said" / "Jamie, 14." -- the number must end the phrase, so that
    # "Leah, 3 years into her career" and "In June, 14 people joined" are left alone.
    (rf"{_NAME}{_COMMA_AGE}", [_COMMA_AGE]),
    # "Jamie (14)" / "Jamie (aged 9)" / "Jamie (9 years old)"
    (rf"{_NAME}\s*{_BRACKET_AGE}", [_BRACKET_AGE]),
    # "Jamie aged 9" / "Jamie, age 9" (plain "age" only after a comma: "Pension age 67")
    (rf"{_NAME}(?:,?\s+[Aa]ged|,\s+[Aa]ge)\s+{_AGE}", [rf"ged?\s+{_AGE}"]),
    # "14-year-old Jamie" / "fourteen year old Jamie"
    (rf"\b{_AGE}[- ](?:year|month)s?[- ]old\s+{_NAME}\b", [rf" old\s+{_NAME}\b", rf"-old\s+{_NAME}\b"]),
    # "Jamie who is 12" / "Jamie, who was 12 months old" -- but not "who is 4 years qualified"
    (rf"{_NAME},?\s+{_WHO_AGE}", [_WHO_AGE]),
    # "Jamie is 12 and loves art" / "Jay was 9 when he came into care" -- the age must end
    # the clause, so that "Castlebrook is 1 of 3 councils" is left alone.
    (rf"{_NAME}\s+(?:is|was|turned){_NOW_AGE}", [rf"is{_NOW_AGE}", rf"was{_NOW_AGE}", rf"turned{_NOW_AGE}"]),
)]

# Capitalised words that are not people: months, days, labels that take numbers, group nouns.
_NOT_NAMES = {w.casefold() for w in """
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Tomorrow Yesterday
    Grade Band Level Step Point Points Scale Year Years Page Section Room Floor Figure Table Part
    Team Teams Unit Units Up Children Child People Pupils Students Leavers Teenagers Babies Parents
    Carers Workers Practitioners Managers Posts Vacancies Hours Days Weeks Months Aged Age Ages
    However Now Then Also And But In On At By Since Until From To For With The A An Of Over Under
    About Around Nearly Almost Only Just Those These They We You I He She It Ofsted
""".split()}


def _ages(text: str) -> Iterator[_Hit]:
    for pattern, clues in _AGE_PATTERNS:
        for clue in clues:
            if clue(text):
                break
        else:
            continue
        for m in pattern.finditer(text):
            name = m.group("name")
            if len(name) < 2 or name.casefold() in _NOT_NAMES:
                continue
            yield _Hit("age", m.start(), m.end(),
                       "gives a name with an age ({excerpt}); a first name and an age together can "
                       "identify a child, so leave the age out")


# --- watch lists ----------------------------------------------------------

def _listed(text: str, folded: str, lists: WatchLists) -> Iterator[_Hit]:
    for kind, entries, why in (
        ("school", lists.schools,
         "names a school on the watch list ({excerpt}); naming a child's school can identify them"),
        ("placement", lists.placements,
         "names a placement on the watch list ({excerpt}); naming where a child lives can identify them"),
        ("name", lists.names,
         "names a person on the watch list ({excerpt}); this name must never be published"),
    ):
        watch = _watch(tuple(entries))
        if watch.pattern is None or not watch.may_match(folded):
            continue
        for m in watch.pattern.finditer(text):
            yield _Hit(kind, m.start(), m.end(), why)


# --- putting it together --------------------------------------------------

# Any postcode, address, phone or NI number found contains one of these.
_NUMBER_CLUE = re.compile(f"{_POSTCODE_TAIL}|{_ADDRESS_TAIL}|{_PHONE_TAIL}|{_NI_TAIL}")
_NUMBER_DETECTORS = (_postcodes, _addresses, _phones, _ni_numbers)


@functools.lru_cache(maxsize=32)
def _allowed_phones(allowed: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_national_digits(a) for a in allowed if _PHONE.fullmatch(a.strip()))


def _allowed(hit: _Hit, text: str, spans: list[tuple[int, int]], phones: frozenset[str]) -> bool:
    if any(start <= hit.start and hit.end <= end for start, end in spans):
        return True
    # The service's number may be written with other spacing, or as +44.
    return hit.kind == "phone" and _national_digits(text[hit.start:hit.end]) in phones


def scan_text(text: str, lists: WatchLists) -> list[Finding]:
    """Every detail in text that could identify a child or family, in reading order."""
    folded = _fold(text)
    # The order of detectors does not matter: each kind comes from one, and hits are sorted.
    hits = [*_dates_of_birth(text, folded), *_emails(text), *_ages(text), *_listed(text, folded, lists)]
    if _NUMBER_CLUE.search(text):
        hits += [h for detect in _NUMBER_DETECTORS for h in detect(text)]
    if not hits:
        return []
    allowed = _phrases(tuple(lists.allowed))
    spans = [m.span() for m in allowed.finditer(text)] if allowed else []
    phones = _allowed_phones(tuple(lists.allowed))
    findings: dict[tuple[str, int], Finding] = {}
    for hit in sorted(hits, key=lambda h: (h.start, h.kind)):
        if _allowed(hit, text, spans, phones):
            continue
        excerpt = _excerpt(text[hit.start:hit.end])
        # Two patterns of one kind can match at one place ("Jamie (aged 9)"); report it once.
        findings.setdefault((hit.kind, hit.start), Finding(
            kind=hit.kind, line=text.count("\n", 0, hit.start) + 1, excerpt=excerpt,
            message=hit.why.format(excerpt=excerpt)))
    return list(findings.values())


# ---------------------------------------------------------------------------
# Scanning photos

_CAMERA_TAGS = {  # tag: (which IFD it lives in, how to describe it)
    ExifTags.Base.Make: (None, "make"),
    ExifTags.Base.Model: (None, "model"),
    ExifTags.Base.BodySerialNumber: (ExifTags.IFD.Exif, "serial number"),
    ExifTags.Base.LensModel: (ExifTags.IFD.Exif, "lens"),
    ExifTags.Base.CameraOwnerName: (ExifTags.IFD.Exif, "owner"),
}


def _degrees(value: object, ref: object) -> float:
    d, m, s = (float(part) for part in value)  # type: ignore[union-attr]
    sign = -1 if str(ref).strip().upper() in ("S", "W") else 1
    return sign * (d + m / 60 + s / 3600)


def _position(gps: dict[int, object]) -> str:
    """'52.20833, 0.12000' from a GPS IFD, or '' if it holds no readable position."""
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return ""
    return f"{lat:.5f}, {lon:.5f}"


def _unreadable(path: Path, what: str) -> Finding:
    return Finding("photo-unreadable", 1, _excerpt(path.name),
                   f"{what} ({_excerpt(path.name)}), so it cannot be checked for a location or camera "
                   "details; save it again as a JPEG or PNG")


def scan_photo(path: Path) -> list[Finding]:
    """A GPS position or camera details left in a picture's metadata (reported on line 1)."""
    try:
        with Image.open(path) as image:
            exif = image.getexif()
            gps = dict(exif.get_ifd(ExifTags.IFD.GPSInfo))
            camera = {}
            for tag, (ifd, label) in _CAMERA_TAGS.items():
                value = (exif.get_ifd(ifd) if ifd else exif).get(tag)
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                if value is not None and str(value).strip("\x00 "):
                    camera[label] = str(value).strip("\x00 ")
    except FileNotFoundError:
        return [_unreadable(path, "the photo cannot be found")]
    # Pillow reports a damaged or unknown file in several ways; all mean "cannot check".
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError):
        return [_unreadable(path, "the file cannot be read as a picture")]
    findings = []
    gps.pop(ExifTags.GPS.GPSVersionID, None)  # present even when no position was recorded
    if gps:
        position = _position(gps)
        where = f"a GPS position ({position})" if position else "GPS data"
        findings.append(Finding("photo-location", 1, position or "GPS data",
                                f"the photo records {where} of where it was taken, which can show where "
                                "a family lives; remove the location data before publishing"))
    if camera:
        details = ", ".join(f"{label}: {value}" for label, value in camera.items())
        findings.append(Finding("photo-camera", 1, _excerpt(details),
                                f"the photo records camera details ({_excerpt(details)}), which can link "
                                "photos to the person who took them; remove the metadata before publishing"))
    return findings
