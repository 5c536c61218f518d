#!/usr/bin/env python3
"""CPU time per photo of the image pipeline's default renditions, for several encoder settings.

    python benchmarks/bench_pictures.py [--photos 4] [--repeat 3]

Makes photo-like 1600x1200 JPEGs (benchmarks/photos.py, fixed seed), then for each
setting decodes, resizes to every width in cswork_site.output.pictures.WIDTHS and
encodes each width as WebP and JPEG, as process_image does, in this one process. It
prints the CPU time per photo (time.process_time, the best of --repeat passes over the
photos, so another program on the machine inflates it as little as possible) and the
total bytes of the renditions of one photo. "current" is what cswork_site does now
(pictures._decode and pictures._encode); the others vary one thing at a time. Needs
Pillow: run it with the Python in which cswork is installed.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from photos import write_photos  # noqa: E402
from PIL import Image  # noqa: E402

from cswork_site.output import pictures  # noqa: E402

LANCZOS = Image.Resampling.LANCZOS


def variant(webp_method: int = 4, jpeg: dict | None = None, chain: bool = True,
            resample=LANCZOS, reducing_gap: float | None = None, quality: int = pictures.QUALITY):
    jpeg = {"optimize": True, "progressive": True} if jpeg is None else jpeg

    def run(data: bytes) -> int:
        im, _ = pictures._decode(data, "photo.jpg")
        total = 0
        source = im
        for w in sorted(pictures.WIDTHS, reverse=True):
            if w > im.width:
                continue
            h = max(1, round(im.height * w / im.width))
            sized = source.resize((w, h), resample, reducing_gap=reducing_gap)
            if chain:
                source = sized
            for fmt, options in (("WEBP", {"method": webp_method}), ("JPEG", jpeg)):
                out = io.BytesIO()
                sized.save(out, fmt, quality=quality, **options)
                total += out.tell()
        return total

    return run


def current(data: bytes) -> int:
    encoded = pictures._encode(*pictures._decode(data, "photo.jpg", max(pictures.WIDTHS)), pictures.WIDTHS)
    return sum(len(webp) + len(jpeg) for _, _, webp, jpeg in encoded)


VARIANTS = {
    "current (pictures._encode)": current,
    "WebP method 6, from full, JPEG opt+prog, gap 3 (before)": variant(6, chain=False, reducing_gap=3.0),
    "WebP method 4, from full, JPEG opt+prog": variant(4, chain=False),
    "WebP method 4, chained, JPEG opt+prog": variant(4),
    "WebP method 3, chained, JPEG opt+prog": variant(3),
    "WebP method 2, chained, JPEG opt+prog": variant(2),
    "WebP method 1, chained, JPEG optimize only": variant(1, {"optimize": True}),
    "WebP method 0, chained, JPEG optimize only": variant(0, {"optimize": True}),
    "WebP method 4, chained, JPEG optimize only": variant(4, {"optimize": True}),
    "WebP method 4, chained, JPEG plain": variant(4, {}),
    "WebP method 4, chained, bicubic": variant(4, resample=Image.Resampling.BICUBIC),
    "WebP method 4, chained, JPEG opt+prog, gap 2": variant(4, reducing_gap=2.0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="run only the variants whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        datas = [p.read_bytes() for p in write_photos(Path(tmp), args.photos)]
    print(f"{args.photos} photos of 1600x1200, JPEG quality 90, {sum(map(len, datas)) // len(datas) // 1024} KB each; "
          f"renditions {pictures.WIDTHS}, quality {pictures.QUALITY}")
    print(f"{'setting':58} {'CPU s/photo':>11} {'KB/photo':>9}")
    for name, run in VARIANTS.items():
        if args.only and args.only not in name:
            continue
        best, size = None, 0
        for _ in range(args.repeat):
            started = time.process_time()
            size = sum(run(d) for d in datas)
            took = (time.process_time() - started) / len(datas)
            best = took if best is None else min(best, took)
        print(f"{name:58} {best:11.3f} {size / len(datas) / 1024:9.0f}", flush=True)


if __name__ == "__main__":
    main()
