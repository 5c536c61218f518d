"""Look for details that could identify a child or family before anything is published.

Stories and testimonials are written by comms officers, often from case work. Names are
changed, but a postcode, a school, a date of birth or "Jamie, 14," next to a real event
can still point to one family. ``scan_text`` looks for those details in a piece of text;
``scan_photo`` looks for a GPS position and camera details left in a picture's EXIF data.

It looks for dates of birth, postcodes, street addresses, phone numbers (UK ones by
pattern, others with the phonenumbers library), email addresses, social media handles,
National Insurance numbers, NHS numbers and Unique Pupil Numbers (with their check
digits), family court case numbers, a child's age (with or without a name), and schools,
children's homes and the full names of a child's family, by the pattern of their names.

The scan reads ordinary recruitment prose, so each pattern is written to leave alone
what such a site says all the time: salaries (£38,900), caseloads (14 to 18 children),
years (since 2019), grades, pay points, times, age ranges ("aged 16 to 25"), counts
("Visits (4)"), staff with their roles ("Priya, 34, a senior practitioner"), national
helplines (0800, 0808) and the service's own contact details.

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
from typing import TYPE_CHECKING

from PIL import ExifTags, Image, UnidentifiedImageError

from cswork_site.data.loading import load_model
from cswork_site.data.models.safeguarding import DataOverride, SafeguardingFile, SafeguardingOverride, StoryOverride
from cswork_site.problems import Problem
from cswork_site.safeguarding import N_, welsh
from cswork_site.translation import gettext

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

WATCH_LISTS_FILE = "data/safeguarding.yaml"



EXCERPT_LIMIT = 80


@dataclass(frozen=True)
class Finding:
    kind: str
    line: int  # 1-based, within the scanned text
    excerpt: str  # the matched text, on one line, shortened
    message: str  # plain words for the person who wrote the text, in their language


@dataclass(frozen=True)
class WatchLists:
    schools: tuple[str, ...] = ()
    placements: tuple[str, ...] = ()  # children's homes, foster agencies, supported lodgings
    names: tuple[str, ...] = ()  # names that must never appear, e.g. children known to the service
    # The service's own published contact details: emails, phone numbers (UK or not), social
    # media handles ("@CastlebrookCSC"), addresses. Never reported.
    allowed: tuple[str, ...] = ()
    story_overrides: tuple[StoryOverride, ...] = ()
    data_overrides: tuple[DataOverride, ...] = ()


# ---------------------------------------------------------------------------
# The watch-list file


def load_watch_lists(site: Path) -> tuple[WatchLists, list[Problem]]:
    """The watch lists of the site at site/. No file means nothing to watch for.

    Anything else at its place is an error that stops the build: a link to nothing, a
    loop of links, a folder, a named pipe, a file that cannot be read. So is a file named
    like it (safeguarding.yml, Safeguarding.yaml) when it is missing: the names in it must
    never be published, so the lists can never drop out of a build unnoticed."""
    import os

    from cswork_site.data.loading import misnamed

    file = site / WATCH_LISTS_FILE
    if not os.path.lexists(file):
        return WatchLists(), misnamed(site, WATCH_LISTS_FILE, "error", (
            "The watch lists of names, schools and placements that must never be published are "
            "read from that name only, so none are looked for and nothing is built"))
    # A file that is there but cannot be read (yamlfile.refused_file says why) is an error.
    _, model, problems = load_model(site, WATCH_LISTS_FILE, SafeguardingFile)
    if not isinstance(model, SafeguardingFile):
        return WatchLists(), problems
    return WatchLists(schools=tuple(model.schools), placements=tuple(model.placements),
                      names=tuple(model.names), allowed=tuple(model.allowed),
                      story_overrides=tuple(model.story_overrides),
                      data_overrides=tuple(model.data_overrides)), problems


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
    return [Problem(path, first_line + f.line - 1, field, gettext("safeguarding: %(finding)s", finding=f.message))
            for f in findings]


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
    # What it looks like and why it matters, in English with %(excerpt)s to fill in; a
    # finding gives it in the reader's language (translation.gettext, locale/*/messages.po).
    why: str
    key: str = ""  # for phones and handles: the number or handle, to compare with allowed ones
    listed: bool = False  # found from a watch list: never silenced by an allowed entry


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


# --- speed ------------------------------------------------------------------

# Besides the clues (see above), some patterns are slow to try at every place in a text:
# they are tried only near where their clue was found, or matched in small letters.


def _occurrences(text: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    """Where each of needles is in text, as (start, end)."""
    found = []
    for needle in needles:
        i = text.find(needle)
        while i >= 0:
            found.append((i, i + len(needle)))
            i = text.find(needle, i + 1)
    return found


def _matches_near(pattern: re.Pattern[str], text: str, anchors: Iterable[tuple[int, int]],
                  back: int, ahead: int) -> Iterator[re.Match[str]]:
    """The matches of pattern in the pieces of text from back characters before each anchor
    to ahead characters after it (pieces that overlap are joined, so none is found twice).
    The pattern still sees the text before a piece (for lookbehind and \\b)."""
    pieces: list[list[int]] = []
    for start, end in sorted(anchors):
        first, last = max(0, start - back), min(len(text), end + ahead)
        if pieces and first <= pieces[-1][1]:
            pieces[-1][1] = max(pieces[-1][1], last)
        else:
            pieces.append([first, last])
    for first, last in pieces:
        yield from pattern.finditer(text, first, last)


def _lower(text: str, folded: str) -> str:
    """text in small letters, each character where it was (folded nearly always is)."""
    if len(folded) == len(text):
        return folded
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


# --- words that are not names ---------------------------------------------

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

# Capitalised words that are labels of counts or of things, not names: "Visits (4)".
# Most are told by their ending (below); these are the common ones that are not.
_LABEL_NOUNS = {w.casefold() for w in """
    Visits Cases Plans Reviews Calls Contacts Families Places Staff Total Totals Interviews
    Starters Reports Requests Complaints Compliments Incidents Notes Tasks Goals Items Jobs Roles
    Groups Events Courses Questions Answers Responses Results Figures Rates Cost Costs Pay
    Salary Salaries Budget Agency Permanent Vacant Open Closed New Active Pending Outstanding
    Allocated Unallocated Adoptions Hearings Panels Forms Checks Audits Nights Homes Beds
    Cohort Intake Sample Respondents Survey Surveys Score Scores Week Month Care
    Council Service Services Office Offices Hub Hubs Network Forum Panel Trust Group Support
    Fostering Adoption Recruitment Evening Award Awards Plan Review Conference Court England
    Wales Scotland Britain Kingdom Social Work Leaver Leavers Day Street Road Lane School Academy
""".split()}

# Endings of nouns used as labels ("Assessment (3)", "Referrals (12)"), and given names
# with those endings, which are still names ("Florence (7)").
_LABEL_ENDINGS = ("ment", "tion", "sion", "ance", "ence", "ness", "ity", "ing", "ship", "als", "ers")
_NAMES_LIKE_LABELS = {w.casefold() for w in """
    Florence Constance Prudence Clemence Terence Clarence Lawrence Laurence Clement Vance Spence
    Felicity Verity Charity Trinity Serenity Sterling Irving Ming Xing Manning Keating Fleming
""".split()}


def _label_noun(word: str) -> bool:
    """Whether a capitalised word is more likely a label or a thing than a person's name."""
    w = word.casefold()
    if w in _NAMES_LIKE_LABELS:
        return False
    if w in _LABEL_NOUNS:
        return True
    stem = w[:-1] if w.endswith("s") and len(w) > 4 else w
    return any(stem.endswith(e) or w.endswith(e) for e in _LABEL_ENDINGS)


def _not_a_name(word: str) -> bool:
    return len(word) < 2 or word.casefold() in _NOT_NAMES or _label_noun(word)


