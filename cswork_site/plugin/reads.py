"""What a page's rendering read of the stories, so that a page is reused only when all of
it is unchanged, whatever the theme shows (see output/reuse.py).

Two ways, each on the safe side:
- by analysis: a template (with all it extends, includes and imports) that names a list
  of stories from the context (`articles`, `dates`, `tags`, a plugin's list of them) can
  show any story's metadata, and which stories are in it;
- by recording, as it renders: every attribute a template reads of a story (Pelican's
  Article, or the checked StoryHeader), through the Jinja environment's getattr and
  getitem. An attribute that follows from the metadata lines is "meta"; anything else
  (the text, the word count, what a plugin worked out from the text) is "text".
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, meta, nodes
from pelican.contents import Article

from cswork_site.data.jobs import CSV_FILE
from cswork_site.data.loading import REGISTRY
from cswork_site.data.site import SiteData
from cswork_site.stories.meta import StoryHeader, StoryMeta

# Context names that hold stories, in Pelican's generators.
COLLECTIONS = frozenset({
    "articles", "dates", "tags", "categories", "authors", "drafts", "hidden_articles",
    "translations", "drafts_translations", "hidden_translations", "all_articles",
    "articles_page", "articles_paginator", "dates_page", "dates_paginator", "period_archives",
})
# What of a story follows from its metadata lines (and the settings, which are in every
# page's key): what Pelican makes of them, and the lines themselves.
META = frozenset(StoryMeta.model_fields) | frozenset({
    "title", "date", "modified", "locale_date", "locale_modified", "date_format", "url", "save_as",
    "slug", "tags", "status", "category", "author", "authors", "lang", "in_default_lang",
    "metadata", "source_path", "relative_source_path", "relative_dir", "template", "cswork",
    "settings", "url_format", "override_url", "override_save_as", "get_relative_source_path",
    "default_template", "mandatory_properties", "translations",
})
# SiteData members that give stories: a page that reads one can show any of them.
STORY_MEMBERS = frozenset({"stories", "stories_of_kind", "story_markdown", "unreadable_stories",
                           "story_url", "addresses", "translations_of", "_versions", "listed_in"})
# Members that show what many files make together: a page that reads one reads them all.
ALL_DATA_MEMBERS = frozenset({"improvement", "snapshots", "other_languages", "in_language"})

_FILE = {f.key: f.path for f in REGISTRY}
SNAPSHOTS = "data/metrics/"  # every snapshot file, as one
# The data files whose reading is followed page by page; any other file in data/ (the
# watch lists, say) is an input of every page. Every page reads the service's file: its
# name, brand and contacts are on every page, and stories name it as their author.
TRACKED = frozenset(_FILE.values()) | {CSV_FILE, SNAPSHOTS}
EVERY_PAGE = frozenset({_FILE["service"]})


def _of(*keys: str) -> frozenset[str]:
    return frozenset(CSV_FILE if k == "csv" else _FILE[k] for k in keys)


# Which data files each SiteData member shows. A member not listed here (the
# improvement story, the snapshots, anything added later) counts as all of them.
DATA_OF_MEMBER: dict[str, frozenset[str]] = {
    **{key: _of(key) for key in _FILE},
    "build_date": frozenset(),  # in every page's key already
    "jobs": _of("vacancies", "csv", "offer"), "jobs_where": _of("vacancies", "csv", "offer"),
    "team": _of("vacancies"), "place": _of("vacancies"), "salary_for": _of("vacancies", "offer"),
    "role": _of("offer"), "stage": _of("careers"), "next_stages": _of("careers"),
    "previous_stages": _of("careers"), "routes_into": _of("careers"), "stage_for_role": _of("offer", "careers"),
    "pathway": _of("careers", "offer"), "_roles": _of("offer"), "_stages": _of("careers"),
    "testimonials_for_role": _of("testimonials"), "testimonials_for_stage": _of("testimonials"),
    "testimonials_related": _of("testimonials"), "draft_testimonials": _of("testimonials"),
    "upcoming_events": _of("events"), "past_events": _of("events"), "next_event": _of("events"),
    "event_kind": frozenset(),
    "team_pages": _of("vacancies", "csv", "offer", "metrics_settings"),
    "hear_back": _of("applying", "metrics_settings"), "agency_comparison": _of("agency", "offer", "pay_rules"),
    "nation": _of("service"),
    **{member: frozenset() for member in STORY_MEMBERS},
}


@dataclass
class Reads:
    stories: dict[str, str] = field(default_factory=dict)  # site key -> "meta" or "text"
    all_stories: bool = False  # read a list of stories through the site's data
    data: set[str] = field(default_factory=set)  # data files (TRACKED) it showed

    def note(self, key: str, kind: str) -> None:
        if self.stories.get(key) != "text":
            self.stories[key] = kind


_reading: ContextVar[Reads | None] = ContextVar("cswork_page_reads", default=None)


def start() -> tuple[Reads, Any]:
    reads = Reads()
    return reads, _reading.set(reads)


def stop(token: Any) -> None:
    _reading.reset(token)


def _noted(obj: Any, attribute: Any, site_key) -> None:
    reads = _reading.get()
    if reads is None:
        return
    if isinstance(obj, Article):
        if attribute in META or (attribute == "summary" and "summary" in obj.metadata):
            kind = "meta"
        else:
            kind = "text"
        reads.note(site_key(obj.source_path) or obj.source_path, kind)
    elif isinstance(obj, StoryHeader):
        reads.note(obj.path, "meta")  # a header holds the checked metadata, never the text
    elif isinstance(obj, SiteData):
        if attribute in STORY_MEMBERS:
            reads.all_stories = True
        reads.data |= DATA_OF_MEMBER.get(attribute, TRACKED) if isinstance(attribute, str) else TRACKED


def record_in(env: Environment, site_key) -> None:
    """Make env note what templates read (once per environment)."""
    if getattr(env, "_cswork_records", False):
        return
    base_getattr, base_getitem = env.getattr, env.getitem

    def getattr_(obj: Any, attribute: str) -> Any:
        _noted(obj, attribute, site_key)
        return base_getattr(obj, attribute)

    def getitem(obj: Any, argument: Any) -> Any:
        _noted(obj, argument, site_key)
        return base_getitem(obj, argument)

    env.getattr = getattr_  # type: ignore[method-assign]  # compiled templates call these
    env.getitem = getitem  # type: ignore[method-assign]
    env._cswork_records = True  # type: ignore[attr-defined]


def story_lists(context: dict[str, Any]) -> frozenset[str]:
    """The names in a context that hold stories: Pelican's lists, and any a plugin added."""
    return frozenset(name for name, value in context.items() if name in COLLECTIONS or _holds_stories(value))


