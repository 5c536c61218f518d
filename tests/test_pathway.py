"""The career pathway drawing fits and reads: for any graph of stages, every box lies
inside the drawing's fixed width, each stage is drawn once, and no arrow runs through a
box; in a real Chromium at 1280 px every stage box of the demo is in view and a link to
its stage's page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from cswork_site.data.models import Stage
from cswork_site.pages.pathway import lay_out

from .helpers import serving


def _stage(i: int, leads_to: list[int]) -> Stage:
    return Stage(id=f"stage-{i}", title=f"Stage number {i} of the pathway", summary="A stage.",
                 entry_requirements=["Something"], support=["Someone"], typical_duration="1 year",
                 leads_to=[f"stage-{t}" for t in leads_to])


@st.composite
def pathways(draw) -> list[Stage]:
    """A random graph with no cycles: a stage only ever leads to later-numbered stages."""
    n = draw(st.integers(min_value=1, max_value=18))
    stages = []
    for i in range(n):
        later = list(range(i + 1, n))
        leads = draw(st.lists(st.sampled_from(later), max_size=4, unique=True)) if later else []
        stages.append(_stage(i, leads))
    return draw(st.permutations(stages))


def _crosses(segment, box, inclusive: bool) -> bool:
    """Whether a straight segment meets the box: its inside only, or its edges too
    (Liang-Barsky clipping of the segment to the rectangle)."""
    (x1, y1), (x2, y2) = segment
    dx, dy = x2 - x1, y2 - y1
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x1 - box.x), (dx, box.x + box.w - x1), (-dy, y1 - box.y), (dy, box.y + box.h - y1)):
        if p == 0:
            if q < 0 or (q == 0 and not inclusive):
                return False
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
    return lo <= hi if inclusive else lo < hi


@settings(max_examples=150, deadline=None)
@given(pathways())
def test_any_pathway_fits_the_width_and_no_arrow_crosses_a_box(stages):
    pw = lay_out(stages)
    assert sorted(b.stage.id for b in pw.boxes) == sorted(s.id for s in stages)
    for b in pw.boxes:
        assert 0 <= b.x and b.x + b.w <= pw.width and 0 <= b.y and b.y + b.h <= pw.height
    for a, b in ((a, b) for i, a in enumerate(pw.boxes) for b in pw.boxes[i + 1:]):
        assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y, "boxes overlap"
    edges = {(s.id, t) for s in stages for t in s.leads_to}
    assert {(a.source, a.target) for a in pw.arrows} == edges
    by_id = {b.stage.id: b for b in pw.boxes}
    for arrow in pw.arrows:
        segments = arrow.segments
        assert segments, "an arrow with no line"
        # It starts on its source's bottom edge and ends on its target's top edge.
        src, dst = by_id[arrow.source], by_id[arrow.target]
        assert arrow.points[0][1] == src.y + src.h and src.x <= arrow.points[0][0] <= src.x + src.w
        assert arrow.points[-1][1] == dst.y and dst.x <= arrow.points[-1][0] <= dst.x + dst.w
        for k, seg in enumerate(segments):
            assert seg[0][0] == seg[1][0] or seg[0][1] == seg[1][1], "every run is straight across or down"
            for box in pw.boxes:
                touches_end = (box is src and k == 0) or (box is dst and k == len(segments) - 1)
                assert not _crosses(seg, box, inclusive=not touches_end), (arrow, k, box.stage.id)


def test_the_demo_pathway_is_drawn_inside_the_page_width_with_each_box_a_link(built_demo):
    site, output = built_demo
    import yaml

    stages = yaml.safe_load((site / "data" / "careers.yaml").read_text(encoding="utf-8"))["stages"]
    soup = BeautifulSoup((output / "careers" / "index.html").read_text(encoding="utf-8"), "html.parser")
    svg = soup.find("svg", class_="pathway-svg")
    width = float(svg["viewbox"].split()[2])  # the HTML parser lowers attribute names
    links = svg.find_all("a")
    assert {a["href"] for a in links} == {f"/careers/{s['id']}/" for s in stages}
    for a in links:
        rect = a.find("rect")
        assert 0 <= float(rect["x"]) and float(rect["x"]) + float(rect["width"]) <= width
        stage = next(s for s in stages if a["href"] == f"/careers/{s['id']}/")
        assert a["aria-label"] == stage["title"]
    assert soup.find(class_="pathway-scroll") is None, "the drawing no longer needs scrolling"


@pytest.mark.slow
def test_at_1280_px_every_stage_box_is_in_view_and_opens_its_page(browser, built_demo):
    _, output = built_demo
    with serving(output) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/careers/")
        boxes = page.eval_on_selector_all(
            ".pathway-svg a", "els => els.map(a => { const r = a.querySelector('rect').getBoundingClientRect();"
            " return {href: a.getAttribute('href'), left: r.left, right: r.right, width: r.width}; })")
        assert len(boxes) >= 10
        for b in boxes:
            assert b["width"] > 100, b  # drawn at a readable size, not shrunk to fit
            assert 0 <= b["left"] and b["right"] <= 1280, b
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        first = boxes[0]["href"]
        page.click(f'.pathway-svg a[href="{first}"]')
        page.wait_for_url(base + first)
        # On a phone the drawing gives way to the step-by-step list.
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(base + "/careers/")
        assert not page.is_visible(".pathway-svg")
        assert page.is_visible(".pathway-steps")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.close()