# Staff roles: an adult named with an age and a job is a member of staff in a recruitment
# story ("Priya, 34, a senior practitioner"), not a child. Family and carer words are not
# here on purpose: "Sarah, 34, foster carer" still says who a family is.
_STAFF_ROLE = re.compile(r"""
    \s*(?:years?\s+old\s*)?[,)]?\s*(?:and\s+)?
    (?:(?:is|was|now|works\s+as|working\s+as|qualified\s+as|joined\s+as|became)\s+)?
    (?:(?:an?|our|the|one\s+of\s+our|in\s+(?:her|his|their))\s+)?
    (?:newly[- ]qualified|NQSW|ASYE|IRO
      |(?:(?:student|trainee|apprentice|agency|locum|senior|principal|advanced|consultant|qualified
          |registered|experienced|supervising|lead|children['’]s|child\s+protection|independent)\s+)*
       (?:social\s+work(?:er)?|practitioner|practice\s+(?:educator|supervisor|lead|manager)
         |(?:assistant\s+|deputy\s+)?(?:team|service|practice|operations|area|group|unit)\s+manager
         |manager|head\s+of\s+service|(?:assistant\s+|deputy\s+)?director|consultant
         |family\s+support\s+worker|personal\s+adviser|reviewing\s+officer|supervisor|mentor
         |co-?ordinator|therapist|psychologist|health\s+visitor|nurse|solicitor|barrister|lawyer
         |student|apprentice|trainee|recruiter|administrator|business\s+support|comms\s+officer
         |communications\s+officer|teacher|head\s+teacher|headteacher)
    )\b
""", re.IGNORECASE | re.VERBOSE)


def _staff_follows(text: str, end: int) -> bool:
    return _STAFF_ROLE.match(text, end) is not None


# --- dates of birth -------------------------------------------------------

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = rf"""(?:
      {_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?     # 3 March 2014, 3rd of March
    | {_MONTH}\s+{_DAY}\b(?:,?\s+\d{{4}})?            # March 3rd, 2014
    | {_MONTH}\s+\d{{4}}                              # March 2014
    | \d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b         # 03/03/2014, 3.3.14, 3/3/14
    | \d{{4}}-\d{{2}}-\d{{2}}\b                       # 2014-03-03
)"""

_DATE_OF_BIRTH = re.compile(rf"""
      \bborn\s+(?:on\s+)?(?:the\s+)?{_DATE}           # born 3 March 2014, born on the 3rd of March
    | \bborn\s+in\s+(?:(?:19|20)\d{{2}}\b|{_DATE})    # born in 2014, born in March 2014
      # A label with a date after it: "Date of birth: 3/3/2014", "her date of birth is ...".
    | \bdate\s+of\s+birth\s*(?:[:\-–]|is|was)?\s*{_DATE}
    | \bdate\s+of\s+birth\s*:
      # "Her birthday is on 3 March", "his birthday is March 3rd".
    | \bbirthday\s+(?:is\s+|was\s+|falls\s+)?(?:on\s+)?(?:the\s+)?{_DATE}
      # The short forms only turn up in case records, so they are reported with or without
      # a date; "dob" in small letters only with a date ("to dob someone in" is a verb).
    | (?:\bd\.\s?o\.\s?b\b\.?|\b(?-i:DOB)\b)(?:\s*[:\-–]?\s*{_DATE})?
    | \bdob\b\s*[:\-–]?\s*{_DATE}
      # "b. 3 March 2014", as in a family tree; a small b only, as "B." is an initial.
    | (?<![\w.])(?-i:b)\.\s?{_DATE}
""", re.IGNORECASE | re.VERBOSE)

# A recruitment site asks for *your* date of birth: the label alone, after "your", is left alone.
_YOUR = re.compile(r"\byour\s+$", re.IGNORECASE)
_HAS_DIGIT = re.compile(r"\d")

# Every match holds "born", "birth", "DOB"/"dob" or "d.o." (ignoring case, so looked for
# in _fold), or a small "b." before a date.
_DOTTED_DOB = re.compile(r"d\.\s?o\.")
_B_DOT = re.compile(r"(?<![\w.])b\.\s?(?:\d|[a-z]{3})", re.IGNORECASE)


def _dates_of_birth(text: str, folded: str) -> Iterator[_Hit]:
    if not ("born" in folded or "birth" in folded or "dob" in folded or _DOTTED_DOB.search(folded)
            or ("b." in text and _B_DOT.search(text))):
        return
    for m in _DATE_OF_BIRTH.finditer(text):
        if not _HAS_DIGIT.search(m.group()) and _YOUR.search(text, max(0, m.start() - 12), m.start()):
            continue
        yield _Hit("date-of-birth", m.start(), m.end(),
                   N_("looks like a date of birth (%(excerpt)s); a date of birth can identify a child"))


# --- postcodes ------------------------------------------------------------

# A full UK postcode: outward code (area letters, district digit, maybe a digit or letter),
# then the inward code (a digit and two letters). The letter rules of Royal Mail leave out
# Q, V, X as a first letter, I, J, Z as a second, and C, I, K, M, O, V in the inward code,
# which keeps out look-alikes. Any case: "cb4 1aa" is found too.
_POSTCODE = re.compile(r"""
    \b
    [A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?    # outward code: CB4, SW1A, M1
    [ ]?
    \d(?P<tail>[ABD-HJLNP-UW-Z]{2})   # inward code: 1AA
    \b
""", re.VERBOSE | re.IGNORECASE | re.ASCII)

# In small letters a postcode has look-alikes that capitals do not: ordinals and units,
# as in "b1 2nd floor", "a3 4th", "a4 2pp". Only capitals are read as these postcodes.
_LOOK_ALIKE_TAILS = {"st", "nd", "rd", "th", "hr", "yr", "pp", "ft", "lb", "gb"}


def _postcodes(text: str) -> Iterator[_Hit]:
    for m in _POSTCODE.finditer(text):
        if not m.group().isupper() and m.group("tail").lower() in _LOOK_ALIKE_TAILS:
            continue
        yield _Hit("postcode", m.start(), m.end(),
                   N_("looks like a UK postcode (%(excerpt)s); an address can identify a family"))


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

# A street without a number, after a word saying someone lives or moved there, or after
# on, in, at or off: "lives on Elm Road", "moved to Mill Lane", "in Orchard Close", "off
# Station Road". Not when a capitalised word follows, as in "Mill Lane Primary School".
# The finding is the street's name, so that an allowed address is matched by position.
# Speed: the street is found first (it starts with a capital), then the word before it.
_STREET = re.compile(rf"(?P<name>(?:[A-Z][\w'’-]*\s+){{1,3}})(?P<street>{_STREET_WORDS})\b(?![ \t]+[A-Z][a-z])")
_STREET_LEAD = re.compile(r"""
    (?:\b(?:lives?|living|lived|moved|moving|move|stays?|staying|stayed|resides?|residing|grew\s+up
          |house|home|flat)\s+(?:(?:in|on|at|off|near|to|into|onto|round|along|by)\s+)?
      |\b(?:on|in|at|off)\s+)\Z
""", re.IGNORECASE | re.VERBOSE)

# Courts that social workers go to are not addresses: "2 Family Court hearings".
_COURTS = {"family", "crown", "high", "county", "youth", "magistrates", "magistrates'", "supreme", "appeal"}
# Words that start a phrase, not a street's name: "in Our Way".
_NOT_STREET_NAMES = {"our", "my", "your", "his", "her", "their", "this", "that", "a", "an", "every", "its"}

# Every match holds a street word. It is capitalised, so looking for it is quick (re skips
# to capitals; a \b before it would stop that).
_STREET_CLUE = re.compile(rf"(?:{_STREET_WORDS})\b")


