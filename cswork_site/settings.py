"""Pelican settings every cswork site shares; pelicanconf.py imports them and adds its own.

The URL scheme uses folders (stories/tag/u1/page/2/) so that no two pages can share a
file name, which Pelican's default pattern (tag/u12.html for page 2 of u1) allows.
"""

from pathlib import Path as _Path

PLUGINS = ["cswork_site"]
# The theme that comes with cswork. `cswork build` uses a site's own theme/ folder instead
# when it has one (see build/sitefolder.py); single templates can be overridden with
# THEME_TEMPLATES_OVERRIDES.
THEME = str(_Path(__file__).resolve().parent / "theme")
PATH = "content"
ARTICLE_PATHS = ["stories"]
PAGE_PATHS = ["pages"]
# Stories are Markdown: the check reads only .md files, so anything else would be held back
# unread. Pelican's reStructuredText reader is not made at all (it warns of a run in Welsh,
# for which docutils has no words).
READERS = {"rst": None}
# Nothing is copied as-is: pictures are published only through the image pipeline,
# which removes location and camera metadata (the logo is copied by our generator).
STATIC_PATHS: list[str] = []
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

INDEX_SAVE_AS = "stories/index.html"
INDEX_URL = "stories/"
ARTICLE_URL = "stories/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "stories/{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "stories/tag/{slug}/"
TAG_SAVE_AS = "stories/tag/{slug}/index.html"
TAGS_URL = "stories/tags/"
TAGS_SAVE_AS = "stories/tags/index.html"
DIRECT_TEMPLATES = ["index", "tags"]
PAGINATED_TEMPLATES = {"index": None, "tag": None}
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = [
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
]

# Categories, authors and archives have no place in this site's navigation.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# The Atom feed of published stories is switched on by publishconf.py, where SITEURL is
# absolute, as feed ids and links must be.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        # No "smarty": curly quotes are not worth the third of Markdown time it costs.
        "markdown.extensions.extra": {},
    },
    "output_format": "html5",
}

# Everything from data and metadata is escaped; only story HTML, cleaned by nh3 first,
# is marked safe in the templates.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True,
                      "extensions": ["jinja2.ext.i18n"]}

SLUGIFY_SOURCE = "title"
RELATIVE_URLS = False
SITEURL = ""


from cswork_site.pages.filters import FILTERS as JINJA_FILTERS  # noqa: E402,F401  (a Pelican setting)