def _holds_stories(value: Any, depth: int = 0) -> bool:
    """A list (or a dict, or a list of pairs) of stories; one story alone is no list."""
    if isinstance(value, Article):
        return depth > 0
    if depth < 2 and isinstance(value, (list, tuple)):
        return any(_holds_stories(v, depth + 1) for v in value[:3])
    if depth < 2 and isinstance(value, dict):
        return any(_holds_stories(v, depth + 1) for v in list(value.values())[:3])
    return False


class TemplateNames:
    """The context names a template can read, with everything it extends, includes and
    imports; None when one of those is chosen as it renders (then it may read anything)."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, str], frozenset[str] | None] = {}

    def of(self, env: Environment, name: str) -> frozenset[str] | None:
        key = (id(env), name)
        if key not in self._found:
            self._found[key] = self._names(env, name, set())
        return self._found[key]

    def _names(self, env: Environment, name: str, seen: set[str]) -> frozenset[str] | None:
        if name in seen:
            return frozenset()
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0] if env.loader is not None else None
            if source is None:
                return None
            tree = env.parse(source)
            # Every name the template loads: a superset of what it takes from the context
            # (its own variables too), which is the safe side, and far quicker to find
            # than compiling it as jinja2.meta.find_undeclared_variables does.
            found = {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
            for referenced in meta.find_referenced_templates(tree):
                if referenced is None:
                    return None
                more = self._names(env, referenced, seen)
                if more is None:
                    return None
                found |= more
        except Exception:  # cannot tell: the page may read anything
            return None
        return frozenset(found)
