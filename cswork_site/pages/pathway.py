"""Lay the career pathway graph out in steps, for the careers page and its drawing.

A stage's step is the length of the longest route to it from a starting stage, so
every "leads to" arrow points to a later step. The drawing runs top to bottom: each step
is a row of boxes (wrapping onto more rows when it has more stages than fit in the
fixed width), and every box sits in one column of a grid. Arrows never cross a box: they
run only in the gaps between rows ("channels") and between columns ("gutters"), which by
construction hold no box, and each gets a lane of its own there so none lie on another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cswork_site.data.models import Stage

WIDTH = 960  # the drawing's width in SVG units: the page's content width, so it fits unscaled
BOX_W, BOX_H = 164, 56
COLUMNS = 5  # odd, so that a row of any length can sit symmetrically about the middle
GAP_X = (WIDTH - COLUMNS * BOX_W) // (COLUMNS + 1)  # also the margin left and right
MIN_GAP_Y, LANE = 28, 7  # a channel grows with the arrows it carries, LANE apart
PAD_Y = 10
LABEL_CHARS = 19  # of 14px bold text a line holds within a box


@dataclass(frozen=True)
class Box:
    stage: Stage
    x: int
    y: int
    w: int = BOX_W
    h: int = BOX_H

    @property
    def label_lines(self) -> list[str]:
        """Wrap the title on word boundaries into at most two short lines."""
        words, lines, line = self.stage.title.split(), [], ""
        for word in words:
            if line and len(line) + 1 + len(word) > LABEL_CHARS:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        return lines[:2] if len(lines) <= 2 else [lines[0], " ".join(lines[1:])[:LABEL_CHARS - 1] + "…"]


@dataclass(frozen=True)
class Arrow:
    """A route from one box to another, as the corners of a line made of straight runs."""

    source: str
    target: str
    points: tuple[tuple[float, float], ...]

    @property
    def svg_points(self) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in self.points)

    @property
    def segments(self) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        return list(zip(self.points, self.points[1:], strict=False))


@dataclass(frozen=True)
class Step:
    number: int
    stages: list[Stage]


@dataclass(frozen=True)
class Pathway:
    steps: list[Step]
    boxes: list[Box]
    arrows: list[Arrow]
    width: int
    height: int


def steps_of(stages: list[Stage]) -> dict[str, int]:
    """Each stage's step: 1 + the longest run of "leads to" arrows that reaches it."""
    parents: dict[str, list[str]] = {s.id: [] for s in stages}
    for s in stages:
        for t in dict.fromkeys(s.leads_to):
            if t in parents and t != s.id:
                parents[t].append(s.id)
    depth: dict[str, int] = {}

    def step_of(sid: str, seen: frozenset[str]) -> int:
        # Validation rejects cycles before we get here; `seen` keeps this safe regardless.
        if sid not in depth:
            depth[sid] = 1 + max((step_of(p, seen | {sid}) for p in parents[sid] if p not in seen), default=0)
        return depth[sid]

    for s in stages:
        step_of(s.id, frozenset())
    return depth


@dataclass
class _Edge:
    source: str
    target: str
    exit_x: float = 0
    entry_x: float = 0
    gutter: int | None = None  # None when the target is in the very next row
    lanes: dict[int, float] = field(default_factory=dict)  # channel -> y
    gutter_x: float = 0


