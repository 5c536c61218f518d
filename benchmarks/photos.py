#!/usr/bin/env python3
"""Photo-like test pictures from a fixed seed: smooth gradients, texture and grain.

Flat colour compresses and resizes far faster than a photo, so it would flatter the
image pipeline. These have a photo's mix: large smooth areas (sky, walls), mid-sized
texture (foliage, fabric) and fine sensor grain, saved as JPEG quality 90 as a camera
or phone export would be. The same seed gives the same bytes with the same Pillow.

Needs Pillow, so bench_build.py (standard library only) runs it with --python:

    python benchmarks/photos.py FOLDER COUNT [--width 1600 --height 1200 --seed S --jobs J]

writes FOLDER/photo-0001.jpg ... and prints nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter


def photo(rng: random.Random, width: int = 1600, height: int = 1200) -> Image.Image:
    def layer(w: int, h: int) -> Image.Image:
        small = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3))
        return small.resize((width, height), Image.Resampling.BICUBIC)

    base = layer(5, 4)  # the broad light and colour of the scene
    texture = layer(width // 12, height // 12)  # mid-sized detail
    grain = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    grain = grain.filter(ImageFilter.GaussianBlur(0.7))
    im = Image.blend(base, texture, 0.3)
    im = Image.blend(im, grain, 0.12)
    edges = layer(width // 40, height // 40).filter(ImageFilter.FIND_EDGES)  # a few sharp lines
    return ImageChops.add(im, edges, scale=2.0)


def _write(job: tuple[Path, int, int, int, int]) -> Path:
    folder, i, width, height, seed = job
    path = folder / f"photo-{i + 1:04d}.jpg"
    photo(random.Random(f"{seed}-{i}"), width, height).save(path, "JPEG", quality=90)
    return path


def write_photos(folder: Path, count: int, width: int = 1600, height: int = 1200, seed: int = 20260101,
                 jobs: int = 1) -> list[Path]:
    """Each photo has its own seed, so the files are the same however many jobs make them."""
    folder.mkdir(parents=True, exist_ok=True)
    work = [(folder, i, width, height, seed) for i in range(count)]
    if jobs <= 1:
        return [_write(job) for job in work]
    with multiprocessing.Pool(jobs) as pool:
        return pool.map(_write, work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    write_photos(args.folder, args.count, args.width, args.height, args.seed, args.jobs)


if __name__ == "__main__":
    main()
