"""Lay the career pathway graph out in steps, for the careers page and its drawing.

A stage's step is the length of the longest route to it from a starting stage, so
every "leads to" arrow points to a later step.
"""

from __future__ import annotations

from dataclasses import dataclass

from cswork_site.data.models import Stage

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 190, 56, 60, 18, 10


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
            if line and len(line) + 1 + len(word) > 22:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        return lines[:2] if len(lines) <= 2 else [lines[0], " ".join(lines[1:])[:21] + "…"]


@dataclass(frozen=True)
class Arrow:
    x1: int
    y1: int
    x2: int
    y2: int


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


def lay_out(stages: list[Stage]) -> Pathway:
    by_id = {s.id: s for s in stages}
    depth: dict[str, int] = {}

    def step_of(stage: Stage, seen: frozenset[str] = frozenset()) -> int:
        # Validation rejects cycles before we get here; `seen` keeps this safe regardless.
        if stage.id not in depth:
            parents = [p for p in stages if stage.id in p.leads_to and p.id not in seen]
            depth[stage.id] = 1 + max((step_of(p, seen | {stage.id}) for p in parents), default=0)
        return depth[stage.id]

    for s in stages:
        step_of(s)
    count = max(depth.values(), default=0)
    steps = [Step(n, [s for s in stages if depth[s.id] == n]) for n in range(1, count + 1)]
    boxes: dict[str, Box] = {}
    for step in steps:
        for row, stage in enumerate(step.stages):
            boxes[stage.id] = Box(stage, PAD + (step.number - 1) * (BOX_W + GAP_X),
                                  PAD + row * (BOX_H + GAP_Y))
    arrows = []
    for s in stages:
        a = boxes[s.id]
        for t in s.leads_to:
            if t in by_id:
                b = boxes[t]
                arrows.append(Arrow(a.x + a.w, a.y + a.h // 2, b.x - 4, b.y + b.h // 2))
    tallest = max((len(step.stages) for step in steps), default=0)
    return Pathway(steps, list(boxes.values()), arrows,
                   width=2 * PAD + count * BOX_W + max(count - 1, 0) * GAP_X,
                   height=2 * PAD + tallest * BOX_H + max(tallest - 1, 0) * GAP_Y)