def centred_columns(n: int) -> list[int]:
    """n columns of the grid placed symmetrically about the middle one: whole columns
    only, so the gutters between columns stay clear of boxes in every row. An even
    number leaves the middle column empty (2 of 5 take the second and fourth)."""
    middle = COLUMNS // 2
    if n % 2:
        return list(range(middle - n // 2, middle + n // 2 + 1))
    half = n // 2
    return [middle + k for k in range(-half, 0)] + [middle + k for k in range(1, half + 1)]


def _column_x(col: int) -> int:
    return GAP_X + col * (BOX_W + GAP_X)


def _gutter_span(g: int) -> tuple[int, int]:
    """Gutter g is the gap left of column g (the last one is the right margin)."""
    left = g * (BOX_W + GAP_X)
    return left, left + GAP_X


def lay_out(stages: list[Stage]) -> Pathway:
    depth = steps_of(stages)
    count = max(depth.values(), default=0)
    steps = [Step(n, [s for s in stages if depth[s.id] == n]) for n in range(1, count + 1)]
    rows: list[list[Stage]] = [step.stages[i:i + COLUMNS]
                               for step in steps for i in range(0, len(step.stages), COLUMNS)]
    where: dict[str, tuple[int, int]] = {}  # stage id -> (row, column)
    for r, row in enumerate(rows):
        for stage, c in zip(row, centred_columns(len(row)), strict=True):
            where[stage.id] = (r, c)

    ids = set(where)
    edges = [_Edge(s.id, t) for s in stages for t in dict.fromkeys(s.leads_to) if t in ids and t != s.id]
    # Where each arrow leaves its box's bottom and enters its target's top: spread along the
    # edge, in the order of where they go or come from, so fewer arrows cross.
    for sid in ids:
        out = sorted((e for e in edges if e.source == sid), key=lambda e: (where[e.target][1], where[e.target][0]))
        for k, e in enumerate(out):
            e.exit_x = _column_x(where[sid][1]) + (k + 1) * BOX_W / (len(out) + 1)
        into = sorted((e for e in edges if e.target == sid), key=lambda e: (where[e.source][1], where[e.source][0]))
        for k, e in enumerate(into):
            e.entry_x = _column_x(where[sid][1]) + (k + 1) * BOX_W / (len(into) + 1)

    # Channel c is the gap above row c. An arrow runs in the channel below its source's row,
    # and, when its target is further down, down a gutter to the channel above the target.
    in_channel: dict[int, list[tuple[_Edge, float]]] = {}
    in_gutter: dict[int, list[_Edge]] = {}
    for e in edges:
        (rs, cs), (rt, ct) = where[e.source], where[e.target]
        if rt == rs + 1:
            in_channel.setdefault(rs + 1, []).append((e, min(e.exit_x, e.entry_x)))
            continue
        e.gutter = cs + 1 if ct >= cs else cs
        gx = sum(_gutter_span(e.gutter)) / 2
        in_gutter.setdefault(e.gutter, []).append(e)
        in_channel.setdefault(rs + 1, []).append((e, min(e.exit_x, gx)))
        in_channel.setdefault(rt, []).append((e, min(gx, e.entry_x)))
    for g, along in in_gutter.items():
        left, right = _gutter_span(g)
        along.sort(key=lambda e: (where[e.source][0], where[e.target][0]))
        for k, e in enumerate(along):
            e.gutter_x = left + (k + 1) * (right - left) / (len(along) + 1)

    heights = {c: max(MIN_GAP_Y, (len(in_channel.get(c, [])) + 1) * LANE) for c in range(1, len(rows))}
    row_y: list[int] = []
    y = PAD_Y
    for r in range(len(rows)):
        if r:
            y += heights[r]
        row_y.append(y)
        y += BOX_H
    for c, users in in_channel.items():
        top = row_y[c] - heights[c]
        users.sort(key=lambda u: u[1])
        for k, (e, _) in enumerate(users):
            e.lanes[c] = top + (k + 1) * heights[c] / (len(users) + 1)

    boxes = [Box(s, _column_x(where[s.id][1]), row_y[where[s.id][0]]) for r in rows for s in r]
    arrows = []
    for e in edges:
        (rs, _), (rt, _) = where[e.source], where[e.target]
        start, end = (e.exit_x, row_y[rs] + BOX_H), (e.entry_x, row_y[rt])
        if e.gutter is None:
            lane = e.lanes[rs + 1]
            points = [start, (e.exit_x, lane), (e.entry_x, lane), end]
        else:
            first, last = e.lanes[rs + 1], e.lanes[rt]
            points = [start, (e.exit_x, first), (e.gutter_x, first), (e.gutter_x, last), (e.entry_x, last), end]
        arrows.append(Arrow(e.source, e.target, tuple(_without_repeats(points))))
    return Pathway(steps, boxes, arrows, width=WIDTH, height=y + PAD_Y)


def _without_repeats(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept = [points[0]]
    for p in points[1:]:
        if p != kept[-1]:
            kept.append(p)
    return kept