def _addresses(text: str) -> Iterator[_Hit]:
    streets = [m.span() for m in _STREET_CLUE.finditer(text)]
    if not streets:
        return
    why = N_("looks like a street address (%(excerpt)s); an address can identify a family")
    # A number and three words come before the street word; a capitalised word may follow it.
    for m in _matches_near(_ADDRESS, text, streets, back=60, ahead=8):
        if not (m.group("street") == "Court" and m.group("name").split()[-1].casefold() in _COURTS):
            yield _Hit("address", m.start(), m.end(), why)
    for m in _matches_near(_STREET, text, streets, back=60, ahead=8):
        words = list(re.finditer(r"\S+", m.group("name")))
        if m.group("street") == "Court" and words[-1].group().casefold() in _COURTS:
            continue
        # The street's name may start at any of its words: "In Orchard Close".
        for word in words:
            start = m.start("name") + word.start()
            if _STREET_LEAD.search(text[max(0, start - 24):start]):
                if word.group().casefold() not in _NOT_STREET_NAMES:
                    yield _Hit("address", start, m.end(), why)
                break


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


# Freephone numbers (0800, 0808) are national helplines such as Childline's and the
# NSPCC's, which a site is right to publish; they never belong to a family.
_FREEPHONE = ("0800", "0808")

_PHONE_WHY = N_("looks like a phone number (%(excerpt)s); a phone number can identify a person. "
                 "If it is the service's own, add it to 'allowed' in %(watch_lists)s")


def _phones(text: str) -> Iterator[_Hit]:
    for m in _PHONE.finditer(text):
        end = _phone_end(text, m)
        if end is not None:
            national = _national_digits(text[m.start():end])
            if not national.startswith(_FREEPHONE):
                yield _Hit("phone", m.start(), end, _PHONE_WHY, key=national)


# Numbers from abroad, written with + or 00 and a country code other than 44 ("+33 1 42 68
# 53 00", "0048 22 123 45 67"), are found by the phonenumbers library, which knows every
# country's numbering plan; only numbers it judges valid are reported. It is slower than
# a regex, so it only reads a short window after each + or 00 followed by a digit.
# (The UK detector above finds +44 and 0044 numbers; 44 is skipped here.)
_INTERNATIONAL_CLUE = re.compile(r"(?:\+|(?<![\d,.])\b00)\s?[1-9]")  # no country code starts with 0
_WINDOW = 40  # characters from the + or 00; the longest number written out is about 25


def _e164(number: PhoneNumber) -> str:
    import phonenumbers  # imported when first needed: most text has no + or 00 in it

    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _international_phones(text: str) -> Iterator[_Hit]:
    if "+" not in text and "00" not in text:
        return
    # Where a + or 00 is (found quickly as fixed text), the clue is looked for there.
    starts = _occurrences(text, ("+", "00"))
    clues = [c for start, _ in sorted(starts) if (c := _INTERNATIONAL_CLUE.match(text, start))]
    if not clues:
        return
    import phonenumbers

    seen: set[int] = set()
    for clue in clues:
        start = clue.start()
        window = text[start:start + _WINDOW]
        # "GB" so that 00 is read as the international prefix, as it is dialled from here.
        for m in phonenumbers.PhoneNumberMatcher(window, "GB", leniency=phonenumbers.Leniency.VALID):
            if m.start != 0 or m.number.country_code == 44 or start in seen:
                continue
            # A number cut off by the end of the window may be part of a longer one.
            if m.end == len(window) and start + m.end < len(text):
                continue
            seen.add(start)
            yield _Hit("phone", start, start + m.end, _PHONE_WHY, key=_e164(m.number))


# --- email addresses ------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _emails(text: str) -> Iterator[_Hit]:
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        yield _Hit("email", m.start(), m.end(),
                   N_("looks like an email address (%(excerpt)s); an email address can identify a person. "
                      "If it is the service's own, add it to 'allowed' in %(watch_lists)s"))


# --- social media handles -------------------------------------------------

# "@kieran_w" on its own (not the middle of an email address or a link), a profile link
# ("instagram.com/kieran.w", "tiktok.com/@kieran_w"), a label ("snapchat: kieranw",
# "her insta is kieran.w") or "on TikTok as kieranw".
_AT_HANDLE = re.compile(r"(?<![\w.@+/=-])@(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)(?![\w@])")
_HANDLE = r"@?(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)"
_SOCIAL_LINK = re.compile(rf"""
    (?<![\w.-])(?:https?://)?(?:www\.)?
    (?:instagram\.com|tiktok\.com|snapchat\.com/add|facebook\.com|fb\.com|twitter\.com|x\.com
      |threads\.net|youtube\.com(?=/@)|linkedin\.com/in|twitch\.tv|bsky\.app/profile)
    /{_HANDLE}
""", re.IGNORECASE | re.VERBOSE)
_LABEL_SITES = (r"instagram|insta|tiktok|tik\s+tok|snapchat|twitter|facebook|fb|youtube|discord|twitch"
                r"|telegram|bluesky|roblox|xbox|psn|playstation")
_LABEL = r"(?:\s+(?:handle|name|username|user\s+name|id|account|tag|gamertag))?"
_SOCIAL_WORDS = re.compile(rf"""
    (?:\b(?:{_LABEL_SITES}){_LABEL}\s*[:=]                                    # snapchat: kieranw
      |\b(?:her|his|their|my|your)\s+(?:{_LABEL_SITES}){_LABEL}\s+(?:is|was)\b  # her insta is kieran.w
      |\bon\s+(?:{_LABEL_SITES}|x)\s+(?:as|at|under|called)\b)                  # on TikTok as kieranw
    \s*{_HANDLE}
""", re.IGNORECASE | re.VERBOSE)
# A handle written without an @ and followed by a capitalised word is the name of a page,
# such as the service's own: "Facebook: Castlebrook Children's Services".
_PAGE_NAME = re.compile(r"[ \t]+[A-Z]")

# Words that follow "on Instagram as" or "Snapchat:" in ordinary prose: "on TikTok as well".
_NOT_HANDLES = set("""
    a an the well part soon much many often usual ever always we our us they them you your it its
    this that these those here there and or but to of for in on at with by from as is are was be
    been also too only just still now then when where what who how why which long possible
    good normal standard such one two three some any every each more most other all both no not
    yes so very really follow follows following see find join share look news updates stories
    photos videos posts live me him her his their she he i my
""".split()) | {  # CSS at-rules, which pasted HTML can carry: "@import", "@media"
    "import", "media", "font-face", "charset", "keyframes", "supports", "page", "namespace", "layer",
    "container", "property", "counter-style", "font-feature-values", "viewport"}
_DOMAIN_END = re.compile(r"\.(?:com|org|net|uk|gov|nhs|ac|co|io|info|edu)$", re.IGNORECASE)
_TIME = re.compile(r"\d{1,2}(?:[.:]\d\d)?(?:am|pm)?$", re.IGNORECASE)

# What every match contains: an @, or a site's name (looked for in _fold, as substrings,
# which is quicker than a regex).
_SOCIAL_CLUES = ("insta", "tik", "snapchat", "twitter", "facebook", "fb", "threads.net", "youtube", "linkedin",
                 "discord", "twitch", "telegram", "bluesky", "bsky.app", "roblox", "xbox", "psn", "playstation",
                 "x.com", "on x")


def _handle(handle: str) -> str | None:
    """The handle, in small letters, or None when it is a word, a time or a domain."""
    handle = handle.rstrip(".")
    if (len(handle) < 2 or handle.casefold() in _NOT_HANDLES or _TIME.match(handle)
            or _DOMAIN_END.search(handle) or handle.isdigit()):
        return None
    return handle.casefold()


def _social_handles(text: str, folded: str) -> Iterator[_Hit]:
    at = "@" in text
    if not (at or any(map(folded.__contains__, _SOCIAL_CLUES))):
        return
    why = N_("looks like a social media account (%(excerpt)s); a handle or profile link leads "
             "straight to a person. If it is the service's own, add it to 'allowed' in %(watch_lists)s")
    for pattern in (_SOCIAL_LINK, _SOCIAL_WORDS, _AT_HANDLE):
        if pattern is _AT_HANDLE and not at:
            continue
        for m in pattern.finditer(text):
            handle = m.group("handle").rstrip(".")
            key = _handle(handle)
            if not key:
                continue
            end = m.start("handle") + len(handle)
            if (pattern is _SOCIAL_WORDS and text[m.start("handle") - 1] != "@"
                    and _PAGE_NAME.match(text, end)):
                continue
            yield _Hit("social-handle", m.start(), end, why, key=key)


