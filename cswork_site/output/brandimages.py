"""The site's icons and sharing picture, drawn from its logo on the brand colour: a 32 px
favicon, a 180 px Apple touch icon and a 1200 x 630 og:image, as PNG.

The logo is always shown on the brand's main colour (the page header), so the pictures
are drawn on that colour too. A wide logo is unreadable shrunk to 32 px, so the icons
take the logo's first mark instead: the emblem at its left, or the first letter of a
wordmark (whatever stands first with clear space after it)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import resvg_py
from PIL import Image

FAVICON = 32
TOUCH_ICON = 180
SHARE_SIZE = (1200, 630)
RENDER_HEIGHT = 256  # the logo is drawn this tall before it is cut and shrunk
WIDE = 1.3  # a logo wider than this for its height gives the icons only its first mark


@dataclass(frozen=True)
class BrandImages:
    favicon: bytes
    touch_icon: bytes
    share: bytes


def logo_pixels(logo: bytes, suffix: str, height: int = RENDER_HEIGHT) -> Image.Image:
    """The logo as RGBA pixels about `height` tall. An SVG is drawn by resvg (which loads
    nothing from outside: the logo given here is the cleaned one)."""
    if suffix == ".svg":
        png = resvg_py.svg_to_bytes(svg_string=logo.decode("utf-8"), height=height)
        return Image.open(io.BytesIO(bytes(png))).convert("RGBA")
    picture = Image.open(io.BytesIO(logo)).convert("RGBA")
    if picture.height < height:
        return picture
    return picture.resize((max(1, round(picture.width * height / picture.height)), height), Image.Resampling.LANCZOS)


def _drawn(picture: Image.Image) -> Image.Image:
    """The picture cut to what is drawn in it (its transparent margins dropped)."""
    box = picture.getchannel("A").point(lambda a: 255 if a > 16 else 0).getbbox()
    return picture.crop(box) if box else picture


def first_mark(picture: Image.Image) -> Image.Image:
    """The leftmost part of the logo with a clear gap after it: an emblem, or a first
    letter. The whole logo when nothing stands apart."""
    drawn = _drawn(picture)
    alpha = drawn.getchannel("A").point(lambda a: 255 if a > 16 else 0)
    width, height = drawn.size
    # A gap is a run of empty columns at least this wide; narrower ones are inside a mark.
    gap = max(2, height // 25)
    empty = 0
    for x in range(width):
        if alpha.crop((x, 0, x + 1, height)).getbbox() is None:
            empty += 1
            if empty >= gap and x - empty + 1 > height // 8:
                return _drawn(drawn.crop((0, 0, x - empty + 1, height)))
        else:
            empty = 0
    return drawn


def _on_colour(mark: Image.Image, size: tuple[int, int], colour: str, fill: float) -> bytes:
    """mark centred on a canvas of the brand colour, as large as fits in `fill` of it."""
    canvas = Image.new("RGBA", size, colour)
    scale = min(size[0] * fill / mark.width, size[1] * fill / mark.height)
    shown = mark.resize((max(1, round(mark.width * scale)), max(1, round(mark.height * scale))),
                        Image.Resampling.LANCZOS)
    canvas.alpha_composite(shown, ((size[0] - shown.width) // 2, (size[1] - shown.height) // 2))
    out = io.BytesIO()
    canvas.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def brand_images(logo: bytes, suffix: str, colour: str) -> BrandImages:
    picture = logo_pixels(logo, suffix)
    whole = _drawn(picture)
    mark = first_mark(picture) if whole.width > WIDE * whole.height else whole
    return BrandImages(
        favicon=_on_colour(mark, (FAVICON, FAVICON), colour, 0.84),
        touch_icon=_on_colour(mark, (TOUCH_ICON, TOUCH_ICON), colour, 0.7),
        share=_on_colour(whole, SHARE_SIZE, colour, 0.7),
    )
