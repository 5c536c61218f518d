"""A site in several languages: one Pelican run per language, and each page's counterparts.

The main language's pages are at the site's root, each other language's in a folder named
by its code (cy/), laid out the same way: the same page in another language is at the same
path with the folder swapped. So the language switch, the hreflang links in each page's
head and the alternates in sitemap.xml are all that swap. A page with no counterpart (a tag
only the other language's stories have) links that language's list of topics instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cswork_site.languages import LANGUAGES, Language

if TYPE_CHECKING:
    from cswork_site.data.site import SiteData


@dataclass(frozen=True)
class Alternate:
    language: Language
    url: str  # the page in this language
    current: bool  # the page being shown


@dataclass(frozen=True)
class LanguageRun:
    """One language's run: where its pages go, and what Pelican is told of its language."""

    language: Language
    main: bool  # the site's main language: at the root of the output
    last: bool  # the last run: nothing after it needs the stories' converted Markdown
    others: tuple[str, ...] = ()  # the folders of the other languages (from the root)

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def folder(self) -> str:
        """Where its pages go, within the output ("" for the root)."""
        return "" if self.main else self.code

    @property
    def url_prefix(self) -> str:
        return f"/{self.folder}" if self.folder else ""

    def path_of(self, path: str) -> str:
        """A path within this language's pages, from the root of the output."""
        return f"{self.folder}/{path}" if self.folder else path

    def pages_within(self, written: Iterable[str]) -> list[str]:
        """Of the files written (paths from the output's root), this run's, from its folder."""
        if self.folder:
            start = self.folder + "/"
            return [f[len(start):] for f in written if f.startswith(start)]
        return [f for f in written if f.split("/", 1)[0] not in self.others]

    def pelican_settings(self) -> dict[str, Any]:
        # Stories in this language are Pelican's originals; another language's version of
        # the same story is its translation, written by that language's run only
        # (plugin/hooks.py, _keep_addresses).
        # As a tag (en-GB), as Pelican's DEFAULT_LANG has always been for a cswork site, so an
        # ARTICLE_URL with {lang} in it keeps its addresses.
        return {"DEFAULT_LANG": self.language.tag}


def other_folders(runs: Iterable[LanguageRun]) -> tuple[str, ...]:
    """The folders of the languages other than the main one (cy), from the output's root."""
    return tuple(run.folder for run in runs if run.folder)


def counterparts(path: str, runs: tuple[LanguageRun, ...]) -> list[tuple[LanguageRun, str]]:
    """A page's path (from the output's root) in each language, the main one first; none
    for a site in one language."""
    if len(runs) < 2:
        return []
    first, _, rest = path.partition("/")
    within = rest if first in other_folders(runs) else path
    return [(r, r.path_of(within)) for r in _main_first(runs)]


def _main_first(runs: Iterable[LanguageRun]) -> list[LanguageRun]:
    return sorted(runs, key=lambda r: not r.main)


def language_runs(codes: Iterable[str]) -> tuple[LanguageRun, ...]:
    """The runs of a site with these languages (the main one first). The main language
    runs last: its run writes sitemap.xml, which lists every language's pages."""
    codes = list(codes)
    main, others = codes[0], codes[1:]
    runs = [LanguageRun(LANGUAGES[code], main=False, last=False, others=()) for code in others]
    runs.append(LanguageRun(LANGUAGES[main], main=True, last=True, others=tuple(others)))
    return tuple(runs)


@dataclass(frozen=True)
class Alternates:
    """Each page's counterparts, for the templates of one language's run."""

    run: LanguageRun
    runs: tuple[LanguageRun, ...]
    site_url: str  # without the language's folder, and without a last slash
    tags_url: str  # the list of topics, from the root of one language's pages
    tag_url: str  # TAG_URL before its slug ("stories/tag/")
    tags: dict[str, frozenset[str]] = field(default_factory=dict)  # language -> its tag slugs

    def of(self, path: str) -> list[Alternate]:
        """The page at path (its address from its language's root) in every language of
        the site, itself included."""
        return [Alternate(r.language, f"{self.site_url}/{r.path_of(self._there(path, r.code))}",
                          r.code == self.run.code) for r in _main_first(self.runs)]

    def others(self, path: str) -> list[Alternate]:
        """The page in the site's other languages: the language switch."""
        return [a for a in self.of(path) if not a.current]

    def _there(self, path: str, code: str) -> str:
        if code == self.run.code or not self.tag_url or not path.startswith(self.tag_url):
            return path
        slug = path[len(self.tag_url):].split("/", 1)[0]
        return path if slug in self.tags.get(code, frozenset()) else self.tags_url


def tags_by_language(data: SiteData, runs: tuple[LanguageRun, ...]) -> dict[str, frozenset[str]]:
    """Each language's topics (tag slugs): those of the stories its pages list."""
    from cswork_site.stories.meta import story_slug

    return {run.code: frozenset(story_slug(tag) for h in data.stories.values()
                                if h.publishable and data.listed_in(h, run.code) for tag in h.meta.tags)
            for run in runs}
