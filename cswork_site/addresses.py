"""Where a site's stories are, and the web address and file of every story page, read
from the site's Pelican settings: the one answer the check, the build, the preview,
search and the sitemap all use.

Pelican makes a story's address by formatting a setting such as ARTICLE_URL with
str.format on the story's metadata (`Content.url_format` in pelican/contents.py, dates
through pelican.utils.strftime). `SiteAddresses` does the same for a checked story, so
an address is known before Pelican runs, without Pelican: tests compare the two.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import string
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from cswork_site.cache import CACHE_DIR

# What a story's address may be made of: the values Pelican's url_format gives every
# story. Other metadata (Kind, Tags...) is the writer's text, not checked as an address.
FIELDS = ("slug", "date", "lang", "path", "author", "category")
# The category the plugin gives every story (plugin.hooks.STORIES_CATEGORY), as a slug.
STORIES_CATEGORY = "stories"


class AddressSettingError(ValueError):
    """A story address setting cswork cannot work addresses out from."""

    def __init__(self, setting: str, message: str):
        super().__init__(f"{setting} {message}")
        self.setting = setting
        self.message = message


class _Meta(Protocol):
    @property
    def date(self) -> dt.datetime: ...


class Story(Protocol):
    """What an address is made from (a StoryHeader)."""

    @property
    def path(self) -> str: ...  # within the site folder

    @property
    def slug(self) -> str: ...

    @property
    def meta(self) -> _Meta: ...


# pelican.utils.strftime, which Pelican's dates use for {date:...}: a '-' flag strips
# leading zeros, and anything that is not a C89 directive is left as written.
_C89 = "aAbBcdfGHIjmMpSUuVwWxXyYzZ%"
_DIRECTIVE = re.compile("%[-]?.")


def _strftime(date: dt.datetime, fmt: str) -> str:
    def one(candidate: str) -> str:
        if candidate[-1] not in _C89:
            return candidate
        text = dt.datetime.strftime(date, f"%{candidate[-1]}")
        return (text.lstrip("0") or "0") if len(candidate) == 3 else text

    parts = [one(c) for c in _DIRECTIVE.findall(fmt)]
    return _DIRECTIVE.sub("%s", fmt) % tuple(parts)


class _Date(dt.datetime):
    """A story's date as Pelican formats it (its SafeDatetime)."""

    def strftime(self, fmt: str) -> str:
        return _strftime(self, fmt)


def _story_date(date: dt.datetime, timezone: str | None) -> _Date:
    # As pelican.utils.set_date_tzinfo: a date without a zone is in the site's TIMEZONE.
    if timezone and date.tzinfo is None:
        date = date.replace(tzinfo=ZoneInfo(timezone))
    return _Date(date.year, date.month, date.day, date.hour, date.minute, date.second,
                 date.microsecond, date.tzinfo)


