"""The text a reader will see, made from what a person typed, for the safeguarding scan.

A detail can be typed so that it does not look like itself but still reads as itself on
the page: split by emphasis or an empty span (``**Kieran** Walsh``), written with
character references (``Ki&#101;ran``), hidden behind zero-width characters or soft
hyphens, or spelt with Cyrillic or Greek letters that look like Latin ones. The scan
therefore reads the published HTML, not the Markdown, and reads it the way a browser
shows it: tags and comments gone, references decoded, Unicode normalised (NFKC),
invisible characters removed, accents and look-alike letters folded to plain Latin.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

# Elements a browser shows on a line of their own: their edges separate words.
_BLOCKS = frozenset("""
    address article aside blockquote br caption dd details div dl dt figcaption figure footer
    form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot
    th thead tr ul
""".split())
# Attributes whose values are published (shown as tooltips, or followed as links).
_SHOWN_ATTRIBUTES = frozenset({"title", "href", "alt", "src", "srcset", "aria-label", "content"})

# Cyrillic and Greek letters a reader takes for Latin ones (one to one, so a name spelt
# with them still matches the watch list).
_LOOK_ALIKES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g", "ӏ": "l", "ү": "y",
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ї": "I", "Ј": "J", "Ү": "Y",
    "Ԛ": "Q", "Ԝ": "W", "Һ": "H", "Ӏ": "I",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin letters that case-folding or NFKC leave apart from their plain twins
    "ı": "i", "ſ": "s", "ℓ": "l",
    # Line and paragraph separators are line breaks to a reader
    "\u2028": "\n", "\u2029": "\n",
})
_SPACES = re.compile(r"[^\S\n]+")
_MARKDOWN_MARKS = re.compile(r"\\(?=[^\w\s])|[*_~`]+")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<!--.*?(?:-->|$)|<[^>]*>", re.S)


def normalise(text: str) -> str:
    """text as a reader takes it in: NFKC, invisible characters (zero-width spaces and
    joiners, soft hyphens, bidirectional controls) removed, accents and look-alike
    letters folded to plain Latin, runs of spaces made one space."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = text.translate(_LOOK_ALIKES)
        decomposed = unicodedata.normalize("NFKD", text)
        # Cf: format characters (U+200B, U+00AD, U+2060, U+FEFF, ...); Mn: combining marks.
        text = "".join(c for c in decomposed if unicodedata.category(c) not in ("Cf", "Mn"))
        text = unicodedata.normalize("NFKC", text).translate(_LOOK_ALIKES)
    return _SPACES.sub(" ", text)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")
        self.attributes += [value for name, value in attrs if name in _SHOWN_ATTRIBUTES and value]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def text_of_html(markup: str) -> str:
    """What a browser shows of markup (a fragment), then the values of the attributes it
    shows or follows (titles, links), each on a line of its own; normalised."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = re.sub(r"\n\s*\n+", "\n", "".join(parser.parts)).strip("\n")
    shown = [html.unescape(a) for a in parser.attributes]
    return normalise("\n".join([text, *shown]) if shown else text)


def readings(value: str) -> list[str]:
    """Every way a plain-text field (a title, a tag, a quote) can read once published: as
    typed; with references decoded and tags dropped (a template may strip tags, and a
    feed reader decodes them); and with Markdown's marks and links taken out
    (``**Kieran**``, ``[Kieran](...)``).
    Each normalised; the same reading is not given twice."""
    found: list[str] = []
    for reading in (value, _TAG.sub("", html.unescape(value)), html.unescape(_TAG.sub("", value))):
        unmarked = _MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", reading))
        for text in (reading, unmarked):
            text = normalise(text)
            if text not in found:
                found.append(text)
    return found


def squash(text: str) -> str:
    """For comparing two pieces of text: normalised, one space, no case."""
    return " ".join(normalise(text).split()).casefold()
