"""Make an SVG logo safe to publish: the drawing stays, anything that could run or fetch goes.

An SVG is a document, not only a picture: opened at its own address it can run scripts,
and it can load other files (fonts, pictures, style sheets) from anywhere. The logo is
published on the site's own domain, so what it holds is cleaned on the way out.

The file is read with the standard library's expat parser, and refused outright when it
declares a DOCTYPE or entities (the "billion laughs" and external entity attacks need
them, and a logo never does). Then these are left out:

- elements that run, embed or hide things: script, foreignObject, metadata, iframe,
  object, embed, audio, video, handler, and anything outside the SVG vocabulary (an
  XHTML script or an editor's private elements)
- animate/set (and the other animation elements) that change a link or an event attribute
- every on* attribute (onload, onclick, ...), and xml:base
- href and xlink:href that are not a link inside the file (#id) or an embedded PNG, JPEG
  or WebP picture (data:image/png;base64,...): web addresses, javascript:, other files
- style attributes and <style> elements with url(...) to anything but #id, @import,
  or CSS escapes; other attributes with such a url(...)
- comments and processing instructions

``clean_svg`` returns the bytes to publish and a description of what was left out. A file
that needed nothing left out is published byte for byte as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NoReturn
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 2 * 1024 * 1024  # a logo is a few kilobytes; more is a mistake or a hostile file
MAX_DEPTH = 100

# Compared in lower case, whatever namespace prefix they are written with.
DROPPED = {"script", "foreignobject", "metadata", "iframe", "object", "embed", "audio", "video",
           "handler", "listener"}
ANIMATIONS = {"animate", "set", "animatetransform", "animatecolor", "animatemotion"}
_SAFE_DATA = re.compile(r"data:image/(?:png|jpeg|webp)(?:;base64)?,[A-Za-z0-9+/=\s]*", re.IGNORECASE)
_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_LOADS = re.compile(r"@import|image-set\s*\(|expression\s*\(|-moz-binding|behavior\s*:", re.IGNORECASE)


class SvgRefused(Exception):
    """An SVG that cannot be published; ``message`` completes "found 'PATH', which ..."."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class CleanSvg:
    data: bytes  # what to publish
    removed: tuple[str, ...]  # what was left out, e.g. "2 script elements"; empty when nothing was

    @property
    def summary(self) -> str:
        return ", ".join(self.removed)


@dataclass
class _Element:
    name: str  # as written, with its prefix: svg, xlink:href
    attrs: list[tuple[str, str]]
    scope: dict[str, str]  # prefix -> namespace, "" for the default
    children: list[_Element | str] = field(default_factory=list)

    @property
    def namespace(self) -> str | None:
        prefix = self.name.partition(":")[0] if ":" in self.name else ""
        return self.scope.get(prefix)

    @property
    def local(self) -> str:
        return self.name.rpartition(":")[2].lower()


class _Refuse(Exception):
    pass


def _parse(data: bytes) -> tuple[_Element, Counter[str], str | None]:
    """The document's root element, what the parser itself left out, and the declared encoding."""
    parser = expat.ParserCreate()  # prefixes are resolved here, so names keep how they were written
    parser.buffer_text = True
    parser.ordered_attributes = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    removed: Counter[str] = Counter()
    stack: list[_Element] = []
    root: list[_Element] = []
    declared: list[str | None] = [None]

    def refuse_doctype(*_args) -> None:
        raise _Refuse("declares a DOCTYPE; an SVG logo needs none, and one can define entities "
                      "that expand without end or read other files: delete the <!DOCTYPE ...> line "
                      "(save it from your editor as plain SVG)")

    def refuse_entity(*_args: object) -> NoReturn:
        raise _Refuse("declares an entity (<!ENTITY ...>), which can expand without end or read "
                      "other files; save it from your editor as plain SVG")

    def start(name: str, attrs: list[str]) -> None:
        if len(stack) >= MAX_DEPTH:
            raise _Refuse(f"nests elements more than {MAX_DEPTH} deep; a logo never does")
        pairs = list(zip(attrs[::2], attrs[1::2], strict=True))  # expat gives name, value, name, value...
        scope = dict(stack[-1].scope) if stack else {"xml": XML_NS}
        for key, value in pairs:
            if key == "xmlns":
                scope[""] = value
            elif key.startswith("xmlns:"):
                scope[key[len("xmlns:"):]] = value
        element = _Element(name, pairs, scope)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(_name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].children.append(data)

    def xml_decl(_version, encoding, _standalone) -> None:
        declared[0] = encoding

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.CommentHandler = lambda _text: removed.update(["comment"])
    parser.ProcessingInstructionHandler = lambda _target, _data: removed.update(["processing instruction"])
    parser.XmlDeclHandler = xml_decl
    try:
        parser.Parse(data, True)
    except _Refuse as exc:
        raise SvgRefused(str(exc)) from None
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise SvgRefused(f"is not a well-formed SVG file ({reason}, line {exc.lineno}): "
                         "export it again from your drawing program") from None
    except (ValueError, LookupError, RecursionError) as exc:  # an encoding expat cannot read, say
        raise SvgRefused(f"cannot be read as an SVG file ({exc}): save it as UTF-8 SVG") from None
    if not root:
        raise SvgRefused("holds no drawing: export it again from your drawing program")
    return root[0], removed, declared[0]


