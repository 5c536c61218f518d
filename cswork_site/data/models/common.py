"""Building blocks shared by several data files."""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from cswork_site.languages import DEFAULT_LANGUAGE, LANGUAGES, current
from cswork_site.problems import describe, did_you_mean

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Url = HttpUrl

# Ids become parts of URLs, so they are lower-case words joined by hyphens.
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)]

# ---------------------------------------------------------------------------
# Text in each of the site's languages
#
# A free-text field (a title, a sentence) is written either as plain text, in the site's
# main language, or as a mapping of language code to text: `title: {en: Social worker,
# cy: Gweithiwr cymdeithasol}`. The model holds the text of the language being written
# (languages.current()); where the mapping has none in that language it holds the main
# language's, so a page never shows less than the main one. check_site validates the
# models once per language of the site.

_site_languages: ContextVar[tuple[str, ...]] = ContextVar("cswork_site_languages", default=())


@contextmanager
def site_languages(codes: Sequence[str]) -> Iterator[None]:
    """Two-language text inside is keyed by these codes, the first the main language.
    Outside, any language cswork knows may be given, and English is the main one."""
    token = _site_languages.set(tuple(codes))
    try:
        yield
    finally:
        _site_languages.reset(token)


def text_languages() -> tuple[str, ...]:
    """The language codes two-language text may give, the main one first."""
    return _site_languages.get() or (DEFAULT_LANGUAGE, *(c for c in LANGUAGES if c != DEFAULT_LANGUAGE))


def texts_by_language(value: dict[Any, Any]) -> dict[str, str]:
    """A two-language mapping's text by language code, checked: keys are the site's
    language codes (in any case, with any spaces round them), each once, each with text."""
    allowed = text_languages()
    choices = ", ".join(allowed)
    if not value:
        raise ValueError(f"expected the text in each language, like {{{allowed[0]}: ...}}; found an empty mapping")
    texts: dict[str, str] = {}
    for key, text in value.items():
        code = key.strip().casefold() if isinstance(key, str) else None
        if code not in allowed:
            raise ValueError(f"expected language codes as keys ({choices}); found {describe(key)}")
        if code in texts:
            raise ValueError(f"expected each language once; found {code} twice ({key!r})")
        if isinstance(text, bool) or not isinstance(text, (str, int, float, Decimal)):
            raise ValueError(f"{code}: expected text; found {describe(text)}")
        if not str(text).strip():
            raise ValueError(f"{code}: expected text; found none")
        texts[code] = str(text)
    return texts


def _in_language(value: Any) -> Any:
    if not isinstance(value, dict):
        return value  # plain text is the main language's
    texts = texts_by_language(value)
    main = text_languages()[0]
    return texts.get(current().code) or texts.get(main) or next(iter(texts.values()))


# Put last in a text type's Annotated: the field then takes text in each language.
IN_EACH_LANGUAGE = BeforeValidator(_in_language)


def is_two_language(metadata: object) -> bool:
    return getattr(metadata, "func", None) is _in_language


# The free-text types, in each language: titles, sentences, descriptions (not ids, names
# of people and places, references, addresses).
BiText = Annotated[Text, IN_EACH_LANGUAGE]
BiShortText = Annotated[ShortText, IN_EACH_LANGUAGE]
BiLongText = Annotated[LongText, IN_EACH_LANGUAGE]

# ---------------------------------------------------------------------------
# Numbers
#
# Every number a data file, a snapshot, a pull or an import gives is a figure someone
# will read: it must be finite, and of a size a figure can have. NaN and infinity (YAML's
# .nan and .inf, JSON's NaN and Infinity, a spreadsheet's "nan") are no figure, and a
# number like 1E+999999999 is three characters in a file but a billion digits once a page,
# figures.json or figures.csv writes it out. Both are refused where they are read, with
# the field named, so nothing downstream ever has to cope with one.

LIMIT_DIGITS = 12
NUMBER_LIMIT = 10 ** LIMIT_DIGITS  # no count, rate, amount or caseload comes near a million million
MAX_DECIMAL_PLACES = 20  # more than any measured figure has; 1E-999999999 has a billion
MAX_DIGITS = 40


