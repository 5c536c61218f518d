"""Photos for stories and testimonials: checked, cleaned of metadata, resized.

A photo of a social worker can give away where they live or work: phones write GPS
positions, camera serial numbers and editing history into the file. Every picture we
publish is therefore rebuilt from its pixels alone, so nothing but the picture leaves.

Renditions go into a folder named after a hash of the source, so a changed photo gets
a new URL and the files can be cached forever; each file is named by its width alone.
The source's own name is never published: people name photos after who is in them
(kieran-walsh-aged-9.jpg), and a name in a URL is as public as the page. Templates
render the objects returned here as <picture> elements; no HTML is written in this module.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import stat
import tempfile
import threading
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

from cswork_site.cache import BuildCache
from cswork_site.data.yamlfile import what_is_there
from cswork_site.files import write_whole
from cswork_site.output.svgclean import SvgRefused, clean_svg
from cswork_site.problems import Problem

WIDTHS = (320, 640, 960, 1280)

# Part of every hash: bump it when the encoding below changes, so old URLs and cache
# entries are not reused for files that would now come out differently.
PIPELINE_VERSION = "3"  # bump when renditions change, so caches refill
QUALITY = 80
# Chosen by measurement (benchmarks/bench_pictures.py, docs/performance.md): method 2 is
# about 2.3x faster than the default 4 for files about 5% larger; 6 is slower still.
WEBP_METHOD = 2
# Progressive JPEG took twice as long for no smaller file; the JPEGs are only the
# fallback for browsers without WebP.
JPEG_OPTIONS = {"optimize": True}

# Pictures to encode before a pool of processes is worth starting.
PARALLEL_FROM = 4

# Limits on what we try to open. A phone photo is 2-15 MB and 12-50 megapixels; much
# more is a mistake or a hostile file, and decoding it could exhaust memory.
MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_PIXELS = 50_000_000

# Formats a browser-bound photo arrives in. Camera JPEGs often open as MPO (a JPEG with
# a second, preview frame), which is a JPEG for our purposes.
READABLE = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
EXPECTED = "a JPEG, PNG or WebP picture"

_HASH_CHARS = 12
_MANIFEST = "renditions.json"


class ImageError(Exception):
    """A picture we cannot publish; ``message`` fits the MESSAGE part of a Problem."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def problem(self, path: str, line: int, field: str) -> Problem:
        return Problem(path, line, field, self.message)


@dataclass(frozen=True)
class Rendition:
    url: str  # relative to the site root, e.g. "images/ab12cd34ef56/640.webp": never the source's name
    width: int
    height: int
    format: str  # "webp" or "jpeg"


@dataclass(frozen=True)
class ProcessedImage:
    source: str  # the path as written in the data file
    width: int  # of the largest rendition, for width/height attributes that stop layout shift
    height: int
    webp: tuple[Rendition, ...]  # narrowest first
    jpeg: tuple[Rendition, ...]

    @property
    def webp_srcset(self) -> str:
        return _srcset(self.webp)

    @property
    def jpeg_srcset(self) -> str:
        return _srcset(self.jpeg)

    @property
    def fallback(self) -> Rendition:
        """The <img src> for browsers without <picture>/WebP: the largest JPEG."""
        return self.jpeg[-1]


def _srcset(renditions: Sequence[Rendition]) -> str:
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


# --- checking -----------------------------------------------------------------------


def alt_problem(alt: str, decorative: bool) -> str | None:
    """What is wrong with a picture's alt text, or None. Screen readers read it aloud."""
    alt = alt.strip()
    if decorative:
        # Decorative pictures are written with alt="", so any text given would be lost.
        return ("is given but decorative: true hides it from screen readers; "
                "remove the alt text or set decorative: false") if alt else None
    if not alt:
        return "is required: describe the picture, or set decorative: true"
    if _looks_like_file_name(alt):
        return (f"expected a description of the picture; found {alt!r}, which is a file name "
                "and means nothing when read aloud")
    if len(alt) > 250:
        return (f"expected at most 250 characters; found {len(alt)}: keep it to what the picture "
                "shows and put anything longer in the caption or the text")
    return None