# --- National Insurance numbers -------------------------------------------

# Two prefix letters (D, F, I, Q, U and V are never used, nor O second), six digits,
# often written in pairs, and a suffix letter A to D: AB123456C or AB 12 34 56 C.
_NI_NUMBER = re.compile(r"""
    \b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]
    \s?\d{2}\s?\d{2}\s?\d{2}\s?
    [A-D]\b
""", re.IGNORECASE | re.VERBOSE)


def _ni_numbers(text: str, near: list[tuple[int, int]]) -> Iterator[_Hit]:
    # Two letters and a space come before the digits; a space, a letter and a word's end after.
    for m in _matches_near(_NI_NUMBER, text, near, back=3, ahead=4):
        yield _Hit("ni-number", m.start(), m.end(),
                   N_("looks like a National Insurance number (%(excerpt)s); it identifies one person "
                      "and must never be published"))


# --- NHS numbers ----------------------------------------------------------

# Ten digits, however they are spaced ("943 476 5919", "9434765919", "943-476-5919",
# "943.476.5919"), that pass the NHS check: the first nine digits weighted 10 down to 2,
# and 11 less the total's remainder on dividing by 11 is the last digit (11 counts as 0,
# and a 10 means the number cannot be an NHS number). One in eleven random runs of ten
# digits passes, so a run inside a longer number, or after a country code, is left alone.
_NHS_NUMBER = re.compile(r"(?<![\w+/.,£$-])(?<!\d[ .-])\d(?:[ .-]?\d){9}(?![\w]|[ .-]?\d)")
_COUNTRY_CODE_BEFORE = re.compile(r"(?:\+|\b00)\d{1,3}[ -]?(?:\(0\)[ -]?)?$")


def _nhs_check_digit(digits: str) -> int | None:
    """The check digit for the first nine digits of an NHS number, or None if none can be."""
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return None if check == 10 else check % 11


def _nhs_numbers(text: str, near: list[tuple[int, int]]) -> Iterator[_Hit]:
    for m in _matches_near(_NHS_NUMBER, text, near, back=0, ahead=3):
        digits = re.sub(r"\D", "", m.group())
        if _nhs_check_digit(digits) != int(digits[9]):
            continue
        if _COUNTRY_CODE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        yield _Hit("nhs-number", m.start(), m.end(),
                   N_("looks like an NHS number (%(excerpt)s); it identifies one person's health record "
                      "and must never be published"), key=digits)


# --- Unique Pupil Numbers -------------------------------------------------

# A letter and twelve characters: eleven digits and a digit, or a letter for a temporary
# UPN ("A801200001001", "a 801 2000 0100 1"). The first letter is a check letter: the
# other twelve characters weighted 2 to 13 (a letter counting as its place in the check
# alphabet), the total's remainder on dividing by 23 picks it from the check alphabet.
_UPN = re.compile(r"(?<![\w])[A-Za-z][ ]?\d(?:[ ]?\d){10}[ ]?[A-Za-z0-9](?![\w])")
_UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _upn_valid(upn: str) -> bool:
    chars = upn.replace(" ", "").upper()
    if len(chars) != 13 or chars[0] not in _UPN_ALPHABET or not chars[1:12].isdigit():
        return False
    last = chars[12]
    if not last.isdigit() and last not in _UPN_ALPHABET:
        return False
    values = [int(c) for c in chars[1:12]] + [int(last) if last.isdigit() else _UPN_ALPHABET.index(last)]
    return _UPN_ALPHABET[sum(v * w for v, w in zip(values, range(2, 14), strict=True)) % 23] == chars[0]


def _upns(text: str, near: list[tuple[int, int]]) -> Iterator[_Hit]:
    # A letter and a space come before the digits; a space and a letter may follow them.
    for m in _matches_near(_UPN, text, near, back=2, ahead=3):
        if _upn_valid(m.group()):
            yield _Hit("upn", m.start(), m.end(),
                       N_("looks like a Unique Pupil Number (%(excerpt)s); it identifies one child's "
                          "school records and must never be published"))


# --- family court case numbers --------------------------------------------

# Family court case numbers: two letters for the court, two digits for the year, a letter
# for the kind of case (C for care, P for private law, F, Z or D), and five digits, as in
# "ZW24C50123" or "BS 19 P 01234"; and any reference after "case number" or "case no.".
_COURT_NUMBER = re.compile(r"(?<![\w])[A-Za-z]{2}[ ]?\d{2}[ ]?[CPFZDcpfzd][ ]?\d{5}(?![\w])")
# In _fold, so that it starts with fixed text ("case"), which re finds quickly.
_CASE_REFERENCE = re.compile(r"""
    case(?<![a-z]case)\s+(?:number\b|no\b\.?|num\b\.?|ref(?:erence)?\b(?:\s+number\b)?)\s*(?:[:#]|is\b|was\b)?\s*
    (?P<ref>(?=[\w/-]*\d)[a-z0-9][\w/-]{2,}[a-z0-9])\b
""", re.VERBOSE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_COURT_WHY = N_("looks like a court case number (%(excerpt)s); it leads to one family's court case "
                 "and must never be published")


def _court_numbers(text: str, near: list[tuple[int, int]]) -> Iterator[_Hit]:
    # Two letters, two digits and a letter, with spaces, come before the five digits.
    for m in _matches_near(_COURT_NUMBER, text, near, back=9, ahead=2):
        yield _Hit("court-case", m.start(), m.end(), _COURT_WHY)


def _case_references(text: str, folded: str) -> Iterator[_Hit]:
    if "case" not in folded:
        return
    for m in _CASE_REFERENCE.finditer(_lower(text, folded)):
        if not _YEAR.fullmatch(m.group("ref")):  # "case numbers fell in 2024" is not a reference
            yield _Hit("court-case", m.start(), m.end(), _COURT_WHY)


# --- ages -----------------------------------------------------------------

_NAME = r"(?P<name>[A-Z][a-z]*(?:['’-][A-Z][a-z]+)*)"  # Jamie, Ella-Mae, O'Neil
_AGE_WORD = (r"(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
             r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)")
_AGE_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
              "fifteen sixteen seventeen eighteen nineteen").split()
# An age: one or two digits, or a word, but not the start of a range ("aged 16 to 25"
# describes a group), a percentage, a decimal or a time.
_AGE = (rf"(?:\d{{1,2}}|{_AGE_WORD})(?!\s*(?:%|\+|[-–]\s*\d|to\s+\d|and\s+\d|or\s+\d"
        rf"|(?:and|or)\s+(?:over|above|under|older|younger|up|below)\b)|[.:,]\d|\d)")
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

# Ages with no name: a child's age is enough, with the rest of a story, to point to one
# child. Only ages up to 19 are reported (the number is checked in _child_age).
_A_NUMBER = rf"(?:\d{{1,2}}|{_AGE_WORD}|(?i:zero))"
# Something that is a number of years old is not always a person: "our 10-year-old partnership".
_NOT_PEOPLE = (r"programmes?|programs?|schemes?|projects?|services?|partnerships?|buildings?|policy|policies"
               r"|systems?|models?|frameworks?|hubs?|offices?|strategy|contracts?|campaigns?|records?|cars?"
               r"|vans?|computers?|laptops?|software|websites?|sites?|teams?|councils?|agreements?|data"
               r"|pathways?|courses?|charity|charities|organisations?|company|companies|tradition|rules?|law")
