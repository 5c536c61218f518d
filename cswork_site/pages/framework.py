"""The practice framework drawn from its layers, for the practice page: a stack of bands
(the first layer at the bottom), a tree (roots, trunk, branches and fruits) or rings (the
first layer outermost). Coordinates only; practice.html draws them as an SVG."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cswork_site.data.models.practice import Layer, PictureShape, PracticeFramework
from cswork_site.translation import gettext as _

WIDTH = 640
PAD = 12
BAND_H, BAND_GAP = 52, 6
TRUNK_W = 90
ROOTS_H = 96
RING_CORE, RING_STEP = 64, 40
# Labels are drawn 28 units high, so that the drawing, at most 440 px wide on a screen
# (main.css) and squeezed to 290 px on a 320 px phone, still shows them at 12 px or more.
FONT = 28
BASELINE = FONT * 0.35  # from a label's middle to its baseline


@dataclass(frozen=True)
class Band:
    """A layer drawn as a rectangle (a stack's band, a piece of trunk, a band of canopy)."""

    layer: Layer
    number: int  # 1 for the first layer, which is the ground everything stands on
    x: float
    y: float
    w: float
    h: float
    label_x: float
    label_y: float
    anchor: str = "middle"


@dataclass(frozen=True)
class Ring:
    layer: Layer
    number: int
    r: float
    label_y: float


@dataclass(frozen=True)
class Label:
    layer: Layer
    number: int
    x: float
    y: float


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Canopy:
    cx: float
    cy: float
    rx: float
    ry: float


@dataclass(frozen=True)
class FrameworkDrawing:
    shape: str
    title: str
    description: str  # the picture in words, then its layers in order
    width: float
    height: float
    bands: list[Band] = field(default_factory=list)  # stack; the tree's trunk
    canopy: Canopy | None = None  # the tree's crown; its bands are canopy_bands
    canopy_bands: list[Band] = field(default_factory=list)
    fruits: list[Point] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)  # SVG path data
    roots_label: Label | None = None
    ground_y: float | None = None
    rings: list[Ring] = field(default_factory=list)
    cx: float = WIDTH / 2
    cy: float = 0


def drawing(framework: PracticeFramework) -> FrameworkDrawing:
    picture, layers = framework.picture, framework.layers
    names = "; ".join(f"{n}. {layer.name}" for n, layer in enumerate(layers, start=1))
    words = f"{picture.description} " + _("The layers, from the ground up: %(layers)s.", layers=names)
    if picture.shape == PictureShape.tree:
        return _tree(layers, picture.title, words)
    if picture.shape == PictureShape.rings:
        return _rings(layers, picture.title, words)
    return _stack(layers, picture.title, words)


def _stack(layers: list[Layer], title: str, words: str) -> FrameworkDrawing:
    height = 2 * PAD + len(layers) * BAND_H + (len(layers) - 1) * BAND_GAP
    bands = []
    for n, layer in enumerate(layers, start=1):
        y = height - PAD - n * BAND_H - (n - 1) * BAND_GAP
        bands.append(Band(layer, n, 40, y, WIDTH - 80, BAND_H, WIDTH / 2, y + BAND_H / 2 + BASELINE))
    return FrameworkDrawing("stack", title, words, WIDTH, height, bands=bands)


def tree_parts(count: int) -> tuple[int | None, list[int], list[int], int | None]:
    """Which layers (by index) are the roots, the trunk, the branches and the fruits: the
    first layer the roots and the last the fruits, the second the trunk, any others the
    branches between them."""
    if count == 1:
        return None, [0], [], None
    if count == 2:
        return 0, [1], [], None
    if count == 3:
        return 0, [1], [], 2
    return 0, [1], list(range(2, count - 1)), count - 1


def _tree(layers: list[Layer], title: str, words: str) -> FrameworkDrawing:
    roots, trunk, branches, fruit = tree_parts(len(layers))
    # The crown, top down: fruits, then the branches, the latest highest.
    crown = ([fruit] if fruit is not None else []) + branches[::-1]
    cx = WIDTH / 2
    crown_h = len(crown) * BAND_H
    canopy = Canopy(cx, PAD + crown_h / 2, WIDTH / 2 - 40, crown_h / 2) if crown else None
    canopy_bands, fruits = [], []
    for k, i in enumerate(crown):
        y = PAD + k * BAND_H
        canopy_bands.append(Band(layers[i], i + 1, cx - WIDTH / 2, y, WIDTH, BAND_H, cx, y + BAND_H / 2 + BASELINE))
        if i == fruit and canopy is not None:
            # Fruits either side of the label, inside the crown at this height.
            mid = y + BAND_H / 2
            half = canopy.rx * math.sqrt(max(0.0, 1 - ((mid - canopy.cy) / canopy.ry) ** 2)) if canopy.ry else 0
            gap = 0.3 * FONT * len(layers[i].name) + 24  # half the label's width, and a margin
            fruits += [Point(cx + side * x, mid) for side in (-1, 1)
                       for x in (gap + 4, (gap + half) / 2 + 4, half - 14) if gap < x < half - 10]
    overlap = 10 if crown else 0  # the trunk runs up into the crown
    top = PAD + crown_h - overlap
    bands = []
    for k, i in enumerate(trunk[::-1]):
        y, h = top + (k and overlap) + k * BAND_H, BAND_H + (0 if k else overlap)
        bands.append(Band(layers[i], i + 1, cx - TRUNK_W / 2, y, TRUNK_W, h, cx + TRUNK_W / 2 + 12,
                          y + h / 2 + BASELINE, anchor="start"))
    ground = top + overlap + len(trunk) * BAND_H
    paths, roots_label = [], None
    if roots is not None:
        for dx, spread, depth in ((-30, -150, 50), (-15, -70, 70), (0, 0, 62), (15, 70, 70), (30, 150, 50)):
            paths.append(f"M{cx + dx:g},{ground:g} Q{cx + dx + spread / 3:g},{ground + depth / 2:g} "
                         f"{cx + spread:g},{ground + depth:g}")
        roots_label = Label(layers[roots], roots + 1, cx, ground + ROOTS_H - 4)
    height = ground + (ROOTS_H if roots is not None else 0) + PAD
    return FrameworkDrawing("tree", title, words, WIDTH, height, bands=bands, canopy=canopy,
                            canopy_bands=canopy_bands, fruits=fruits, roots=paths, roots_label=roots_label,
                            ground_y=ground)


def _rings(layers: list[Layer], title: str, words: str) -> FrameworkDrawing:
    count = len(layers)
    outer = RING_CORE + (count - 1) * RING_STEP
    width = max(WIDTH, 2 * (outer + PAD))
    cy = PAD + outer
    rings = []
    for n, layer in enumerate(layers, start=1):
        r = RING_CORE + (count - n) * RING_STEP
        # Each name at the top of its own ring; the last, the centre's, in the middle.
        label_y = cy + BASELINE if n == count else cy - r + RING_STEP / 2 + BASELINE
        rings.append(Ring(layer, n, r, label_y))
    return FrameworkDrawing("rings", title, words, width, 2 * cy, rings=rings, cx=width / 2, cy=cy)