_FILE_NAME = re.compile(
    r"""^[\w\-. ()]*\.(?:jpe?g|png|gif|webp|heic|heif|tiff?|bmp|avif|svg)$  # team-photo.jpg
      | ^(?:img|dsc[nf]?|pxl|dcim|photo|image|screenshot|whatsapp\ image)[\s_\-]*[\d_\-. ]+$  # IMG_1234""",
    re.IGNORECASE | re.VERBOSE,
)


def _looks_like_file_name(text: str) -> bool:
    return bool(_FILE_NAME.match(text))


# What a picture's name must end with. A photo is rebuilt from its pixels, so it must be
# a format Pillow reads; a logo may also be an SVG drawing, cleaned by svgclean.
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
LOGO_EXPECTED = "an SVG, PNG, JPEG or WebP picture"
_OTHER_PICTURES = {".gif", ".heic", ".heif", ".tif", ".tiff", ".bmp", ".avif", ".svg", ".ico", ".jfif"}
_DATA_SUFFIXES = {".yaml", ".yml", ".csv", ".json"}


def name_problem(shown_as: str, allowed: Sequence[str], expected: str) -> str | None:
    """What is wrong with a picture's file name, or None: only a file named as a picture
    is published as one, so no data file (data/safeguarding.yaml) can be put on the web
    by naming it as a photo or logo. The content is checked as well, by the callers."""
    suffix = PurePosixPath(shown_as).suffix.lower()
    if suffix in allowed:
        return None
    endings = ", ".join(allowed[:-1]) + " or " + allowed[-1]
    if PurePosixPath(shown_as).parts[:1] == ("data",) or suffix in _DATA_SUFFIXES:
        why = "which is a data file, and data files are never published"
    elif suffix in _OTHER_PICTURES:
        why = (f"which is a {suffix[1:].upper()} file: save it as JPEG (photos) or PNG (graphics), "
               "and change the path to the new file")
    else:
        why = "which is not a picture file: only pictures can be published here"
    return f"expected {expected} (a file ending {endings}); found {shown_as!r}, {why}"


# What this process has done, for tests and benchmarks: "checked" counts pictures decoded
# by check_image, "encoded" pictures decoded and encoded for publishing (in a worker
# process or in this one).
counts: Counter[str] = Counter()

# Pictures this process has already checked, by content: a picture named by a thousand
# stories is decoded once, not a thousand times. Errors are kept with the name they
# were reported under, as their message names it.
_checked: dict[str, tuple[int, int]] = {}
_refused: dict[tuple[str, str], str] = {}


def check_image(source: Path, shown_as: str, cache_dir: Path | None = None) -> tuple[int, int]:
    """Decode the picture fully, as publishing would; return its upright (width, height).

    With cache_dir (the pictures' cache), the renditions are made from this decoding and
    kept there, so that a build decodes each picture once: a picture whose renditions are
    in the cache was decoded whole when they were made, and only its header is read."""
    data = _read(source, shown_as)
    key = hashlib.sha256(data).hexdigest()
    if key in _checked:
        return _checked[key]
    if (key, shown_as) in _refused:
        raise ImageError(_refused[key, shown_as])
    digest = _digest(data, WIDTHS)
    try:
        counts["checked"] += 1
        if cache_dir is not None and _from_cache(cache_dir / digest) is not None:
            size = _upright_size(data, shown_as)
        else:
            im, size = _decode(data, shown_as, max(WIDTHS))
            # Two story workers may meet one new picture: the first to claim it makes the
            # renditions, the other only checks it (a claim is dropped at every build's start).
            if cache_dir is not None and _claim(cache_dir, digest):
                counts["encoded"] += 1
                _stored(cache_dir, digest, _encode(im, size, WIDTHS), None)
    except ImageError as err:
        _refused[key, shown_as] = err.message
        raise
    _checked[key] = size
    return size


CLAIM_PREFIX = ".claim-"