class NotANumber(str):
    """A JSON NaN, Infinity or -Infinity, as written: read as this rather than refused by the
    JSON parser, so the refusal can name the field it was in."""


_NOT_FINITE = re.compile(r"^[+-]?\.?(?:s?nan\d*|inf|infinity)$", re.IGNORECASE)
_NUMERAL = re.compile(r"^[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?$")


def _written(value: object) -> str:
    """value as the person wrote it (near enough), quoted and short, for 'found ...'."""
    if isinstance(value, float):
        text = repr(value)  # nan, inf, -inf, 1e+300
    elif isinstance(value, int) and value.bit_length() > 600:  # str() of a huge int is slow, or refused
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    else:
        text = str(value).strip()
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _decimal_problem(value: Decimal, shown: str) -> str | None:
    if not value.is_finite():
        return f"expected a number; found {shown}, which is not a number"
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    zero = not any(digits)
    if exponent > LIMIT_DIGITS or (not zero and value.adjusted() >= LIMIT_DIGITS):
        return f"expected a number; found {shown}, a number too large to be a figure"
    if exponent < -MAX_DECIMAL_PLACES or len(digits) > MAX_DIGITS:
        return f"expected a number; found {shown}, which has more digits than a figure can have"
    return None


def number_problem(value: object) -> str | None:
    """Why value cannot be a figure, in words for whoever wrote it; None if it can be, or
    if it is not a number at all (that is for the field's own type to say)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, NotANumber):
        return f"expected a number; found {_written(value)}, which is not a number"
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"expected a number; found {_written(value)}, which is not a number"
        if abs(value) >= NUMBER_LIMIT:
            return f"expected a number; found {_written(value)}, a number too large to be a figure"
        return None
    if isinstance(value, int):
        if abs(value) >= NUMBER_LIMIT:
            return f"expected a number; found {_written(value)}, a number too large to be a figure"
        return None
    if isinstance(value, Decimal):
        return _decimal_problem(value, _written(value))
    if isinstance(value, str):
        text = value.strip()
        if _NOT_FINITE.match(text):
            return f"expected a number; found {_written(text)}, which is not a number"
        if len(text) > 10_000 and text[:1].isdigit():  # no figure is written with so many digits
            return f"expected a number; found {_written(text)}, which has more digits than a figure can have"
        if _NUMERAL.match(text):
            try:
                number = Decimal(text.replace("_", ""))
            except InvalidOperation:  # an exponent too big even for Decimal
                return f"expected a number; found {_written(text)}, a number too large to be a figure"
            return _decimal_problem(number, _written(text))
    return None


def _finite(value: Any) -> Any:
    problem = number_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# Put first in a numeric type's Annotated: the type then refuses NaN, infinity and numbers
# too large to be figures with a message that names the field (or the list item).
FINITE = BeforeValidator(_finite)

Money = Annotated[int, FINITE, Field(ge=0, le=1_000_000)]
# A measured or counted figure: a rate, a caseload, an amount, a headcount.
Number = Annotated[Decimal, FINITE]

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _colour(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError("expected a colour written as # and 6 hex digits, like #1d4f6e")
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.lower()


Colour = Annotated[str, AfterValidator(_colour)]


def not_below(field: str, value, info: ValidationInfo):
    """For each low/high pair; the error points at the high one, where it is usually wrong."""
    low = info.data.get(field)
    if low is not None and value < low:
        raise ValueError(f"expected {info.field_name} to be at least {field} ({low}); found {value}")
    return value


def at_least_min(value, info: ValidationInfo):
    return not_below("min", value, info)


def _is_finite(metadata: object) -> bool:
    return getattr(metadata, "func", None) is _finite


def _number_kind(annotation: Any, screened: bool = False) -> str | None:
    """'one' for a number (or an optional one), 'items' for a list of numbers, None for
    anything else, or for numbers whose own type is already FINITE."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = typing.get_args(annotation)
        return _number_kind(inner, screened or any(_is_finite(m) for m in metadata))
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(annotation)
        if str in members:  # text or a number: text that looks like nan is text
            return None
        kinds = {_number_kind(m, screened) for m in members} - {None}
        return "one" if "one" in kinds else kinds.pop() if kinds else None
    if origin in (list, tuple, set, frozenset):
        kinds = {_number_kind(m, screened) for m in typing.get_args(annotation) if m is not Ellipsis}
        return "items" if "one" in kinds else None
    if annotation in (int, float, Decimal):
        return None if screened else "one"
    return None