_RANGE_BEFORE = re.compile(rf"(?:\d|\b{_AGE_WORD})\s*(?:-|–|to|and|or|-\s*to|–\s*to)\s*$")
# Each form is matched in small letters (see _lower), which re does quicker than ignoring
# case, and only when its clue (which every match of it holds) is in _fold. Each pattern
# starts with fixed text where it can, which re finds quickly.
_STANDALONE_AGES = [(form, re.compile(pattern, re.VERBOSE), clue) for form, clue, pattern in (
    # "a nine-year-old", "9 year old", "eight-month-old baby" -- not "5 year olds" (a group)
    ("old", lambda folded: ("-old" in folded or " old" in folded) and _OLD_CLUE.search(folded), rf"""
        (?<![\d.,£$])\b(?P<age>{_A_NUMBER})[- ](?P<unit>year|month|week|day)s?[- ]old\b(?!s)
        (?!\s+(?:{_NOT_PEOPLE})\b)"""),
    # "aged nine", "aged 9", "aged 6 and 8" -- not a range: "aged 16 to 25", "aged 11 and over"
    ("aged", lambda folded: _word_in(folded, "aged"), rf"""
        aged(?<!\waged)\s+(?P<age>{_A_NUMBER})\b(?:\s*(?:,|and|&)\s*{_A_NUMBER}\b)*
        (?![.:]\d|\s*(?:%|\+|[-–]|to\b|or\b|plus\b|and\s+(?:over|above|under|older|younger|up|below|beyond)
           |(?:years?\s+)?(?:and|or)\s+(?:over|above|under|older|younger|up|below)|s\b))"""),
    # "9yo", "9 y/o", "9 y.o.", "9 yrs old"
    ("yo", lambda folded: "y/o" in folded or "y.o" in folded or _YO_CLUE.search(folded), r"""
        (?<![\d.,£$])\b(?P<age>\d{1,2})\s?(?:yo\b|y/o\b|y\.o\b\.?|yrs?\s+old\b)"""),
    # "turned 16"
    ("turned", lambda folded: _word_in(folded, "turned"), rf"""
        turned(?<!\wturned)\s+(?P<age>{_A_NUMBER})\b
        (?![.:,]\d|\s*(?:%|percent|per\b|times\b|degrees\b|pages?\b|round\b|around\b|away\b|down\b|into\b
           |out\b|(?:years?|months?|weeks?|days?)\s+(?:ago|later|on|into|before|after)\b))"""),
    # "she is nine", "her son was 9 when ..." -- a person (see _SUBJECT_BEFORE), and the age
    # ends the clause. One pattern for each verb, so that each starts with fixed text.
    *(("verb", lambda folded: True, rf"""
        {verb}(?:\s+(?:now|only|just))?\s+(?P<age>{_A_NUMBER})\b(?![.:,]\d|%)
        (?:\s+{_YEARS_OLD}|(?=[,.;:!?)]|\Z|\s+(?:and|but|when|so|then|now|next|this|last)\b))""")
      for verb in (r"is(?<!\wis)", r"was(?<!\wwas)", r"turned(?<!\wturned)", r"will\ be(?<!\wwill\ be)",
                   r"'s", r"’s")),
)]
_OLD_CLUE: re.Pattern[str] = re.compile(r"(?:year|month|week|day)s?[- ]old")
_YO_CLUE: re.Pattern[str] = re.compile(r"yo\b|yrs?\s+old")
_SUBJECT_BEFORE = re.compile(r"""\b(?:he|she|who|son|daughter|brother|sister|child|boy|girl|baby|youngest|eldest
    |oldest|toddler|grandson|granddaughter|nephew|niece|twins?|teenager|sibling)\s*\Z""", re.VERBOSE)


def _word_in(folded: str, word: str) -> bool:
    """Whether word is in folded at the start of a word ("aged", but not "managed")."""
    i = folded.find(word)
    while i >= 0:
        if i == 0 or not folded[i - 1].isalnum():
            return True
        i = folded.find(word, i + 1)
    return False


# Groups described by age are not one child: "young people aged 16 and 17 can ...". But a
# count or "her" before the group makes it one family: "her two children aged 6 and 8".
# A count before the group says whether it is one family ("her two children", "3 boys")
# or a statistic ("15 children left care aged 18").
_GROUP_BEFORE = re.compile(r"""
    (?:\b(?P<count>[\w]+)\s+)?(?:\w+\s+)?
    \b(?:children|young\s+people|people|pupils|students|those|anyone|everyone|members|families|carers
      |leavers|girls|boys|teenagers|kids|adults|applicants|learners|siblings|babies|toddlers|parents|persons)
    \b(?:\s+[a-z]+){0,3}\s*,?\s*$""", re.IGNORECASE | re.VERBOSE)
_ONE_FAMILY_COUNTS = {"her", "his", "their", "my", "two", "three", "four", "five", "six", "both", "twin",
                      "2", "3", "4", "5", "6"}


def _child_age(value: str, unit: str | None) -> bool:
    number = int(value) if value.isdigit() else _AGE_WORDS.index(value.casefold())
    return unit not in (None, "year") or number <= 19


def _standalone_ages(text: str, folded: str) -> Iterator[_Hit]:
    where = _lower(text, folded)
    for form, pattern, clue in _STANDALONE_AGES:
        if not clue(folded):
            continue
        for m in pattern.finditer(where):
            unit = m.group("unit") if form == "old" else None
            if not _child_age(m.group("age"), unit):
                continue
            start = m.start()
            if form == "verb":
                subject = _SUBJECT_BEFORE.search(where, max(0, start - 16), start)
                if not subject:
                    continue
                start = subject.start()
            before = text[max(0, m.start() - 40):m.start()]
            if form == "old" and _RANGE_BEFORE.search(before):
                continue  # "8 to 12-year-old children"
            if form == "aged":
                described = _GROUP_BEFORE.search(before)
                if described and (described.group("count") or "").casefold() not in _ONE_FAMILY_COUNTS:
                    continue
            yield _Hit("age", start, m.end(),
                       N_("gives a child's age (%(excerpt)s); with the other details in a story an age can "
                          "identify a child, so leave it out or write \"a young person\""))


_AGE_IN = re.compile(r"\d{1,2}")


def _adult(match: str) -> bool:
    """Whether the age in a name-with-age match is 18 or more (ages in words stop at 19)."""
    number = _AGE_IN.search(match)
    return number is not None and int(number.group()) >= 18


def _ages(text: str, folded: str) -> Iterator[_Hit]:
    for pattern, clues in _AGE_PATTERNS:
        for clue in clues:
            if clue(text):
                break
        else:
            continue
        for m in pattern.finditer(text):
            if _not_a_name(m.group("name")) or (_adult(m.group()) and _staff_follows(text, m.end())):
                continue
            yield _Hit("age", m.start(), m.end(),
                       N_("gives a name with an age (%(excerpt)s); a first name and an age together can "
                          "identify a child, so leave the age out"))
    yield from _standalone_ages(text, folded)


# --- schools by their names -----------------------------------------------

# A name of one to four capitalised words and a kind of school: "St Mary's Primary",
# "Riverside Academy", "Castlebrook High School", "Millbrook Infants", "Hill Top Junior
# School", "Kingsmead Secondary", "Oak Grammar School", "Millbrook Pupil Referral Unit",
# "Castlebrook Sixth Form College", "Little Acorns Nursery". The kind is capitalised,
# or written in full ("Oakwood primary school").
_SCHOOL_NAME = r"(?P<name>(?:(?:St\.?|Saint)\s+)?[A-Z][\w'’-]*(?:\s+(?:St\.?\s+)?[A-Z][\w'’-]*){0,3}?)"
_SCHOOL_QUALIFIER = (r"(?:\s+(?:Church\s+of\s+England|C\s+of\s+E|CofE|CE|C\.E\.|Roman\s+Catholic|Catholic|RC|R\.C\."
                     r"|Methodist|Community|Free|Church|Voluntary\s+Aided|Foundation))?")
