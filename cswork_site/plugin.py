"""The Pelican side of cswork_site: register our generator and reading hooks with Pelican."""

from __future__ import annotations

import sys
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Category

from .sanitise import clean_html

STORIES_CATEGORY = "stories"


def _generators(_pelican):
    from .generators.data_pages import DataPagesGenerator

    return DataPagesGenerator


def _load_once(pelican) -> None:
    """Check the site before Pelican reads anything, unless `cswork build` already did."""
    from .checks import check_site
    from .generators.data_pages import site_folder
    from .problems import ProblemsFound, errors

    from .reader import markdown_settings

    if pelican.settings.get("CSWORK_DATA") is not None:
        return
    data, problems = check_site(site_folder(pelican.settings), markdown=markdown_settings(pelican.settings))
    for p in problems:
        print(p, file=sys.stderr)
    if data is None:
        raise ProblemsFound(errors(problems))
    pelican.settings["CSWORK_DATA"] = data


def _give_every_story_a_category(generator, metadata) -> None:
    # Pelican assigns a default category only when category pages are written, and
    # we write none; its draft handling still expects every article to have one.
    metadata.setdefault("category", Category(STORIES_CATEGORY, generator.settings))


def _clean(content) -> None:
    """Story and page HTML is sanitised once, as it is read; templates mark only it safe."""
    if getattr(content, "_content", None):
        content._content = clean_html(content._content)  # also drops the `new story` hints comment


def _hold_back_unapproved(content) -> None:
    """A story without consent in date and approval becomes a draft: written nowhere."""
    if not isinstance(content, Article):
        return
    data = content.settings.get("CSWORK_DATA")
    from .generators.data_pages import site_folder

    site = site_folder(content.settings)
    header = data.stories.get(Path(content.source_path).relative_to(site).as_posix()) if data else None
    content.cswork = header  # the checked, typed metadata, for templates
    if header is not None and not header.cleared:
        content.status = "draft"  # Pelican then writes it nowhere (but in the preview)


def _publishing_files(pelican) -> None:
    """Published sites only (absolute SITEURL): sitemap.xml, robots.txt and the headers
    files for static hosts. A sitemap's addresses must be absolute."""
    from .security import headers_file, nginx_snippet, robots_txt
    from .sitemap import write_sitemap

    site_url = pelican.settings.get("SITEURL", "").rstrip("/")
    data = pelican.settings.get("CSWORK_DATA")
    if data is None or not site_url.startswith(("https://", "http://")):
        return
    output = Path(pelican.output_path)
    write_sitemap(output, site_url, data)
    (output / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")
    (output / "_headers").write_text(headers_file(), encoding="utf-8")
    (output / "_nginx-headers.conf").write_text(nginx_snippet(), encoding="utf-8")


def _search_index(pelican) -> None:
    """Plain `pelican` builds: index for search here; `cswork build` does it after the run."""
    from .search import index_site

    if not pelican.settings.get("CSWORK_INDEX_AFTER_RUN"):
        index_site(Path(pelican.output_path))


def _readers(readers) -> None:
    from .reader import use_prepared_markdown

    use_prepared_markdown(readers)


def _page_written(path, context) -> None:
    """A published story's page is in place: its year may be ready for the search index."""
    article = context.get("article") if context else None
    if isinstance(article, Article) and article.status == "published":
        indexer = article.settings.get("CSWORK_INDEXER")
        if indexer is not None:
            indexer.page_written(article.date.year)


def _writer(_pelican):
    from .reuse import ReusingWriter

    return ReusingWriter


def register() -> None:
    signals.get_writer.connect(_writer)
    signals.content_written.connect(_page_written)
    signals.initialized.connect(_load_once)
    signals.readers_init.connect(_readers)
    signals.get_generators.connect(_generators)
    signals.article_generator_context.connect(_give_every_story_a_category)
    signals.content_object_init.connect(_clean)
    signals.content_object_init.connect(_hold_back_unapproved)
    signals.finalized.connect(_publishing_files)
    signals.finalized.connect(_search_index)