def _claim(cache_dir: Path, digest: str) -> bool:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        os.close(os.open(cache_dir / f"{CLAIM_PREFIX}{digest}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except OSError:  # claimed by another process (or the folder cannot be written)
        return False
    return True


def drop_claims(cache_dir: Path) -> None:
    """Before the stories are checked: claims left by an earlier run that stopped midway."""
    for claim in cache_dir.glob(f"{CLAIM_PREFIX}*"):
        claim.unlink(missing_ok=True)


def _upright_size(data: bytes, shown_as: str) -> tuple[int, int]:
    """The upright size from the header alone (a picture already decoded whole before)."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
            turned = im.getexif().get(0x0112) in (5, 6, 7, 8)  # EXIF orientation: a quarter turn
    except Exception as exc:
        raise _damaged(shown_as, exc) from None
    return (height, width) if turned else (width, height)


def image_problems(path: str, line: int, field: str, source: Path, shown_as: str,
                   alt: str = "", decorative: bool = False, cache_dir: Path | None = None) -> list[Problem]:
    """Problems with one picture in a data file; `field` names the picture, e.g. 'photo'."""
    problems = []
    if (wrong_name := name_problem(shown_as, PHOTO_SUFFIXES, EXPECTED)) is not None:
        problems.append(Problem(path, line, f"{field}.path", wrong_name))  # not even opened
    else:
        try:
            check_image(source, shown_as, cache_dir)
        except ImageError as err:
            problems.append(err.problem(path, line, f"{field}.path"))
    if message := alt_problem(alt, decorative):
        problems.append(Problem(path, line, f"{field}.alt", message))
    return problems


# --- the logo -----------------------------------------------------------------------


def logo_file(source: Path, shown_as: str) -> tuple[bytes, str, tuple[str, ...]]:
    """The logo as it is published: its bytes, its extension (.svg, .png, .jpg or .webp)
    and what was left out of it. Raises ImageError for anything that is not such a picture.

    An SVG is cleaned by svgclean (published byte for byte when it needs nothing left out);
    a PNG, JPEG or WebP is rebuilt from its pixels, like every photo, so no metadata and
    nothing hidden after the picture data goes with it."""
    if (wrong_name := name_problem(shown_as, LOGO_SUFFIXES, LOGO_EXPECTED)) is not None:
        raise ImageError(wrong_name)
    data = _read(source, shown_as)
    suffix = PurePosixPath(shown_as).suffix.lower()
    if suffix == ".svg":
        try:
            cleaned = clean_svg(data)
        except SvgRefused as exc:
            raise ImageError(f"expected an SVG drawing; found {shown_as!r}, which {exc.message}") from None
        return cleaned.data, ".svg", cleaned.removed
    picture, _ = _decode(data, shown_as)
    out = io.BytesIO()
    if suffix == ".png":
        picture.save(out, "PNG", optimize=True)
    elif suffix == ".webp":
        picture.save(out, "WEBP", lossless=True)
    else:
        _flatten(picture).save(out, "JPEG", quality=90, optimize=True)
        suffix = ".jpg"
    return out.getvalue(), suffix, ()


def logo_problems(path: str, line: int, field: str, source: Path, shown_as: str) -> list[Problem]:
    """Problems with the logo at source: an error for anything that is not a picture, and
    a warning naming what is left out of an SVG when it is published."""
    try:
        _, _, removed = logo_file(source, shown_as)
    except ImageError as err:
        return [err.problem(path, line, field)]
    if not removed:
        return []
    return [Problem(path, line, field, (
        f"the published logo leaves out what could run code or load other files: {', '.join(removed)}; "
        f"remove them from {shown_as} so that it is published as it is"), "warning")]


# --- processing ---------------------------------------------------------------------


def process_image(source: Path, shown_as: str, output_dir: Path, url_prefix: str = "images",
                  widths: Sequence[int] = WIDTHS, cache_dir: Path | None = None,
                  cache: BuildCache | None = None) -> ProcessedImage:
    """Write WebP and JPEG renditions of `source` under output_dir/<hash>/ and describe them.

    `shown_as` is the path as the user wrote it, used in messages. With `cache_dir`,
    each picture is encoded once and later builds link the cached files instead.
    """
    found = process_images({shown_as: source}, output_dir, url_prefix, widths, cache_dir, workers=1, cache=cache)
    return found[shown_as]


def process_images(sources: Mapping[str, Path], output_dir: Path, url_prefix: str = "images",
                   widths: Sequence[int] = WIDTHS, cache_dir: Path | None = None,
                   workers: int | None = None, cache: BuildCache | None = None) -> dict[str, ProcessedImage]:
    """process_image for every picture in `sources` (shown_as -> path), each distinct
    content decoded and encoded once, in worker processes when there are several to do.

    `workers`: processes to use; None for CSWORK_WORKERS if set, else one per core.
    The output is the same, byte for byte, whatever the number of workers.
    """
    if not widths or any(not isinstance(w, int) or w < 1 for w in widths):
        raise ValueError(f"widths must be positive whole numbers; found {widths!r}")
    digests: dict[str, str] = {}
    sizes: dict[str, list[tuple[int, int]]] = {}
    todo: dict[str, tuple[Path, str]] = {}  # by the digest of the bytes read here
    for shown_as, source in sources.items():
        digest = digests[shown_as] = _digest(_read(source, shown_as), widths)
        if digest in sizes or digest in todo:
            continue
        cached = _from_cache(cache_dir / digest) if cache_dir else None
        if cached is not None:
            sizes[digest] = cached
        else:
            todo[digest] = (source, shown_as)

    in_cache = set(sizes)
    for first, (digest, encoded) in zip(todo, _encode_all(list(todo.values()), widths, workers), strict=True):
        counts["encoded"] += 1
        if digest != first:
            raise ImageError(f"{todo[first][1]!r} changed while the site was being built; build it again")
        sizes[digest] = [(w, h) for w, h, _, _ in encoded]
        if cache_dir and _stored(cache_dir, digest, encoded, cache):
            in_cache.add(digest)
        else:  # no cache, or it cannot be written: the renditions go straight out
            for w, _, webp, jpeg in encoded:
                write_whole(output_dir / digest / f"{w}.webp", webp)
                write_whole(output_dir / digest / f"{w}.jpg", jpeg)

    prefix = url_prefix.strip("/")
    found = {}
    for shown_as, digest in digests.items():
        target = output_dir / digest  # named by content only: a file's name can name a child
        if digest in in_cache and cache_dir is not None:
            for w, _ in sizes[digest]:
                for ext in ("webp", "jpg"):
                    _link(cache_dir / digest / f"{w}.{ext}", target / f"{w}.{ext}")
        base = f"{prefix}/{digest}/" if prefix else f"{digest}/"
        webps = tuple(Rendition(f"{base}{w}.webp", w, h, "webp") for w, h in sizes[digest])
        jpegs = tuple(Rendition(f"{base}{w}.jpg", w, h, "jpeg") for w, h in sizes[digest])
        width, height = sizes[digest][-1]
        found[shown_as] = ProcessedImage(shown_as, width, height, webps, jpegs)
    return found


Encoded = list[tuple[int, int, bytes, bytes]]  # (width, height, webp, jpeg), narrowest first


def _render(job: tuple[Path, str, Sequence[int]]) -> tuple[str, Encoded]:
    """Read, decode and encode one picture: the digest of the bytes read, and the renditions.
    Run in worker processes, so it reads the file itself rather than receive its bytes."""
    source, shown_as, widths = job
    data = _read(source, shown_as)
    return _digest(data, widths), _encode(*_decode(data, shown_as, max(widths)), widths)


def _encode_all(jobs: list[tuple[Path, str]], widths: Sequence[int],
                workers: int | None) -> Iterator[tuple[str, Encoded]]:
    """_render for each job, in order; one at a time, so only one picture's renditions
    are held in memory however many there are."""
    work = [(source, shown_as, tuple(widths)) for source, shown_as in jobs]
    count = _worker_count(len(work), workers)
    done = 0
    if count > 1:
        try:
            with ProcessPoolExecutor(count, mp_context=_context()) as pool:
                for result in pool.map(_render, work):
                    done += 1
                    yield result
            return
        except BrokenProcessPool:  # a worker was killed (out of memory?): go on here
            pass
    for job in work[done:]:
        yield _render(job)


def _worker_count(todo: int, requested: int | None) -> int:
    if requested is None:
        env = os.environ.get("CSWORK_WORKERS", "").strip()
        requested = int(env) if env.isdigit() else None
    if requested is None:
        if todo < PARALLEL_FROM:
            return 1
        try:
            requested = len(os.sched_getaffinity(0))
        except AttributeError:  # not Linux
            requested = os.cpu_count() or 1
    return max(1, min(requested, todo))


def _context():
    """fork starts workers at once, with everything imported, but forking a process that
    runs other threads (the preview server) can copy a lock some thread holds; then a
    fork server, started once and preloaded with this module, is used instead."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def not_a_file(source: Path, shown_as: str) -> str | None:
    """Why there is no ordinary file to read at source, or None (yamlfile.what_is_there
    looks without opening it: opening a named pipe would wait for ever)."""
    kind, detail = what_is_there(source)
    if kind == "file":
        return None
    if kind == "error":
        return f"could not read {shown_as!r}: {detail}"
    found = {"absent": "there is no such file",
             "dangling": "found a link to a file that does not exist",
             "loop": "found a link that leads round in a loop: put the picture itself there",
             "folder": "found a folder, not a file",
             "pipe": "found a named pipe (FIFO), not a file"}.get(kind, "found a device or socket, not a file")
    return f"expected a picture at {shown_as!r}; {found}"


def _read(source: Path, shown_as: str) -> bytes:
    """The source's bytes, read once; the file itself is never opened for writing."""
    if (why := not_a_file(source, shown_as)) is not None:
        raise ImageError(why)
    try:
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImageError(f"expected a picture of at most {MAX_FILE_BYTES // 2**20} MB; found "
                             f"{shown_as!r}, which is {size / 2**20:.1f} MB: export it smaller")
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # changed since it was looked at
                raise ImageError(f"expected a picture at {shown_as!r}; found something that is not a file")
            return f.read()
    except FileNotFoundError:
        raise ImageError(f"expected a picture at {shown_as!r}; there is no such file") from None
    except IsADirectoryError:
        raise ImageError(f"expected a picture at {shown_as!r}; found a folder") from None
    except OSError as exc:
        raise ImageError(f"could not read {shown_as!r}: {exc.strerror or exc}") from None


def _digest(data: bytes, widths: Sequence[int]) -> str:
    h = hashlib.sha256(f"cswork-images|{PIPELINE_VERSION}|{QUALITY}|{sorted(set(widths))}|".encode())
    h.update(data)
    return h.hexdigest()[:_HASH_CHARS]


def _decode(data: bytes, shown_as: str, largest: int | None = None) -> tuple[Image.Image, tuple[int, int]]:
    """An upright RGB or RGBA picture made from the source's pixels and nothing else, and
    the upright size of the source. With `largest`, a JPEG at least twice that in both
    directions is decoded at a half, quarter or eighth of its size (libjpeg scales while
    decoding, still reading every byte, so a damaged file still fails), never smaller
    than `largest` either way up."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (and past twice its limit, raises) before decoding anything;
            # we apply our own lower limit straight after, so the warning is only noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise _too_many_pixels(shown_as, None) from None
    except UnidentifiedImageError:
        raise ImageError(f"expected {EXPECTED}; found {shown_as!r}, which is not a picture this "
                         "tool can read (photos from phones may be HEIC: export them as JPEG)") from None
    except Exception as exc:  # Pillow's format readers raise many kinds of error on bad input
        raise _damaged(shown_as, exc) from None
    with im:
        if im.format not in READABLE:
            raise ImageError(f"expected {EXPECTED}; found {shown_as!r}, which is in {im.format} "
                             "format: save it as JPEG (photos) or PNG (graphics)")
        if im.width * im.height > MAX_PIXELS:
            raise _too_many_pixels(shown_as, im.size)
        try:
            size = im.size
            if largest and READABLE[im.format] == "JPEG":
                im.draft(None, (largest, largest))
            im.load()  # decodes everything now, so a truncated file fails here, not later
            upright = ImageOps.exif_transpose(im)
            return _clean(upright), size if upright.size == im.size else size[::-1]
        except Exception as exc:
            raise _damaged(shown_as, exc) from None


def _too_many_pixels(shown_as: str, size: tuple[int, int] | None) -> ImageError:
    found = f", which is {size[0]} x {size[1]}" if size else ", which is far larger"
    return ImageError(f"expected a picture of at most {MAX_PIXELS // 1_000_000} megapixels; found "
                      f"{shown_as!r}{found}: resize it before adding it")


def _damaged(shown_as: str, exc: Exception) -> ImageError:
    reason = str(exc).strip() or type(exc).__name__
    return ImageError(f"expected a complete picture; found {shown_as!r}, which is damaged or "
                      f"cut short ({reason}): export or copy it again")


def _clean(im: Image.Image) -> Image.Image:
    mode = "RGBA" if im.has_transparency_data else "RGB"
    pixels = _to_srgb(im, mode)
    # A new image from raw pixels has an empty .info: no EXIF, XMP, IPTC, ICC profile or
    # comments can follow it into the output, whatever Pillow's savers would copy over.
    return Image.frombytes(mode, pixels.size, pixels.tobytes())


def _to_srgb(im: Image.Image, mode: str) -> Image.Image:
    """Convert to sRGB before the ICC profile is dropped, or wide-gamut photos look dull."""
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "RGBA", "CMYK"):
        try:
            from PIL import ImageCms

            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(im.convert(mode) if im.mode != "CMYK" else im,
                                                  profile, ImageCms.createProfile("sRGB"),
                                                  outputMode=mode)
            if converted is not None:
                return converted
        except Exception:  # a broken profile or no littlecms: plain conversion is close enough
            pass
    return im.convert(mode)


def _encode(im: Image.Image, size: tuple[int, int], widths: Sequence[int]) -> Encoded:
    """(width, height, webp bytes, jpeg bytes) per width, narrowest first; never upscaled.
    `size` is the source's (im may be decoded smaller), and gives every rendition's shape.

    A picture narrower than the widest step also keeps its own width, so no detail is lost.
    Each rendition is made from the next wider one: it looks the same (over 50 dB PSNR
    against resizing the full picture) and takes a fraction of the time."""
    width, height = size
    chosen = sorted({w for w in widths if w <= width} | ({width} if width < max(widths) else set()))
    out = []
    sized = im
    for w in reversed(chosen):
        h = max(1, round(height * w / width))
        if (w, h) != sized.size:
            sized = sized.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
        webp = io.BytesIO()
        sized.save(webp, "WEBP", quality=QUALITY, method=WEBP_METHOD)
        jpeg = io.BytesIO()
        _flatten(sized).save(jpeg, "JPEG", quality=QUALITY, **JPEG_OPTIONS)
        out.append((w, h, webp.getvalue(), jpeg.getvalue()))
    return out[::-1]


def _flatten(im: Image.Image) -> Image.Image:
    """JPEG has no transparency: put see-through pixels on white, as the page is."""
    if im.mode != "RGBA":
        return im
    flat = Image.new("RGB", im.size, (255, 255, 255))
    flat.paste(im, mask=im.getchannel("A"))
    return flat


# --- files and cache ----------------------------------------------------------------


def _from_cache(entry: Path) -> list[tuple[int, int]] | None:
    """The (width, height) list of a complete cache entry, or None to encode afresh."""
    try:
        sizes = [(int(w), int(h)) for w, h in json.loads((entry / _MANIFEST).read_text())]
    except (OSError, ValueError, TypeError):
        return None
    complete = sizes and all((entry / f"{w}.{ext}").is_file() for w, _ in sizes for ext in ("webp", "jpg"))
    return sizes if complete else None


def _stored(cache_dir: Path, digest: str, encoded: Encoded, cache: BuildCache | None) -> bool:
    """Whether the renditions are now in the cache. The cache is only a shortcut: a
    folder that cannot be written (read-only, full) is passed by, never a failed build."""
    try:
        _store(cache_dir, digest, encoded)
    except OSError as exc:
        if cache is not None:
            cache.unwritable(cache_dir, exc)
        return False
    return True


def _store(cache_dir: Path, digest: str, encoded: Encoded) -> None:
    """Fill a temporary folder and rename it into place, so an entry is whole or absent."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    entry = cache_dir / digest
    tmp = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".tmp-"))
    try:
        for w, _, webp, jpeg in encoded:
            (tmp / f"{w}.webp").write_bytes(webp)
            (tmp / f"{w}.jpg").write_bytes(jpeg)
        (tmp / _MANIFEST).write_text(json.dumps([[w, h] for w, h, _, _ in encoded]))
        if entry.exists():  # left incomplete by an interrupted run
            shutil.rmtree(entry)
        os.replace(tmp, entry)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _link(cached: Path, dest: Path) -> None:
    """Hard-link a cached file into the output, copying if the two are on different disks.

    Sharing the file is safe because nothing edits output pictures in place; a rebuild
    replaces them.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        if dest.exists() and os.path.samefile(cached, dest):
            return
    except OSError:
        pass
    dest.unlink(missing_ok=True)
    try:
        os.link(cached, dest)
    except OSError:
        shutil.copy2(cached, dest)
