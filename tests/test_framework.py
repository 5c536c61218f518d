"""The practice framework's picture: drawn from its layers as an accessible SVG in each
shape (stack, tree, rings), the council's own picture shown instead when it supplies
one, and a picture path that leads nowhere reported as a problem before anything is built."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from cswork_site.data.models import PracticeFramework
from cswork_site.pages.framework import drawing

from .helpers import cswork

pytestmark = pytest.mark.slow  # builds sites through the real command line

PRACTICE = Path("data") / "practice.yaml"


def _with_picture(site: Path, **fields: str) -> None:
    """Add fields to the picture in the site's data/practice.yaml, as a person would type them."""
    file = site / PRACTICE
    text = file.read_text(encoding="utf-8")
    for key, value in fields.items():
        # The picture's own fields are the only ones indented by two spaces with these names.
        text, changed = re.subn(rf"^  {key}: .*$", f"  {key}: {value}", text, count=1, flags=re.M)
        if not changed:
            text = text.replace("picture:\n", f"picture:\n  {key}: {value}\n", 1)
    file.write_text(text, encoding="utf-8")


def _practice_page(site: Path) -> BeautifulSoup:
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return BeautifulSoup((site / "output" / "our-practice" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")


def _layers(site: Path) -> list[str]:
    return [layer["name"] for layer in yaml.safe_load((site / PRACTICE).read_text(encoding="utf-8"))["layers"]]


@pytest.mark.parametrize("shape", ["stack", "tree", "rings"])
def test_each_shape_is_drawn_as_an_accessible_svg_naming_every_layer(site, shape):
    _with_picture(site, shape=shape)
    soup = _practice_page(site)
    svg = soup.select_one(f".framework-drawing--{shape} svg")
    assert svg is not None and svg["role"] == "img"
    title = soup.find(id=svg["aria-labelledby"])
    desc = soup.find(id=svg["aria-describedby"])
    assert title is not None and title.parent is svg and "A stone bridge over the brook" in title.get_text()
    assert desc is not None and desc.parent is svg
    drawn = [t.get_text() for t in svg.find_all("text")]
    for name in _layers(site):
        assert drawn.count(name) == 1, (name, drawn)
        assert name in desc.get_text()
        # The text equivalent on the page lists every layer too.
        assert soup.find("h3", string=name) is not None


@pytest.mark.parametrize("shape", ["stack", "tree", "rings"])
@pytest.mark.parametrize("count", range(1, 9))
def test_any_number_of_layers_is_drawn_once_each_inside_the_drawing(shape, count):
    data = yaml.safe_load(PRACTICE.read_text(encoding="utf-8")) if PRACTICE.exists() else None
    assert data is not None, "run from the repository folder"
    data["picture"]["shape"] = shape
    data["layers"] = [{"id": f"layer-{i}", "name": f"Layer {i}", "meaning": "What it means."} for i in range(count)]
    d = drawing(PracticeFramework.model_validate(data))
    names = [b.layer.name for b in d.bands + d.canopy_bands] + [r.layer.name for r in d.rings]
    names += [d.roots_label.layer.name] if d.roots_label else []
    assert sorted(names) == sorted(f"Layer {i}" for i in range(count))
    for b in d.bands + d.canopy_bands:
        assert 0 <= b.label_x <= d.width and 0 <= b.label_y <= d.height
    for r in d.rings:
        assert d.cx - r.r >= 0 and d.cx + r.r <= d.width and d.cy + r.r <= d.height
    if shape == "tree" and count >= 4:
        # The first layer the roots, the second the trunk, the last the fruits at the top.
        assert d.roots_label and d.roots_label.layer.name == "Layer 0"
        assert [b.layer.name for b in d.bands] == ["Layer 1"]
        assert d.canopy_bands[0].layer.name == f"Layer {count - 1}" and d.fruits


def test_a_supplied_picture_is_shown_instead_of_the_drawing(site):
    shutil.copy(site / "content" / "images" / "walking-together.jpg", site / "content" / "images" / "bridge.jpg")
    _with_picture(site, path="content/images/bridge.jpg")
    soup = _practice_page(site)
    assert soup.select_one(".framework-svg") is None
    img = soup.select_one("#picture ~ .figure img")
    assert img is not None and img["alt"].startswith("A stone bridge over the brook")
    assert img["loading"] == "lazy" and img["srcset"]
    for candidate in img["srcset"].split(","):
        assert (site / "output" / candidate.split()[0].lstrip("/")).is_file()
    assert soup.find("p", string=re.compile("A stone bridge with three arches")) is not None


def test_a_missing_picture_is_reported_with_its_line_and_nothing_is_built(site):
    _with_picture(site, path="content/images/no-such-picture.png")
    result = cswork("build", str(site))
    assert result.returncode == 2
    out = result.stdout + result.stderr
    line = (site / PRACTICE).read_text(encoding="utf-8").splitlines().index(
        "  path: content/images/no-such-picture.png") + 1
    assert re.search(rf"^data/practice\.yaml:{line}: picture\.path: expected a file at "
                     r"'content/images/no-such-picture\.png'", out, re.M), out
    assert "Traceback" not in out
    assert not (site / "output").exists()