_SCHOOL_KIND = r"""(?P<kind>
      (?i:primary\s+(?:school|academy)|high\s+school|grammar\s+school|junior\s+school|infants?\s+school
         |secondary\s+school|middle\s+school|first\s+school|pupil\s+referral\s+unit|sixth\s+form\s+college
         |special\s+school|nursery\s+school|infant\s+and\s+junior\s+school|primary\s+and\s+nursery\s+school)
    | Primary(?!\s+(?:Care|Health|Mental|Network|Trust|Carers?|Sources?|Duty|Workers?|Tasks?|Goals?|Aims?
                     |Roles?|Contacts?|Needs?|Reasons?|Focus|Concerns?|Schools)\b)
    | Secondary(?!\s+(?:Care|Health|Mental|Network|Trust|Carers?|Sources?|Duty|Workers?|Tasks?|Goals?
                       |Aims?|Roles?|Contacts?|Needs?|Reasons?|Trauma|Schools)\b)
    | Academy(?!\s+of\b) | Infants | Juniors | Sixth\s+Form(?:\s+College)? | PRU
    | Nursery(?!\s+(?:Nurses?|Workers?|Staff|Places?))
    | School(?!\s+of\b)
)\b"""
_SCHOOL = re.compile(rf"{_SCHOOL_NAME}{_SCHOOL_QUALIFIER}\s+{_SCHOOL_KIND}", re.VERBOSE)

# Words before "Academy" or "School" that make it not a school children go to: "Social
# Work Academy", "Practice Academy", "Virtual School" (the council's service for children
# in care), "Summer School", "Business School".
_NOT_SCHOOL_WORDS = {w.casefold() for w in """
    Social Work Practice Leadership Leaders Teaching Training Learning Skills Development Management
    Workforce Professional Graduate Apprenticeship Care Fostering Adoption Safeguarding Coaching
    Supervision Frontline Police Football National Royal Virtual Summer Business Medical Medicine
    Law Sunday Night Forest Film Art Arts Drama Dance Language Nursing Holiday Winter Spring Easter
    Saturday Evening Online Open Home Public Boarding Research Engineering Music Theatre Design Policy
    Economics Health Cookery Driving Flight Staff Key Stage Khan Microsoft Google Digital Data Coding
    Code Chess Surf Ski Riding Cooking Parenting
""".split()}
# Words that begin a phrase, not a school's name ("Our Academy", "In Secondary School").
_NOT_SCHOOL_NAME = {w.casefold() for w in """
    The A An Our Your My His Her Their This That These Those Every Each Any All Some Local New Other
    Its In On At To For Of And Or But From With By Into Onto After Before During Through Why How What
    When Where Who Which Whose Supporting Starting Leaving Moving Joining Attending Visiting Meet
    Children Child Young People Pupils Students Parents Families Carers Teachers Staff Go Goes Went
    Local Nearby Same Different Big Small Large Own Mainstream Independent State Private Special
    Secure Residential Village Town City County Council
""".split()}


# Every match holds one of these, or (in _fold) one of the kinds in full.
_SCHOOL_KINDS = ("School", "Academy", "Primary", "Secondary", "Infants", "Juniors", "Sixth Form", "Nursery",
                 "PRU", "Referral Unit")
_SCHOOL_KINDS_IN_FULL = ("primary school", "primary academy", "high school", "grammar school", "junior school",
                         "infant school", "infants school", "secondary school", "middle school", "first school",
                         "pupil referral unit", "sixth form college", "special school", "nursery school")


def _schools(text: str, folded: str) -> Iterator[_Hit]:
    kinds = _occurrences(text, _SCHOOL_KINDS)
    if "school" in folded or "academy" in folded or "referral" in folded or "sixth" in folded:
        kinds += _occurrences(folded, _SCHOOL_KINDS_IN_FULL)
    if not kinds:
        return
    # A school's name is at most four words and a qualifier ("Church of England") long.
    for m in _matches_near(_SCHOOL, text, kinds, back=80, ahead=40):
        words = list(re.finditer(r"\S+", m.group("name")))
        # Keep only the words after the last one that starts a phrase: "In Secondary School".
        keep = len(words)
        while keep and words[keep - 1].group().casefold() not in _NOT_SCHOOL_NAME:
            keep -= 1
        words = words[keep:]
        if not words:
            continue
        kind = m.group("kind")
        if " " not in kind and words[-1].group().casefold() in _NOT_SCHOOL_WORDS:
            continue  # "Social Work Academy", "Virtual School"
        if kind.islower() and len(words) == 1 and re.search(r"['’]s$", words[0].group()):
            continue  # "Leah's primary school" is someone's school, not its name
        yield _Hit("school", m.start("name") + words[0].start(), m.end(),
                   N_("looks like the name of a school (%(excerpt)s); naming a child's school can identify "
                      "them, so write \"her school\" or \"a local school\""))


# --- placements by their names --------------------------------------------

# A named children's home: "Oakwood children's home", "the children's home on Mill Lane".
_HOME_NAME = r"(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})"
_CHILDRENS_HOME = re.compile(rf"""
      {_HOME_NAME}\s+(?i:children['’]?s\s+home)\b(?!s)
    | (?i:\bthe\s+children['’]?s\s+home\s+(?:on|off|near|called|named|at)\s+(?:the\s+)?)
      (?P<where>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,3}})
""", re.VERBOSE)
# A named house: "Beech Tree House", "Oakfield Lodge", "Rose Cottage", "The Grange". These
# are only placements near words about care or where a child lives (see _near_care).
_HOUSE_WORDS = ("House", "Lodge", "Cottage", "Grange")
_HOUSE = re.compile(r"(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})\s+(?:House|Lodge|Cottage|Grange)"
                    r"\b(?!\s+of\b)")
_THE_HOUSE = re.compile(r"""The\s+(?:Grange|Willows|Beeches|Elms|Oaks|Limes|Cedars|Laurels|Hollies|Firs|Poplars
    |Maples|Pines|Birches|Rowans|Paddocks|Meadows|Chestnuts|Sycamores|Lodge|Cottage|Gables|Orchards)\b""", re.VERBOSE)
_CARE_WORDS = re.compile(r"\b(?:placements?|placed|lives|living|live|lived|moved|moving|children['’]?s\s+homes?"
                         r"|residential|foster\w*|care|staying|stays|respite)\b"
                         # but not the name of a team or group: "the fostering team", "Children in Care Council"
                         r"(?!\s+(?:council|team|teams|service|services|planning|panel|recruitment|agency"
                         r"|proceedings|leavers?['’]?\s+(?:team|service|forum))\b)", re.IGNORECASE)
_OFFICE_WORDS = re.compile(r"\b(?:head\s+office|offices?|headquarters|HQ|civic\s+centre|council\s+building"
                           r"|team\s+base|our\s+base|based\s+(?:at|in)|works?\s+from|working\s+from"
                           r"|meets?\s+at|meetings?\s+at|held\s+at|events?\s+at|venue)\b",
                           re.IGNORECASE)
_NEAR = 80  # characters either side of a named house in which a care word makes it a placement
# Words that start a house's name but make it something else: "Open House", "Town House".
_NOT_HOUSE_NAMES = {w.casefold() for w in """
    The A An Our Your My His Her Their This That In On At To For Of And Or From With By Open Town
    Council Guest Public Coach Opera Care Children's Childrens Companies Portcullis White Full Green
    Safe Warm Big Small New Old Family Foster Respite Residential Short Break Breaks Group Halfway
    Dog Tree Summer Holiday Country Farm Club Meeting Wendy Play Doll Haunted Lighthouse Bath Ice
""".split()} - {"the"}


_NOT_HOME_NAMES = _NOT_HOUSE_NAMES | _NOT_SCHOOL_NAME


def _near_care(text: str, start: int, end: int) -> bool:
    around = text[max(0, start - _NEAR):end + _NEAR]
    if not _CARE_WORDS.search(around):
        return False
    return not _OFFICE_WORDS.search(text[max(0, start - 50):end + 50])


