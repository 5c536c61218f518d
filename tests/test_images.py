"""Photos lose every trace of where and with what they were taken, and come out resized.

Every picture here is made by Pillow in the test, with the metadata a phone or camera
writes, so the checks see real files rather than mocks.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, ImageDraw, IptcImagePlugin
from PIL.PngImagePlugin import PngInfo

from cswork_site.output import pictures as images
from cswork_site.output.pictures import (
    ImageError,
    ProcessedImage,
    Rendition,
    alt_problem,
    image_problems,
    process_image,
)

RED, BLUE, GREEN = (220, 20, 20), (30, 60, 200), (20, 160, 60)
SECRET = b"Secret Comment 42 Acacia Avenue"
CAMERA = "SnoopCam"
CITY = b"Leeds-Headingley"
XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="53,48.5N"'
       b' exif:GPSLongitude="1,33.2W"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')

# Long markers cannot turn up by chance in compressed pixel data, so the whole file is
# searched for them. Short ones (b"Exif", b"GPS") could, so they are searched for in
# everything except the picture data itself (see _metadata_bytes).
LONG_MARKERS = [b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"Exif\x00\x00", b"ICC_PROFILE",
                CAMERA.encode(), SECRET, CITY, b"GPSLatitude", b"XML:com.adobe.xmp", b"8BIM"]
SHORT_MARKERS = [b"Exif", b"GPS", b"XMP", b"ICCP", b"iCCP", b"tEXt", b"iTXt", b"zTXt", b"eXIf"]


# --- making pictures -----------------------------------------------------------------


def _picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Blue with a red block at top left and a green one at bottom right, so turns show."""
    w, h = size
    im = Image.new(mode, size, BLUE if mode != "RGBA" else BLUE + (255,))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, w // 4, h // 4), fill=RED)
    draw.rectangle((w - w // 4, h - h // 4, w, h), fill=GREEN)
    return im


def _exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.Model] = "Model X Serial 0042"
    exif[ExifTags.Base.Software] = "PhoneOS 17"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (53.0, 48.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (1.0, 33.0, 12.0)
    return exif


def _iptc_segment() -> bytes:
    """An APP13 segment as Photoshop writes it, with IPTC City (2:90). Pillow cannot write one."""
    dataset = b"\x1c\x02\x5a" + struct.pack(">H", len(CITY)) + CITY
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(dataset)) + dataset
    resource += b"\x00" * (len(dataset) % 2)
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def _srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_jpeg(path: Path, size=(1400, 1000), orientation: int | None = None, im=None) -> Path:
    """A JPEG carrying EXIF (camera, GPS), XMP, an ICC profile, a comment and IPTC."""
    im = im or _picture(size)
    im.save(path, "JPEG", quality=90, exif=_exif(orientation), xmp=XMP,
            icc_profile=_srgb_icc(), comment=SECRET)
    data = path.read_bytes()
    path.write_bytes(data[:2] + _iptc_segment() + data[2:])  # just after SOI
    return path


def text_png(path: Path, size=(800, 600), mode="RGB") -> Path:
    info = PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_text("Location", CITY.decode())
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    _picture(size, mode).save(path, "PNG", pnginfo=info, exif=_exif(), icc_profile=_srgb_icc())
    return path


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims a size but holds no pixels: tests limits without using memory."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    return path


# --- checking output -----------------------------------------------------------------


def _jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment before the first scan's picture data."""
    assert data[:2] == b"\xff\xd8"
    out, pos = [], 2
    while True:
        marker = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        out.append((marker, data[pos + 4:pos + 2 + length]))
        pos += 2 + length
        if marker == 0xDA:  # SOS: compressed data follows
            return out


def _webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    out, pos = [], 12
    while pos < len(data):
        kind, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        out.append((kind, data[pos + 8:pos + 8 + size]))
        pos += 8 + size + (size % 2)
    return out


def _metadata_bytes(path: Path) -> bytes:
    """Everything in the file except compressed pixels, after checking its structure."""
    data = path.read_bytes()
    if path.suffix == ".jpg":
        segments = _jpeg_segments(data)
        # Only JFIF (APP0), tables, frame header and scan header: no APPn, no COM.
        assert {m for m, _ in segments} <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}, segments
        return b"".join(bytes([m]) + body for m, body in segments)
    chunks = _webp_chunks(data)
    assert {k for k, _ in chunks} <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}, [k for k, _ in chunks]
    for kind, body in chunks:
        if kind == b"VP8X":
            assert body[0] & 0b00101100 == 0  # ICC, EXIF and XMP flags all clear
    return b"".join(kind for kind, _ in chunks)