_NUMBER_FIELDS: dict[type, dict[str, str]] = {}


def _number_fields(model: type[BaseModel]) -> dict[str, str]:
    fields = _NUMBER_FIELDS.get(model)
    if fields is None:
        fields = {}
        for name, info in model.model_fields.items():
            screened = any(_is_finite(m) for m in info.metadata)
            kind = _number_kind(info.annotation, screened)
            if kind:
                fields[name] = kind
        _NUMBER_FIELDS[model] = fields
    return fields


class Model(BaseModel):
    """Unknown keys are reported (as warnings, with a suggestion) rather than ignored.

    Every number field, whatever its type, refuses NaN, infinity and numbers too large to
    be figures (see number_problem), so no data file can put one on a page."""

    # Numbers are accepted where text is expected: `pay_year: 2025` means the text "2025".
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              coerce_numbers_to_str=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_figures(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, NotANumber):  # JSON's NaN or Infinity is no value for any field
            raise ValueError(number_problem(value))
        kind = _number_fields(cls).get(info.field_name or "")
        if kind == "one":
            _finite(value)
        elif kind == "items" and isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                problem = number_problem(item)
                if problem:
                    raise ValueError(f"item {i}: {problem}")
        return value


class Source(Model):
    name: ShortText = Field(description="What the page is, e.g. HMRC: Rates and thresholds for employers")
    url: Url = Field(description="The official page the figures were taken from")


class Image(Model):
    path: ShortText = Field(description="Picture file, relative to the site folder, e.g. content/images/team.jpg")
    alt: Annotated[str, Field(max_length=300), IN_EACH_LANGUAGE] = Field(
        default="", description="What the picture shows, for people who cannot see it")
    decorative: bool = Field(default=False, description="true if the picture adds nothing a reader needs")
    caption: BiShortText | None = None


# Where a consent lets an item be used. An item goes on the website only when its
# consent's scope includes "website"; the other words record what else was agreed.
CONSENT_SCOPES = {
    "website": "this site: its pages, feeds, downloads and search",
    "social media": "the service's social media accounts",
    "print": "leaflets, posters and other printed material",
    "video": "films and recorded video",
    "events": "talks and displays at recruitment and other events",
    "press": "newspapers, magazines and press releases",
    "intranet": "the council's own staff intranet",
    "email": "emails and newsletters",
    "reports": "reports and papers for councillors and partners",
}
WEBSITE_SCOPE = "website"


def _scope_word(value: object) -> object:
    if not isinstance(value, str):
        return value
    word = " ".join(value.replace("-", " ").replace("_", " ").split()).casefold()
    if word not in CONSENT_SCOPES:
        suggestion = did_you_mean(word, CONSENT_SCOPES)
        hint = f"{suggestion} " if suggestion else ""
        raise ValueError(f"{hint}expected one of: {', '.join(CONSENT_SCOPES)}; found {value!r}")
    return word


ScopeWord = Annotated[str, BeforeValidator(_scope_word)]


class Consent(Model):
    UNPUBLISHED: ClassVar = "*"  # a record kept, never shown: not screened for publication
    given_by: ShortText = Field(
        description="Who gave consent, by role, e.g. 'the worker' or 'young person and their carer'")
    date: dt.date
    scope: list[ScopeWord] = Field(min_length=1, description=(
        "Where it may be used: any of website, social media, print, video, events, press, "
        "intranet, email, reports. Only an item whose scope includes website goes on the site"))
    expires: dt.date = Field(description="Date after which it may no longer be published")
    reference: ShortText = Field(description="The consent record's reference in your records system")


class Approval(Model):
    UNPUBLISHED: ClassVar = "*"
    approver_role: ShortText = Field(description="Who approved publication, by role")
    date: dt.date