def _placements(text: str, folded: str) -> Iterator[_Hit]:
    homes = "children's home" in folded or "children’s home" in folded or "childrens home" in folded
    houses = any(map(text.__contains__, _HOUSE_WORDS))
    the_houses = "The " in text and _THE_HOUSE.search(text)
    if not (homes or houses or the_houses):
        return
    why = N_("looks like the name of a placement (%(excerpt)s); naming where a child lives can identify "
             "them, so write \"a children's home\" or \"her foster family\"")
    if homes:
        for m in _CHILDRENS_HOME.finditer(text):
            if m.group("name"):
                words = m.group("name").split()
                while words and words[0].casefold() in _NOT_HOME_NAMES:
                    words.pop(0)
                if not words:
                    continue
                yield _Hit("placement", m.start() + m.group().index(words[0]), m.end(), why)
            else:
                yield _Hit("placement", m.start(), m.end(), why)
    if houses:
        for m in _HOUSE.finditer(text):
            start = m.start()
            if m.group("name"):
                words = m.group("name").split()
                while words and words[0].casefold() in _NOT_HOUSE_NAMES:
                    words.pop(0)
                if not words:
                    if not m.group().startswith("The "):
                        continue
                else:
                    start = m.start() + m.group().index(words[0]) if words[0] != "The" else start
            if _near_care(text, start, m.end()):
                yield _Hit("placement", start, m.end(), why)
    if the_houses:
        for m in _THE_HOUSE.finditer(text):
            if _near_care(text, m.start(), m.end()):
                yield _Hit("placement", m.start(), m.end(), why)


# --- names in a family context --------------------------------------------

# A first name and surname after a word for a child or a member of their family or care
# network: ", her mum, Lisa Patel", "foster carers Sarah and Mark Thompson", "his brother
# Callum Brown". A first name alone ("her mum, Lisa") is left alone: stories use them,
# changed. So are staff, named with their role ("Priya Shah, senior practitioner").
_FAMILY_WORDS = r"""(?:
    mum|mummy|mom|mother|dad|daddy|father|brothers?|sisters?|half[- ](?:brother|sister)s?
  | step(?:brother|sister|dad|mum|father|mother)s?|sons?|daughters?|nan|nana|nanna|gran|granny
  | grandma|grandmothers?|grand(?:d)?ad|grandpa|grandfathers?|grandparents?|grand(?:son|daughter)s?
  | aunts?|auntie|aunty|uncles?|cousins?|nephews?|nieces?|twins?|siblings?
  | foster\s+(?:carers?|parents?|mum|dad|family)|kinship\s+carers?|special\s+guardians?|carers?
  | birth\s+(?:mother|father|mum|dad|parents?)|parents?|the\s+child|boy|girl|baby|young\s+person)"""
_FIRST = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_SURNAME = r"(?:[A-Z]['’])?[A-Z][a-z]*(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
# Speed: a first name and surname start with a capital, which re looks for quickly; the
# words before and after it are then read in a short piece of text.
_NAME_PAIR = re.compile(rf"(?P<first>{_FIRST})(?:\s+(?:and|&)\s+(?P<first2>{_FIRST}))?\s+(?P<surname>{_SURNAME})"
                        r"\b(?!['’-])")
_FAMILY_BEFORE = re.compile(rf"""
    \b{_FAMILY_WORDS}
    (?:\s*[,:(]\s*|\s+[-–]\s+|\s+)
    (?:(?:who\s+is\s+called|called|named|known\s+as|is|was)\s+)?\Z
""", re.VERBOSE)  # matched in _fold, in small letters, which is quicker
# A full name said to be a child in care or a care leaver: "Jamie Smith, who is in care",
# "Jamie Smith (in care)", "Jamie Smith, a looked-after child", "Jamie Smith, care leaver".
_IN_CARE_AFTER = re.compile(r"""
      \s*\((?:in\s+care|looked[- ]after|a\s+care\s+leaver|care\s+leaver)\)
    | ,?\s+who\s+(?:is|was|has\s+been|had\s+been)\s+
      (?:in\s+(?:foster\s+|residential\s+|kinship\s+)?care|looked[- ]after)\b
    | ,?\s+(?:(?:is|was)\s+)?(?:an?\s+)?(?:looked[- ]after\s+child|care\s+leaver|child\s+in\s+care)\b
""", re.VERBOSE | re.IGNORECASE)
# Capitalised words that start a phrase, not a name: "her mum, Our ...".
_NOT_PERSON = {w.casefold() for w in """
    Our Your My His Her Their This That These Every Each Dear Council Service Services Social Work
    Children's Family Families Young Foster Fostering Kinship Care Looked After Leaving Special
    Castlebrook Local Team Day Week Month Support Group Network Forum Association Hub
""".split()}
_AS_A = re.compile(r"\bas\s+an?\s+(?:\w+\s+)?\Z", re.IGNORECASE)
_IN_WORD = re.compile(r"[\w'’-]")
_FAMILY_NAME_WHY = N_("names a child or a member of their family (%(excerpt)s); a full name in a story "
                       "about a family can identify them, so use a changed first name only")


def _family_names(text: str, folded: str) -> Iterator[_Hit]:
    lower = _lower(text, folded)
    pos = 0
    while m := _NAME_PAIR.search(text, pos):
        # Given names are checked for the endings of label nouns too ("Protection Plan");
        # surnames only against the lists, as many end that way (Rogers, Manning).
        firsts = [n for n in m.group("first", "first2") if n]
        surname = m.group("surname").casefold()
        if (m.start() == 0 or not _IN_WORD.match(text, m.start() - 1)) and not (
                any(_not_a_name(n) or n.casefold() in _NOT_PERSON for n in firsts)
                or len(surname) < 2 or surname in _NOT_NAMES or surname in _LABEL_NOUNS or surname in _NOT_PERSON):
            before = lower[max(0, m.start() - 40):m.start()]
            family = _FAMILY_BEFORE.search(before)
            # "As a parent, Priya Shah knows ..." is about Priya herself.
            if family and _AS_A.search(before, 0, family.start()):
                family = None
            in_care = None if m.group("first2") else _IN_CARE_AFTER.match(text, m.end())
            if family or in_care:
                yield _Hit("name", m.start(), in_care.end() if in_care else m.end(), _FAMILY_NAME_WHY)
                pos = m.end()
                continue
        pos = m.start() + len(m.group("first"))  # the name may start at the next word


# --- watch lists ----------------------------------------------------------

def _listed(text: str, folded: str, lists: WatchLists) -> Iterator[_Hit]:
    welsh_text: bool | None = None  # worked out once, when a list has entries
    for kind, entries, why in (
        ("school", lists.schools,
         N_("names a school on the watch list (%(excerpt)s); naming a child's school can identify them")),
        ("placement", lists.placements,
         N_("names a placement on the watch list (%(excerpt)s); naming where a child lives can identify "
            "them")),
        ("name", lists.names,
         N_("names a person on the watch list (%(excerpt)s); this name must never be published")),
    ):
        watch = _watch(tuple(entries))
        if watch.pattern is not None and watch.may_match(folded):
            for m in watch.pattern.finditer(text):
                yield _Hit(kind, m.start(), m.end(), why, listed=True)
        # In Welsh a name's first letter changes after some words: "i Gerys", "a Thomos".
        if welsh_text is None and entries:
            welsh_text = welsh.looks_welsh(folded)
        mutated = welsh.mutated_entries(tuple(entries)) if entries and welsh_text else ()
        watch = _watch(mutated)
        if watch.pattern is not None and watch.may_match(folded):
            for m in watch.pattern.finditer(text):
                yield _Hit(kind, m.start(), m.end(), why, listed=True)


# --- putting it together --------------------------------------------------

# Every detector of numbers has its clue in the groups of digits in the text (digits with
# at most two of " ().-" or spaces between one and the next), found in one look:
#   - a UK phone number, NHS number or UPN: a group of at least 10 digits;
#   - a National Insurance number: at least 6 digits with only spaces between them;
#   - a court case number: 5 digits in a row;
#   - a postcode: a group followed by two letters and the end of a word (the inward code).
# Those detectors are then run only near the groups that are their clues.
_DIGIT_GROUP = re.compile(r"\d(?:[\s().-]{0,2}\d)*")
_NOT_SPACE_OR_DIGIT = re.compile(r"[().-]+")