HARMLESS_INFO = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive",
                 "progression", "loop", "background", "duration", "timestamp"}


def assert_clean(path: Path) -> None:
    data = path.read_bytes()
    for marker in LONG_MARKERS:
        assert marker not in data, f"{path.name} contains {marker!r}"
    header = _metadata_bytes(path)
    for marker in SHORT_MARKERS:
        assert marker not in header, f"{path.name} contains {marker!r} outside the pixel data"
    with Image.open(path) as im:
        assert dict(im.getexif()) == {}
        assert set(im.info) <= HARMLESS_INFO, im.info
        assert IptcImagePlugin.getiptcinfo(im) is None


def all_files(result: ProcessedImage, site: Path) -> list[Path]:
    return [site / r.url for r in result.webp + result.jpeg]


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "output"


def _process(src: Path, out: Path, **kw) -> ProcessedImage:
    return process_image(src, f"content/images/{src.name}", out / "images", **kw)


# --- metadata ------------------------------------------------------------------------


def test_camera_jpeg_has_metadata_to_lose(tmp_path):
    """The fixture really carries what we claim to strip, or the other tests prove nothing."""
    src = camera_jpeg(tmp_path / "team.jpg")
    with Image.open(src) as im:
        exif = im.getexif()
        assert exif[ExifTags.Base.Make] == CAMERA
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert im.info["xmp"] == XMP
        assert im.info["comment"] == SECRET
        assert im.info["icc_profile"]
        assert IptcImagePlugin.getiptcinfo(im)[(2, 90)] == CITY
    data = src.read_bytes()
    for marker in (b"Exif", b"GPS", b"http://ns.adobe.com/xap", b"Photoshop 3.0", SECRET):
        assert marker in data


def test_camera_jpeg_renditions_carry_no_metadata(tmp_path, out):
    result = _process(camera_jpeg(tmp_path / "team.jpg"), out)
    files = all_files(result, out)
    assert len(files) == 8
    for path in files:
        assert_clean(path)


def test_png_text_chunks_exif_and_profile_are_dropped(tmp_path, out):
    src = text_png(tmp_path / "poster.png")
    with Image.open(src) as im:
        assert im.info["Comment"] and im.info["XML:com.adobe.xmp"] and im.getexif()
    for path in all_files(_process(src, out), out):
        assert_clean(path)


def test_webp_source_metadata_is_dropped(tmp_path, out):
    src = tmp_path / "shared.webp"
    _picture((700, 500)).save(src, "WEBP", exif=_exif(), xmp=XMP, icc_profile=_srgb_icc())
    with Image.open(src) as im:
        assert im.getexif()
    for path in all_files(_process(src, out), out):
        assert_clean(path)


# --- sizes ---------------------------------------------------------------------------


def test_renditions_in_both_formats_at_every_width_keeping_shape(tmp_path, out):
    result = _process(camera_jpeg(tmp_path / "Team Photo.jpg"), out)
    assert [r.width for r in result.webp] == [320, 640, 960, 1280]
    assert [r.width for r in result.jpeg] == [320, 640, 960, 1280]
    assert [r.height for r in result.jpeg] == [229, 457, 686, 914]  # 1400 x 1000, rounded
    assert (result.width, result.height) == (1280, 914)
    assert result.source == "content/images/Team Photo.jpg"
    for rendition in result.webp + result.jpeg:
        assert abs(rendition.width / rendition.height - 1.4) < 0.01
        with Image.open(out / rendition.url) as im:
            assert im.size == (rendition.width, rendition.height)
            assert im.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition.format]
            if rendition.format == "jpeg":
                assert im.mode == "RGB"


