"""Content-hashed names for the theme's CSS and JavaScript and the brand files, so a
host can cache them for ever: a changed file gets a new name, and pages point to it.

Theme files keep their own names (css/main.1a2b3c4d5e.css). The logo does not: it is
published as logo.<hash>.<ext> whatever its source file is called, since a name a person
chose can say more than it should."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

HASH_CHARS = 10


def hashed_name(name: str, content: bytes) -> str:
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:HASH_CHARS]
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


@dataclass(frozen=True)
class Asset:
    url: str  # relative to the site root, e.g. theme/css/main.1a2b3c4d5e.css
    content: bytes


def theme_assets(theme_static: Path, static_dir: str) -> dict[str, Asset]:
    """Every CSS and JS file of the theme, by its plain path (css/main.css)."""
    assets = {}
    for file in sorted(theme_static.rglob("*")):
        if file.is_file() and file.suffix in (".css", ".js"):
            rel = file.relative_to(theme_static).as_posix()
            content = file.read_bytes()
            assets[rel] = Asset(f"{static_dir}/{hashed_name(rel, content)}", content)
    return assets


def write_assets(output: Path, assets: dict[str, Asset]) -> None:
    for asset in assets.values():
        target = output / asset.url
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.content)