def _safe_link(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or bool(_SAFE_DATA.fullmatch(value))


def _loads_from_elsewhere(css: str, style: bool) -> bool:
    """Whether CSS (a style attribute or element; any attribute when style is False) could
    load something that is not in this file."""
    urls = _URL.findall(css)
    if re.sub(r"\s+", "", css.lower()).count("url(") != len(urls):  # a url( the pattern cannot read
        return True
    if any(not target.strip().startswith("#") for _, target in urls):
        return True
    return style and ("\\" in css or bool(_CSS_LOADS.search(css)))


def _clean(element: _Element, svg_ns: str | None, removed: Counter[str]) -> None:
    kept_attrs = []
    for key, value in element.attrs:
        local = key.rpartition(":")[2].lower()
        prefix = key.partition(":")[0] if ":" in key else None
        if key == "xmlns" or key.startswith("xmlns:"):
            kept_attrs.append((key, value))
        elif prefix is not None and prefix not in element.scope:
            removed[f"{key} attribute (its prefix is not declared)"] += 1
        elif local.startswith("on"):
            removed[f"{local} attribute"] += 1
        elif key == "xml:base":
            removed["xml:base attribute"] += 1
        elif local == "href" and not _safe_link(value):
            what = "javascript: link" if value.strip().lower().startswith("javascript:") else "link to another file"
            removed[what] += 1
        elif local == "style" and _loads_from_elsewhere(value, True):
            removed["style attribute loading from elsewhere"] += 1
        elif local != "style" and _loads_from_elsewhere(value, False):
            removed[f"{local} attribute with url() to another file"] += 1
        else:
            kept_attrs.append((key, value))
    element.attrs = kept_attrs
    kept: list[_Element | str] = []
    for child in element.children:
        if isinstance(child, str):
            kept.append(child)
            continue
        why = _dropped(child, svg_ns)
        if why:
            removed[why] += 1
            continue
        _clean(child, svg_ns, removed)
        kept.append(child)
    element.children = kept


def _dropped(element: _Element, svg_ns: str | None) -> str | None:
    """Why element is left out whole, or None to keep it."""
    if element.namespace != svg_ns:
        return f"{element.name} element (not SVG)"
    local = element.local
    if local in DROPPED:
        return f"{element.name} element"
    if local in ANIMATIONS:
        target = dict(element.attrs).get("attributeName", "").strip().rpartition(":")[2].lower()
        if target == "href" or target.startswith("on") or target in ("style", "base"):
            return f"{element.name} element changing {target}"
    if local == "style":
        css = "".join(c for c in element.children if isinstance(c, str))
        if any(not isinstance(c, str) for c in element.children) or _loads_from_elsewhere(css, True):
            return "style element loading from elsewhere"
    return None


def _escape(text: str, quote: bool) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if quote:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _write(element: _Element, out: list[str]) -> None:
    out.append("<" + element.name)
    for key, value in element.attrs:
        out.append(f' {key}="{_escape(value, True)}"')
    if not element.children:
        out.append("/>")
        return
    out.append(">")
    for child in element.children:
        if isinstance(child, str):
            out.append(_escape(child, False))
        else:
            _write(child, out)
    out.append(f"</{element.name}>")


def _plural(what: str, n: int) -> str:
    if n == 1:
        return what
    return f"{n} " + re.sub(r"\b(element|attribute|link|comment|instruction)\b", r"\1s", what, count=1)


def clean_svg(data: bytes) -> CleanSvg:
    """The SVG to publish and what was left out of it; raises SvgRefused for a file that
    is no SVG, or one that must not be parsed at all."""
    if len(data) > MAX_BYTES:
        raise SvgRefused(f"is {len(data) / 2**20:.1f} MB; an SVG logo of more than "
                         f"{MAX_BYTES // 2**20} MB is not a logo: export it again, simplified")
    root, removed, declared = _parse(data)
    if root.name.rpartition(":")[2] != "svg":
        raise SvgRefused(f"is an XML file whose root is <{root.name}>, not an SVG drawing (<svg>)")
    if root.namespace != SVG_NS:
        raise SvgRefused(f'is not marked as SVG: its <svg> needs xmlns="{SVG_NS}", or browsers will '
                         "not show it: export it again from your drawing program")
    _clean(root, SVG_NS, removed)
    try:
        data.decode("utf-8")
        plain_utf8 = (declared or "utf-8").lower() in ("utf-8", "utf8")
    except UnicodeDecodeError:
        plain_utf8 = False
    if not removed and plain_utf8:
        return CleanSvg(data, ())  # exactly what was checked: nothing to leave out
    out: list[str] = []
    _write(root, out)
    described = tuple(_plural(what, n) for what, n in sorted(removed.items()))
    return CleanSvg(("".join(out) + "\n").encode("utf-8"), described)