@dataclass
class _Numbers:
    long: list[tuple[int, int]]  # groups of 10 digits or more
    six: list[tuple[int, int]]  # groups with 6 digits or more between other separators than spaces
    five: list[tuple[int, int]]  # groups with 5 digits in a row
    inward: bool  # whether a group ends with a postcode's inward code


def _numbers(text: str) -> _Numbers:
    numbers = _Numbers([], [], [], False)
    for m in _DIGIT_GROUP.finditer(text):
        group, span = m.group(), m.span()
        if group.isdigit():
            digits, spaced, run = len(group), len(group), len(group)
        else:
            digits = sum(map(str.isdigit, group))
            pieces = _NOT_SPACE_OR_DIGIT.split(group)
            spaced = max(sum(map(str.isdigit, piece)) for piece in pieces)
            run = max(len(word) for piece in pieces for word in piece.split() or [""])
        if digits >= 10:
            numbers.long.append(span)
        if spaced >= 6:
            numbers.six.append(span)
        if run >= 5:
            numbers.five.append(span)
        if not numbers.inward:
            tail = text[m.end():m.end() + 3]
            letters = tail[:2]
            numbers.inward = (len(letters) == 2 and letters.isascii() and letters.isalpha()
                              and not (tail[2:].isascii() and (tail[2:].isalnum() or tail[2:] == "_")))
    return numbers


@dataclass(frozen=True)
class _Allowed:
    phones: frozenset[str]  # UK numbers as national digits, others in E.164 form
    handles: frozenset[str]  # social media handles, in small letters, without the @


@functools.lru_cache(maxsize=32)
def _allowed_keys(allowed: tuple[str, ...]) -> _Allowed:
    phones = {_national_digits(a) for a in allowed if _PHONE.fullmatch(a.strip())}
    for a in allowed:
        if _INTERNATIONAL_CLUE.match(a.strip()):
            phones.update(h.key for h in _international_phones(a.strip()))
    handles = set()
    for a in allowed:
        entry = a.strip()
        if re.fullmatch(r"@[\w.]+", entry):
            handles.add(entry[1:].casefold())
        else:
            handles.update(h.key for h in _social_handles(entry, _fold(entry)) if h.start == 0)
    return _Allowed(frozenset(phones), frozenset(handles))


# What an allowed entry (the service's own contact details and addresses) can silence:
# never a listed name, school or placement, an age, a date of birth or a person's number.
_ALLOWABLE = frozenset({"phone", "email", "postcode", "address", "social-handle", "school", "placement"})


def _allowed(hit: _Hit, spans: list[tuple[int, int]], keys: _Allowed) -> bool:
    if hit.listed or hit.kind not in _ALLOWABLE:
        return False
    if any(start <= hit.start and hit.end <= end for start, end in spans):
        return True
    # The service's number may be written with other spacing, or as +44; its handle in
    # other capitals, or in a link.
    if hit.kind == "phone":
        return hit.key in keys.phones
    if hit.kind == "social-handle":
        return hit.key in keys.handles
    return False


def _welsh(text: str, folded: str) -> Iterator[_Hit]:
    for found in (welsh.ages(text, folded), welsh.dates_of_birth(text, folded), welsh.addresses(text),
                  welsh.schools(text)):
        for kind, start, end, why in found:
            yield _Hit(kind, start, end, why)


def scan_text(text: str, lists: WatchLists) -> list[Finding]:
    """Every detail in text that could identify a child or family, in reading order."""
    folded = _fold(text)
    # The watch lists first: where one of their entries and a pattern find the same words,
    # the watch list's message is the one given.
    hits = [*_listed(text, folded, lists), *_dates_of_birth(text, folded), *_emails(text),
            *_social_handles(text, folded), *_ages(text, folded), *_addresses(text),
            *_case_references(text, folded), *_schools(text, folded), *_placements(text, folded),
            *_family_names(text, folded), *_international_phones(text), *_welsh(text, folded)]
    numbers = _numbers(text)
    if numbers.inward:
        hits += _postcodes(text)
    if numbers.five:
        hits += _court_numbers(text, numbers.five)
    if numbers.six:
        hits += _ni_numbers(text, numbers.six)
    if numbers.long:
        hits += [*_phones(text), *_nhs_numbers(text, numbers.long), *_upns(text, numbers.long)]
    if not hits:
        return []
    allowed = _phrases(tuple(lists.allowed))
    spans = [m.span() for m in allowed.finditer(text)] if allowed else []
    keys = _allowed_keys(tuple(lists.allowed))
    findings: list[Finding] = []
    reach: dict[str, int] = {}  # for each kind, where the last finding of it ends
    # Earliest first, and the longest of those starting at one place; stable, so the watch
    # lists win a tie.
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if _allowed(hit, spans, keys):
            continue
        # Two patterns of one kind can match the same words ("Sky, aged 15", "aged 15");
        # report them once.
        if hit.start < reach.get(hit.kind, -1):
            reach[hit.kind] = max(reach[hit.kind], hit.end)
            continue
        reach[hit.kind] = hit.end
        excerpt = _excerpt(text[hit.start:hit.end])
        findings.append(Finding(kind=hit.kind, line=text.count("\n", 0, hit.start) + 1, excerpt=excerpt,
                                message=gettext(hit.why, excerpt=excerpt, watch_lists=WATCH_LISTS_FILE)))
    return findings


# ---------------------------------------------------------------------------
# Scanning photos

_CAMERA_TAGS = {  # tag: (which IFD it lives in, how to describe it)
    ExifTags.Base.Make: (None, N_("make")),
    ExifTags.Base.Model: (None, N_("model")),
    ExifTags.Base.BodySerialNumber: (ExifTags.IFD.Exif, N_("serial number")),
    ExifTags.Base.LensModel: (ExifTags.IFD.Exif, N_("lens")),
    ExifTags.Base.CameraOwnerName: (ExifTags.IFD.Exif, N_("owner")),
}


def _degrees(value: object, ref: object) -> float:
    if not isinstance(value, tuple | list):  # EXIF is the photo's word: it may hold anything
        raise TypeError("expected degrees, minutes and seconds")
    d, m, s = (float(part) for part in value)
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


def _unreadable(path: Path, why: str) -> Finding:
    return Finding("photo-unreadable", 1, _excerpt(path.name), gettext(why, excerpt=_excerpt(path.name)))


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
        return [_unreadable(path, N_("the photo cannot be found (%(excerpt)s), so it cannot be checked for a "
                                     "location or camera details; save it again as a JPEG or PNG"))]
    # Pillow reports a damaged or unknown file in several ways; all mean "cannot check".
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError):
        return [_unreadable(path, N_("the file cannot be read as a picture (%(excerpt)s), so it cannot be "
                                     "checked for a location or camera details; save it again as a JPEG or PNG"))]
    findings = []
    gps.pop(ExifTags.GPS.GPSVersionID, None)  # present even when no position was recorded
    if gps:
        position = _position(gps)
        message = (gettext("the photo records a GPS position (%(position)s) of where it was taken, which can "
                           "show where a family lives; remove the location data before publishing",
                           position=position) if position else
                   gettext("the photo records GPS data of where it was taken, which can show where a family "
                           "lives; remove the location data before publishing"))
        findings.append(Finding("photo-location", 1, position or "GPS data", message))
    if camera:
        details = ", ".join(f"{label}: {value}" for label, value in camera.items())  # as overrides quote it
        shown = ", ".join(f"{gettext(label)}: {value}" for label, value in camera.items())
        findings.append(Finding("photo-camera", 1, _excerpt(details),
                                gettext("the photo records camera details (%(details)s), which can link photos "
                                        "to the person who took them; remove the metadata before publishing",
                                        details=_excerpt(shown))))
    return findings