def test_urls_and_file_layout(tmp_path, out):
    """Files are named by the content's hash and the width alone: the source's name (often
    who is in the photo) is never published."""
    result = process_image(camera_jpeg(tmp_path / "Team Photo.jpg"), "team.jpg", out / "img", url_prefix="img")
    folder = result.webp[0].url.split("/")[1]
    assert len(folder) == 12 and all(c in "0123456789abcdef" for c in folder)
    assert result.webp[1] == Rendition(f"img/{folder}/640.webp", 640, 457, "webp")
    assert result.jpeg[1] == Rendition(f"img/{folder}/640.jpg", 640, 457, "jpeg")
    assert sorted(p.name for p in (out / "img" / folder).iterdir()) == sorted(
        f"{w}.{ext}" for w in (320, 640, 960, 1280) for ext in ("webp", "jpg"))


@pytest.mark.parametrize("use_cache", [False, True])
def test_the_source_name_is_never_published(tmp_path, out, use_cache):
    src = camera_jpeg(tmp_path / "kieran-walsh-aged-9.jpg")
    result = _process(src, out, cache_dir=tmp_path / "cache" if use_cache else None)
    urls = [r.url for r in result.webp + result.jpeg]
    assert not [u for u in urls if "kieran" in u.lower()]
    assert not [p for p in out.rglob("*") if "kieran" in p.name.lower()]


def test_srcsets_and_fallback(tmp_path, out):
    result = _process(camera_jpeg(tmp_path / "team.jpg", size=(1000, 500)), out)
    base = result.jpeg[0].url.rsplit("/", 1)[0]
    assert result.webp_srcset == (f"{base}/320.webp 320w, {base}/640.webp 640w, "
                                  f"{base}/960.webp 960w, {base}/1000.webp 1000w")
    assert result.jpeg_srcset == (f"{base}/320.jpg 320w, {base}/640.jpg 640w, "
                                  f"{base}/960.jpg 960w, {base}/1000.jpg 1000w")
    assert result.fallback == Rendition(f"{base}/1000.jpg", 1000, 500, "jpeg")


@pytest.mark.parametrize(("width", "expected"), [
    (200, [200]),  # smaller than every width: one rendition at its own size
    (320, [320]),
    (700, [320, 640, 700]),  # its own width too, so no detail is lost; never 960 or 1280
    (3000, [320, 640, 960, 1280]),
])
def test_never_upscaled(tmp_path, out, width, expected):
    src = tmp_path / "small.png"
    _picture((width, 100)).save(src)
    result = _process(src, out)
    assert [r.width for r in result.jpeg] == expected
    assert [r.width for r in result.webp] == expected
    for rendition in result.jpeg:
        with Image.open(out / rendition.url) as im:
            assert im.width == rendition.width <= width


def test_custom_widths(tmp_path, out):
    result = _process(camera_jpeg(tmp_path / "team.jpg"), out, widths=(800, 400))
    assert [r.width for r in result.webp] == [400, 800]


def test_exif_orientation_is_applied(tmp_path, out):
    # Stored on its side, 800 x 400, with orientation 6: "turn 90 degrees clockwise to view".
    src = camera_jpeg(tmp_path / "sideways.jpg", size=(800, 400), orientation=6)
    result = _process(src, out)
    assert (result.width, result.height) == (400, 800)  # upright
    for rendition in result.webp + result.jpeg:
        with Image.open(out / rendition.url) as im:
            rgb = im.convert("RGB")
            w, h = rgb.size
            assert (w, h) in {(320, 640), (400, 800)}
            # The red block, top left as stored, is top right once turned clockwise.
            assert _near(rgb.getpixel((w - 10, 10)), RED)
            assert _near(rgb.getpixel((10, 10)), BLUE)
            assert _near(rgb.getpixel((10, h - 10)), GREEN)
            assert ExifTags.Base.Orientation not in im.getexif()  # else browsers turn it again


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


