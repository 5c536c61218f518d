"""`cswork new story`: a skeleton with every metadata line and a hint for each."""

from __future__ import annotations

from pathlib import Path

import click
from jinja2 import Environment, PackageLoader

from cswork_site.clock import build_date
from cswork_site.stories.meta import SUMMARY_HINT, StoryKind, story_slug

_env = Environment(loader=PackageLoader("cswork_site", "assets"), autoescape=False, keep_trailing_newline=True)


def write_skeleton(site: Path, title: str, kind: str) -> Path:
    title = " ".join(title.split())
    if not title:
        raise click.BadParameter("give the story a title", param_hint="TITLE")
    today = build_date()
    slug = story_slug(title) or "story"
    target = site / _stories_folder(site) / f"{today.isoformat()}-{slug}.md"
    if target.exists():
        # Never overwrite what someone has written.
        raise click.BadParameter(f"{target.relative_to(site)} already exists; choose another title",
                                 param_hint="TITLE")
    target.parent.mkdir(parents=True, exist_ok=True)
    text = _env.get_template("story.md").render(
        title=title, today=today.isoformat(), kind=kind, summary_hint=SUMMARY_HINT,
        kinds=", ".join(k.value for k in StoryKind))
    with open(target, "x", encoding="utf-8") as f:
        f.write(text)
    return target.relative_to(site)


def _stories_folder(site: Path) -> str:
    """The folder the site's settings keep stories in (content/stories/ by default)."""
    from cswork_site.build.check import own_settings, site_addresses

    return site_addresses(site, own_settings(site))[0].stories_folder