def _fields_of(setting: str, pattern: str) -> set[str]:
    """The names a pattern formats, checked to be ones an address can be made of."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise AddressSettingError(setting, f"is not a pattern Python can format ({exc}); "
                                  "write it like 'stories/{date:%Y}/{slug}/'") from None
    roots = {re.split(r"[.\[]", name, maxsplit=1)[0] for name in names}
    unknown = sorted(roots - set(FIELDS))
    if unknown:
        raise AddressSettingError(setting, (
            f"uses {{{unknown[0]}}}, which cswork cannot work a story's address out from; use "
            + ", ".join(f"{{{f}}}" for f in FIELDS) + " (dates as {date:%Y})"))
    return roots


def _folder_of(save_as: str) -> str:
    """The folder a page is saved in, as the start of an address ('' or 'x/')."""
    folder = posixpath.dirname(save_as)
    return f"{folder}/" if folder else ""


def _within(path: str, site: Path) -> str:
    """path (absolute, or relative to the site) within the site folder, in posix form."""
    full = path if os.path.isabs(path) else os.path.join(site, path)
    return Path(os.path.relpath(os.path.normpath(full), site)).as_posix()


@dataclass(frozen=True)
class SiteAddresses:
    site: Path  # the site folder
    content: str  # PATH, within the site folder
    story_folders: tuple[str, ...]  # ARTICLE_PATHS, within the site folder
    page_folders: tuple[str, ...]  # PAGE_PATHS, within the site folder
    article_url: str
    article_save_as: str
    draft_url: str  # a draft's page, in the preview only
    draft_save_as: str
    index_url: str  # the list of all stories
    index_save_as: str
    timezone: str | None
    lang: str
    author: str = ""  # the slug every story's author has (the service's name)
    author_subs: tuple[tuple[str, str], ...] = ()  # how Pelican slugifies an author
    slug_case: tuple[bool, bool] = (False, False)  # SLUGIFY_PRESERVE_CASE, SLUGIFY_USE_UNICODE

    @classmethod
    def from_settings(cls, settings: dict[str, Any], site: Path) -> SiteAddresses:
        """From Pelican settings as read_settings gives them (or the shared defaults).
        Raises AddressSettingError for a pattern no address can be worked out from."""
        site = Path(site)
        content = _within(str(settings.get("PATH") or "."), site)
        index_save_as = str(settings.get("INDEX_SAVE_AS", "index.html"))
        own_draft = str(settings.get("DRAFT_SAVE_AS") or "")
        if own_draft:  # the site says where drafts go: the preview puts them there
            draft_url, draft_save_as = str(settings.get("DRAFT_URL", "")), own_draft
        else:  # else in drafts/ beside the list of stories
            base = _folder_of(index_save_as)
            draft_url, draft_save_as = f"{base}drafts/{{slug}}/", f"{base}drafts/{{slug}}/index.html"
        subs = settings.get("AUTHOR_REGEX_SUBSTITUTIONS")
        if subs is None:
            subs = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        addresses = cls(
            site=site, content=content,
            story_folders=tuple(dict.fromkeys(posixpath.normpath(posixpath.join(content, p))
                                              for p in settings.get("ARTICLE_PATHS", [""]))),
            page_folders=tuple(dict.fromkeys(posixpath.normpath(posixpath.join(content, p))
                                             for p in settings.get("PAGE_PATHS", ["pages"]))),
            article_url=str(settings.get("ARTICLE_URL", "{slug}.html")),
            article_save_as=str(settings.get("ARTICLE_SAVE_AS", "{slug}.html")),
            draft_url=draft_url, draft_save_as=draft_save_as,
            index_url=str(settings.get("INDEX_URL", "")), index_save_as=index_save_as,
            timezone=settings.get("TIMEZONE"), lang=str(settings.get("DEFAULT_LANG", "en")).lower(),
            author_subs=tuple(tuple(s) for s in subs),
            slug_case=(bool(settings.get("SLUGIFY_PRESERVE_CASE")), bool(settings.get("SLUGIFY_USE_UNICODE"))),
        )
        for setting, pattern in (("ARTICLE_URL", addresses.article_url),
                                 ("ARTICLE_SAVE_AS", addresses.article_save_as),
                                 ("DRAFT_URL", addresses.draft_url), ("DRAFT_SAVE_AS", addresses.draft_save_as)):
            _fields_of(setting, pattern)
        return addresses

    @classmethod
    def default(cls, site: Path) -> SiteAddresses:
        """The addresses every cswork site has unless its settings change them."""
        from cswork_site import settings as shared

        return cls.from_settings({k: v for k, v in vars(shared).items() if k.isupper()}, site)

    def with_author(self, name: str) -> SiteAddresses:
        """With the author every story is given (the service), for {author}."""
        if not any("author" in _fields_of(s, p) for s, p in self._patterns()):
            return self
        from cswork_site.plugin.pelican_api import slugify  # only for a site whose addresses name the author

        return replace(self, author=slugify(name, regex_subs=self.author_subs,
                                            preserve_case=self.slug_case[0], use_unicode=self.slug_case[1]))

    def _patterns(self) -> tuple[tuple[str, str], ...]:
        return (("ARTICLE_URL", self.article_url), ("ARTICLE_SAVE_AS", self.article_save_as),
                ("DRAFT_URL", self.draft_url), ("DRAFT_SAVE_AS", self.draft_save_as))

    # --- folders ------------------------------------------------------------------

    @property
    def stories_folder(self) -> str:
        """Where a new story is written: the first of ARTICLE_PATHS."""
        return self.story_folders[0] if self.story_folders else self.content

    @property
    def cache_folder(self) -> Path:
        """Every cache of the site's builds is in here, never where a command was run from."""
        return self.site / CACHE_DIR

    # --- a story's addresses --------------------------------------------------------

    def _format(self, pattern: str, story: Story) -> str:
        return pattern.format(
            slug=story.slug, date=_story_date(story.meta.date, self.timezone), lang=self.lang,
            path=posixpath.relpath(story.path, self.content), author=self.author, category=STORIES_CATEGORY)

    def story_url(self, story: Story, draft: bool = False) -> str:
        """The address of the story's page (relative to SITEURL); a draft's is the
        preview's."""
        return self._format(self.draft_url if draft else self.article_url, story)

    def story_save_as(self, story: Story, draft: bool = False) -> str:
        """The story's page file within the output folder ('' if it is written nowhere)."""
        return self._format(self.draft_save_as if draft else self.article_save_as, story)

    # --- pages of ours under the list of stories ----------------------------------------

    @property
    def stories_base(self) -> str:
        """The folder of the list of stories ('stories/'), where the pages that sort them
        (by kind) and, in the preview, drafts go."""
        return _folder_of(self.index_save_as)

    def kind_save_as(self, slug: str) -> str:
        return f"{self.stories_base}kind/{slug}/index.html"

    def kind_url(self, slug: str) -> str:
        return f"{self.stories_base}kind/{slug}/"

    # --- what a build tells Pelican -------------------------------------------------

    def pelican_settings(self, preview: bool) -> dict[str, Any]:
        """Settings every build gives Pelican whatever the site's own say: drafts have a
        page in the preview only (never in a site that is published), Pelican's pages
        (none checked) none at all. cswork keeps the stories read in its own cache
        (plugin.articles); Pelican's CACHE_CONTENT would pickle what cannot be, and its
        CACHE_PATH ("cache") is relative to where a command was run: off, and in the
        site's cache if anything ever uses it."""
        return {"DRAFT_URL": self.draft_url if preview else "",
                "DRAFT_SAVE_AS": self.draft_save_as if preview else "",
                "DRAFT_PAGE_SAVE_AS": "", "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False,
                "CACHE_PATH": str(self.cache_folder / "pelican")}