# --- transparency and unusual modes ---------------------------------------------------


def _transparent_source(path: Path, mode: str) -> Path:
    im = Image.new("RGBA", (400, 300), (0, 0, 0, 0))  # see-through everywhere...
    ImageDraw.Draw(im).rectangle((100, 100, 300, 200), fill=RED + (255,))  # ...but a red block
    if mode == "P":
        im = im.convert("P", palette=Image.Palette.ADAPTIVE)
        im.info["transparency"] = im.getpixel((0, 0))
        im.save(path, transparency=im.getpixel((0, 0)))
    elif mode == "LA":
        im.convert("LA").save(path)
    else:
        im.save(path)
    return path


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparency_kept_in_webp_and_flattened_on_white_in_jpeg(tmp_path, out, mode):
    result = _process(_transparent_source(tmp_path / f"logo-{mode}.png", mode), out)
    with Image.open(out / result.webp[0].url) as webp:
        assert webp.mode == "RGBA"
        assert webp.getpixel((5, 5))[3] == 0
        assert webp.getpixel((160, 120))[3] == 255
    with Image.open(out / result.jpeg[0].url) as jpeg:
        assert jpeg.mode == "RGB"
        assert _near(jpeg.getpixel((5, 5)), (255, 255, 255), 10)
        assert not _near(jpeg.getpixel((160, 120)), (255, 255, 255), 10)


def test_opaque_pictures_have_no_alpha(tmp_path, out):
    result = _process(camera_jpeg(tmp_path / "team.jpg"), out)
    with Image.open(out / result.webp[0].url) as im:
        assert im.mode == "RGB"


@pytest.mark.parametrize("mode", ["L", "CMYK", "1"])
def test_other_modes_become_rgb(tmp_path, out, mode):
    src = tmp_path / f"odd-{mode}.{'png' if mode == '1' else 'jpg'}"
    _picture((400, 300)).convert(mode).save(src)
    result = _process(src, out)
    for path in all_files(result, out):
        with Image.open(path) as im:
            assert im.mode == "RGB"
        assert_clean(path)


# --- URLs, cache, the original --------------------------------------------------------


def test_url_changes_when_the_picture_changes(tmp_path, out):
    src = tmp_path / "team.png"
    _picture((700, 500)).save(src)
    first = _process(src, out)
    assert _process(src, tmp_path / "again").jpeg == first.jpeg  # same bytes, same URLs
    im = _picture((700, 500))
    im.putpixel((350, 250), (0, 0, 0))
    im.save(src)
    changed = _process(src, out)
    assert changed.jpeg[0].url != first.jpeg[0].url
    assert changed.webp[0].url.rsplit("/", 1)[1] == first.webp[0].url.rsplit("/", 1)[1]  # only the folder
    assert _process(src, out, widths=(320,)).jpeg[0].url != changed.jpeg[0].url


def test_cache_is_reused_without_encoding_again(tmp_path):
    src = camera_jpeg(tmp_path / "team.jpg")
    cache = tmp_path / "cache"
    first = _process(src, tmp_path / "build1", cache_dir=cache)
    cached = sorted(p for p in cache.rglob("*") if p.is_file())
    assert len(cached) == 9  # 4 widths x 2 formats, and the list of sizes
    old = 1_000_000_000  # 2001: any rewrite would show as a new time
    for p in cached:
        os.utime(p, (old, old))
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cached}

    second = _process(src, tmp_path / "build2", cache_dir=cache)
    assert second == first
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cached} == before
    assert sorted(p for p in cache.rglob("*") if p.is_file()) == cached  # nothing new, no temp files
    for r in first.webp + first.jpeg:
        assert (tmp_path / "build1" / r.url).read_bytes() == (tmp_path / "build2" / r.url).read_bytes()
        assert (tmp_path / "build2" / r.url).stat().st_mtime == old  # linked or copied, not re-encoded
        assert_clean(tmp_path / "build2" / r.url)

    # Building into the same output again is also fine (files already there).
    assert _process(src, tmp_path / "build2", cache_dir=cache) == first


