"""Clean the HTML that Markdown stories produce, with nh3, to a short allowlist.

Comms officers may paste HTML into a story; only plain structure survives. Scripts,
styles, event handlers, iframes, forms and images from other sites never reach a page
(story pictures go through the Image metadata and the image pipeline instead).
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "a", "strong", "em", "b", "i", "blockquote", "q", "cite", "code", "pre", "abbr",
    "sup", "sub", "span", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "sup": {"id"}, "li": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_H1 = re.compile(r"<(/?)h1\b", re.I)
_WORD = re.compile(r"\w+")  # as Jinja's wordcount filter counts


def clean_html(html: str) -> str:
    # A story's title is the page's only h1, so headings inside a story start at h2.
    html = _H1.sub(r"<\1h2", html)
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


class CleanHTML(str):
    """HTML already cleaned, with the number of words a reader sees. A story is cleaned
    and counted where its Markdown is converted (in parallel); Pelican's content hook
    then leaves it as it is."""

    words: int


def clean_story(html: str) -> CleanHTML:
    clean = CleanHTML(clean_html(html))
    clean.words = word_count(clean)
    return clean


def word_count(html: str) -> int:
    """Words in the text of html, as `html|striptags|wordcount` counts them in a template."""
    return len(_WORD.findall(Markup(html).striptags()))