def test_cache_serves_a_renamed_copy_under_the_same_urls(tmp_path):
    src = camera_jpeg(tmp_path / "team.jpg")
    cache = tmp_path / "cache"
    first = _process(src, tmp_path / "b1", cache_dir=cache)
    renamed = tmp_path / "our-team.jpg"
    renamed.write_bytes(src.read_bytes())
    second = _process(renamed, tmp_path / "b2", cache_dir=cache)
    assert [r.url for r in second.jpeg + second.webp] == [r.url for r in first.jpeg + first.webp]
    assert len([p for p in cache.rglob("*") if p.is_file()]) == 9
    assert (tmp_path / "b2" / second.jpeg[0].url).is_file()


def test_incomplete_cache_entry_is_rebuilt(tmp_path):
    src = camera_jpeg(tmp_path / "team.jpg")
    cache = tmp_path / "cache"
    first = _process(src, tmp_path / "b1", cache_dir=cache)
    (cache / first.jpeg[0].url.split("/")[1] / "640.jpg").unlink()
    second = _process(src, tmp_path / "b2", cache_dir=cache)
    assert second == first
    for path in all_files(second, tmp_path / "b2"):
        assert_clean(path)


@pytest.mark.parametrize("use_cache", [False, True])
def test_original_is_never_changed(tmp_path, out, use_cache):
    src = camera_jpeg(tmp_path / "team.jpg", orientation=6)
    old = 1_200_000_000
    os.utime(src, (old, old))
    data, mtime = src.read_bytes(), src.stat().st_mtime_ns
    for _ in range(2):
        _process(src, out, cache_dir=tmp_path / "cache" if use_cache else None)
    assert src.read_bytes() == data
    assert src.stat().st_mtime_ns == mtime
    assert list(tmp_path.glob("*.jpg")) == [src]  # nothing written beside it


# --- alt text ------------------------------------------------------------------------


@pytest.mark.parametrize(("alt", "decorative", "expected"), [
    ("Priya, a senior social worker, talking with a colleague in the office kitchen", False, None),
    ("", True, None),
    ("", False, "is required: describe the picture, or set decorative: true"),
    ("   ", False, "is required: describe the picture, or set decorative: true"),
    ("IMG_1234.jpg", False, "which is a file name"),
    ("IMG_1234", False, "which is a file name"),
    ("DSC01234", False, "which is a file name"),
    ("team photo final (2).PNG", False, "which is a file name"),
    ("x" * 250, False, None),
    ("x" * 251, False, "expected at most 250 characters; found 251"),
    ("A sunset", True, "decorative: true hides it"),
    ("Photo of the team at the 2024 awards", False, None),
])
def test_alt_problem(alt, decorative, expected):
    message = alt_problem(alt, decorative)
    if expected is None:
        assert message is None
    else:
        assert message is not None and expected in message


# --- bad files -----------------------------------------------------------------------


def _expect_error(src: Path, out: Path, *phrases: str) -> ImageError:
    with pytest.raises(ImageError) as info:
        process_image(src, "content/images/bad", out / "images")
    message = info.value.message
    assert "content/images/bad" in message or "no such file" in message
    for phrase in phrases:
        assert phrase in message, message
    assert "\n" not in message and "Traceback" not in message
    assert not (out / "images").exists() or not any((out / "images").rglob("*.*"))
    return info.value


def test_not_a_picture(tmp_path, out):
    src = tmp_path / "notes.jpg"
    src.write_text("Dear team, here are the photos...\n")
    _expect_error(src, out, "expected a JPEG, PNG or WebP picture", "not a picture")


def test_empty_file(tmp_path, out):
    src = tmp_path / "empty.jpg"
    src.write_bytes(b"")
    _expect_error(src, out, "expected a JPEG, PNG or WebP picture")


@pytest.mark.parametrize("kind", ["jpg", "png"])
def test_truncated_picture(tmp_path, out, kind):
    full = tmp_path / f"full.{kind}"
    camera_jpeg(full) if kind == "jpg" else text_png(full)
    src = tmp_path / f"cut.{kind}"
    src.write_bytes(full.read_bytes()[: full.stat().st_size * 2 // 3])
    _expect_error(src, out, "damaged or cut short")


def test_unsupported_format(tmp_path, out):
    src = tmp_path / "animated.gif"
    _picture((400, 300)).save(src, "GIF")
    _expect_error(src, out, "which is in GIF format", "save it as JPEG")


def test_missing_file(tmp_path, out):
    _expect_error(tmp_path / "nowhere.jpg", out, "there is no such file")


def test_file_too_large(tmp_path, out, monkeypatch):
    src = camera_jpeg(tmp_path / "team.jpg")
    monkeypatch.setattr(images, "MAX_FILE_BYTES", src.stat().st_size - 1)
    _expect_error(src, out, "MB", "export it smaller")


def test_too_many_pixels_is_refused_before_decoding(tmp_path, out):
    # 8000 x 7000 is 56 megapixels: under Pillow's own limit, over ours.
    _expect_error(_png_header_only(tmp_path / "huge.png", 8000, 7000), out,
                  "at most 50 megapixels", "8000 x 7000")


def test_decompression_bomb_is_refused(tmp_path, out):
    # 10 gigapixels: Pillow itself refuses to open it.
    _expect_error(_png_header_only(tmp_path / "bomb.png", 100_000, 100_000), out, "at most 50 megapixels")


def test_image_problems_are_reported_as_lines(tmp_path):
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a picture")
    problems = image_problems("data/testimonials.yaml", 14, "testimonials[0].photo", bad,
                              "content/images/notes.jpg", alt="IMG_0001.JPG")
    lines = [str(p) for p in problems]
    assert lines[0].startswith("data/testimonials.yaml:14: testimonials[0].photo.path: expected a JPEG")
    assert "'content/images/notes.jpg'" in lines[0]
    assert lines[1].startswith("data/testimonials.yaml:14: testimonials[0].photo.alt: expected a description")
    assert all(p.is_error for p in problems)

    good = camera_jpeg(tmp_path / "team.jpg")
    assert image_problems("data/t.yaml", 3, "photo", good, "team.jpg", alt="Sam at her desk") == []
    assert str(ImageError("is odd").problem("data/t.yaml", 3, "photo.path")) == "data/t.yaml:3: photo.path: is odd"


# --- once per build, on all cores ----------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _mixed_pictures(folder: Path) -> dict[str, Path]:
    """Pictures that take every path through decoding: turned, see-through, and a JPEG
    large enough to be decoded at half size."""
    folder.mkdir(parents=True, exist_ok=True)
    pictures = {
        "team.jpg": camera_jpeg(folder / "team.jpg"),
        "turned.jpg": camera_jpeg(folder / "turned.jpg", size=(1000, 700), orientation=6),
        "large.jpg": camera_jpeg(folder / "large.jpg", size=(3600, 2700)),
        "large-turned.jpg": camera_jpeg(folder / "large-turned.jpg", size=(3000, 2600), orientation=8),
        "notes.png": text_png(folder / "notes.png", mode="RGBA"),
        "logo.png": _transparent_source(folder / "logo.png", "P"),
    }
    return {f"content/images/{name}": path for name, path in pictures.items()}


def test_a_picture_named_many_times_is_decoded_once(tmp_path):
    src = camera_jpeg(tmp_path / "team.jpg", size=(1401, 999))  # a size no other test uses: checks are kept
    copy = tmp_path / "team-copy.jpg"
    copy.write_bytes(src.read_bytes())  # the same picture under another name
    before = dict(images.counts)
    for i in range(40):  # as 40 stories naming it would be checked
        assert images.check_image(src if i % 2 else copy, f"content/images/{src.name}") == (1401, 999)
    assert images.counts["checked"] - before.get("checked", 0) == 1

    cache = tmp_path / "cache"
    sources = {"content/images/team.jpg": src, "content/images/team-copy.jpg": copy,
               "content/images/../images/team.jpg": src}
    found = images.process_images(sources, tmp_path / "out" / "images", cache_dir=cache, workers=2)
    assert images.counts["encoded"] - before.get("encoded", 0) == 1
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 1
    assert len({tuple(r.url for r in f.webp + f.jpeg) for f in found.values()}) == 1
    assert [f.source for f in found.values()] == list(sources)

    images.process_images(sources, tmp_path / "out2" / "images", cache_dir=cache)  # the next build
    assert images.counts["encoded"] - before.get("encoded", 0) == 1


def test_a_refused_picture_is_reported_every_time_it_is_named(tmp_path):
    bad = tmp_path / "cut.jpg"
    bad.write_bytes(camera_jpeg(tmp_path / "full.jpg", size=(1399, 1001)).read_bytes()[:20_000])
    before = images.counts["checked"]
    for _ in range(5):
        with pytest.raises(ImageError, match="damaged or cut short"):
            images.check_image(bad, "content/images/cut.jpg")
    assert images.counts["checked"] - before == 1


@pytest.mark.parametrize("use_cache", [False, True])
def test_parallel_and_serial_give_the_same_bytes(tmp_path, use_cache):
    sources = _mixed_pictures(tmp_path / "src")
    results = []
    for name, workers in (("serial", 1), ("again", 1), ("parallel", 2)):
        cache = tmp_path / f"cache-{name}" if use_cache else None
        found = images.process_images(sources, tmp_path / name / "images", cache_dir=cache, workers=workers)
        results.append((found, _files(tmp_path / name)))
    (serial, serial_files), (again, again_files), (parallel, parallel_files) = results
    assert serial == again == parallel
    assert serial_files == again_files == parallel_files
    assert len(serial_files) == 2 * (4 + 3 + 4 + 4 + 3 + 2)  # fewer widths for the narrower ones
    for found in serial.values():
        for path in all_files(found, tmp_path / "serial"):
            assert_clean(path)


def test_a_picture_changed_on_disk_gets_new_bytes_in_parallel_too(tmp_path):
    sources = _mixed_pictures(tmp_path / "src")
    cache = tmp_path / "cache"
    first = images.process_images(sources, tmp_path / "b1" / "images", cache_dir=cache, workers=2)
    camera_jpeg(sources["content/images/team.jpg"], im=_picture((1400, 1000)).rotate(180))
    second = images.process_images(sources, tmp_path / "b2" / "images", cache_dir=cache, workers=2)
    changed = [k for k in sources if first[k] != second[k]]
    assert changed == ["content/images/team.jpg"]


def test_large_jpegs_decoded_smaller_keep_their_shape_and_turn(tmp_path, out):
    sources = _mixed_pictures(tmp_path / "src")
    found = images.process_images(sources, out / "images")
    large, turned = sources["content/images/large.jpg"], sources["content/images/large-turned.jpg"]
    assert images._decode(large.read_bytes(), "large.jpg", 1280)[0].size == (1800, 1350)  # half size
    assert images._decode(turned.read_bytes(), "large-turned.jpg", 1280)[0].size == (1300, 1500)
    assert [(r.width, r.height) for r in found["content/images/large.jpg"].jpeg] == [
        (320, 240), (640, 480), (960, 720), (1280, 960)]
    # Heights come from the full size (2600 x 3000 upright), not the one decoded.
    turned_out = found["content/images/large-turned.jpg"]
    assert [(r.width, r.height) for r in turned_out.webp] == [(320, 369), (640, 738), (960, 1108), (1280, 1477)]
    with Image.open(out / turned_out.jpeg[-1].url) as im:
        assert im.size == (1280, 1477)
        # _picture puts red at the top left; turned back upright (orientation 8), it is at bottom left.
        assert _near(im.getpixel((40, 1440)), RED) and _near(im.getpixel((1240, 40)), GREEN)
    assert images.check_image(turned, "large-turned.jpg") == (2600, 3000)


def test_workers_in_a_process_with_threads_are_not_forked(tmp_path):
    """As under `cswork serve`, whose server runs in threads: a fork server is used."""
    import threading

    sources = _mixed_pictures(tmp_path / "src")
    serial = images.process_images(sources, tmp_path / "serial" / "images", workers=1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert images._context().get_start_method() != "fork"
        parallel = images.process_images(sources, tmp_path / "parallel" / "images", workers=2)
    finally:
        stop.set()
        thread.join()
    assert parallel == serial
    assert _files(tmp_path / "parallel") == _files(tmp_path / "serial")


def test_an_error_in_a_worker_is_an_image_error(tmp_path):
    sources = _mixed_pictures(tmp_path / "src")
    bad = tmp_path / "src" / "cut.jpg"
    bad.write_bytes((tmp_path / "src" / "large.jpg").read_bytes()[:30_000])
    sources["content/images/cut.jpg"] = bad
    with pytest.raises(ImageError, match="'content/images/cut.jpg', which is damaged or cut short"):
        images.process_images(sources, tmp_path / "out" / "images", workers=2)


def test_a_picture_checked_with_the_cache_is_not_decoded_again_to_publish_it(tmp_path):
    """The check decodes a picture whole, as publishing would: with the pictures' cache it
    keeps the renditions it can make from that decoding, so the build decodes it once."""
    src = camera_jpeg(tmp_path / "once.jpg", size=(1403, 997), orientation=6)
    cache = tmp_path / "cache"
    before = dict(images.counts)
    assert images.check_image(src, "content/images/once.jpg", cache) == (997, 1403)
    assert images.counts["encoded"] - before.get("encoded", 0) == 1
    found = images.process_images({"content/images/once.jpg": src}, tmp_path / "out" / "images",
                                  cache_dir=cache, workers=1)
    assert images.counts["encoded"] - before.get("encoded", 0) == 1  # not made again
    # The same bytes as a build without the check's head start.
    fresh = images.process_images({"content/images/once.jpg": src}, tmp_path / "fresh" / "images", workers=1)
    ours, theirs = found["content/images/once.jpg"], fresh["content/images/once.jpg"]
    assert [r.url for r in ours.webp + ours.jpeg] == [r.url for r in theirs.webp + theirs.jpeg]
    for r in ours.webp + ours.jpeg:
        rel = r.url.removeprefix("images/")
        assert (tmp_path / "out" / "images" / rel).read_bytes() == (tmp_path / "fresh" / "images" / rel).read_bytes()
    made = images.counts["encoded"]  # the build without a cache made them itself
    # Checked again in another process (a later build): only the header is read, same answer.
    images._checked.clear()
    assert images.check_image(src, "content/images/once.jpg", cache) == (997, 1403)
    assert images.counts["encoded"] == made


def test_a_picture_claimed_by_another_worker_is_checked_but_not_made_twice(tmp_path):
    src = camera_jpeg(tmp_path / "claimed.jpg", size=(1407, 993))
    cache = tmp_path / "cache"
    cache.mkdir()
    digest = images._digest(src.read_bytes(), images.WIDTHS)
    (cache / f"{images.CLAIM_PREFIX}{digest}").touch()  # another story worker is making it
    before = images.counts["encoded"]
    assert images.check_image(src, "content/images/claimed.jpg", cache) == (1407, 993)
    assert images.counts["encoded"] == before and not (cache / digest).exists()
    images.drop_claims(cache)  # as the next build starts
    assert list(cache.iterdir()) == []
