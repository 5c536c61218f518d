"""The Pelican side of cswork_site: register our generator and reading hooks with Pelican."""

from __future__ import annotations

import sys
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page
from pelican.urlwrappers import Author, Category

from cswork_site.cache import BuildCache
from cswork_site.plugin import internals, session
from cswork_site.stories.sanitise import CleanHTML, clean_html, clean_story

STORIES_CATEGORY = "stories"


def _generators(_pelican):
    from cswork_site.plugin.generator import DataPagesGenerator

    return DataPagesGenerator


def _load_once(pelican) -> None:
    """Check the site before Pelican reads anything, unless `cswork build` already did
    (it opens the build's session): a plain `pelican` run opens a session of its own."""
    from cswork_site.build.check import check_site
    from cswork_site.build.run import ignored_files
    from cswork_site.plugin.reader import markdown_settings
    from cswork_site.problems import ProblemsFound, stopping

    running = session.current()
    if running is not None and running.by_cswork:
        return
    site = Path(pelican.settings["PATH"]).parent
    data, problems = check_site(site, markdown=markdown_settings(pelican.settings), settings=pelican.settings)
    for p in problems:
        print(p, file=sys.stderr)
    if data is None:
        raise ProblemsFound(stopping(problems))
    session.open_for_plain_run(session.BuildSession(site, data, cache=BuildCache(site), by_cswork=False))
    pelican.settings.update(data.addresses.pelican_settings(preview=False))  # as `cswork build` does
    pelican.settings["IGNORE_FILES"] = ignored_files(pelican.settings, data)


def _give_every_story_a_category(generator, metadata) -> None:
    # Pelican assigns a default category only when category pages are written, and
    # we write none; its draft handling still expects every article to have one.
    metadata.setdefault("category", Category(STORIES_CATEGORY, generator.settings))


def _clean(content) -> None:
    """Story and page HTML is sanitised once, as it is read; templates mark only it safe.
    Each gets its word count (for the reading time) at the same time."""
    summary = content.metadata.get("summary")
    if isinstance(summary, str) and not isinstance(summary, CleanHTML):
        # Pages, lists and the feed show the summary too: cleaned as the body is.
        internals.set_summary(content, CleanHTML(clean_html(summary)))
    html = internals.html_of(content)
    if not html:
        content.words = 0
    elif isinstance(html, CleanHTML):  # cleaned and counted where it was converted
        content.words = html.words
    else:
        cleaned = clean_story(html)  # also drops the `new story` hints comment
        internals.set_html(content, cleaned)
        content.words = cleaned.words


def _hold_back_unapproved(content) -> None:
    """A story without consent in date and approval becomes a draft: written nowhere. So
    does anything else Pelican reads as a story or a page that the check did not clear
    (the check reports such files, and they stop the build, but nothing unchecked is
    ever published however it got here)."""
    if isinstance(content, Page):  # cswork writes no pages of Pelican's: none is checked
        content.status = "draft"
        return
    if not isinstance(content, Article):
        return
    build = session.current()
    data = build.data if build is not None else None
    header = data.stories.get(build.site_key(content.source_path) or "") if build and data else None
    content.cswork = header  # the checked, typed metadata, for templates
    if header is None or not header.cleared or str(getattr(content, "title", "")) != header.meta.title:
        # Also when Pelican read a title other than the one checked: never publish unchecked text.
        content.status = "draft"  # Pelican then writes it nowhere (but in the preview)
        for own_address in ("override_save_as", "override_url"):  # a draft has no address of its own
            if hasattr(content, own_address):
                delattr(content, own_address)
    if header is not None:
        # The address and tags the check worked out (a title of only emoji has no slug of
        # its own; a tag of only symbols has no address and is left out).
        content.slug = header.slug
        if getattr(content, "tags", None):
            content.tags = [t for t in content.tags if t.slug]
    if data is not None:
        # Stories speak for the service: the feed names it as every entry's author.
        content.author = Author(data.service.service, content.settings)
        content.authors = [content.author]


def _articles_from_cache(generator) -> None:
    """Stories unchanged since the last build are not read again (Pelican's content cache)."""
    build = session.current()
    if build is not None and build.articles is not None:
        build.articles.attach(generator, build)


def _compile_templates_ahead(generator) -> None:
    """While the stories are read, on one core, the templates are compiled on another."""
    build = session.current()
    if build is not None and build.aside is not None:
        build.aside.compile_templates(generator)


def _keep_addresses(generator) -> None:
    """Pelican works out a story's address from the settings each time a template asks
    for it, several times a page. Once every story is read it cannot change, so it is
    kept, the way Pelican keeps an address given in a story's own metadata.

    In a site of several languages each language's run writes the pages of its own
    stories, and of those with no version in its language (which Pelican takes as
    originals too): all at the addresses the settings give, as in the main language, so
    that a story is at the same path in every language. The other versions of its own
    stories (Pelican's translations) are the other runs' to write: they get no page here."""
    for article in (*generator.articles, *generator.drafts, *generator.hidden_articles):
        article.in_default_lang = True  # its address is the settings' ARTICLE_URL, in any language
        article.override_url = article.url
        article.override_save_as = article.save_as
    for article in (*generator.translations, *generator.drafts_translations, *generator.hidden_translations):
        article.override_url = article.url
        article.override_save_as = ""


def _publishing_files(pelican) -> None:
    """Published sites only (absolute SITEURL): sitemap.xml, robots.txt and the headers
    file for static hosts. A sitemap's addresses must be absolute. The nginx snippet goes
    beside the output, not in it: `cswork build` writes it once its build is swapped in;
    a plain `pelican` run, which writes straight into its output, here."""
    from cswork_site.output.alternates import other_folders
    from cswork_site.output.headers import headers_file, published_site_url, robots_txt, write_nginx_snippet
    from cswork_site.output.sitemap import write_sitemap

    site_url = published_site_url(pelican.settings)
    build = session.current()
    data = build.data if build is not None else None
    # Written once, at the root, by the main language's run (the last: the others' pages
    # are there by then, for the sitemap to list them too).
    if build is None or data is None or site_url is None or not build.main_run:
        return
    output = Path(pelican.output_path)
    write_sitemap(output, site_url, data, build.runs)
    (output / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")
    (output / "_headers").write_text(headers_file(other_folders(build.runs)), encoding="utf-8")
    if build is not None and not build.by_cswork:
        write_nginx_snippet(output)


def _search_index(pelican) -> None:
    """Plain `pelican` builds: index for search here; `cswork build` does it after the run."""
    from cswork_site.output.search import index_site

    build = session.current()
    if build is None or build.indexer is None:
        index_site(Path(pelican.output_path))


def _readers(readers) -> None:
    from cswork_site.plugin.reader import use_prepared_markdown

    use_prepared_markdown(readers)


def _page_written(path, context) -> None:
    """A published story's page is in place: its year may be ready for the search index."""
    build = session.current()
    if build is not None:
        build.progress.advance()
    article = context.get("article") if context else None
    if isinstance(article, Article) and article.status == "published":
        if build is not None and build.indexer is not None:
            build.indexer.page_written(article.date.year)


def _phase(name: str, unit: str = ""):
    """A hook that tells the build's progress a phase of Pelican's run has begun."""
    def begun(*_args) -> None:
        build = session.current()
        if build is not None:
            build.progress.phase(name, unit)
    return begun


# Kept at module level: blinker holds its receivers weakly.
_reading_stories = _phase("Reading the stories")
_preparing_pages = _phase("Preparing the pages and pictures")
_writing_pages = _phase("Writing pages", "pages")


def _interface_in_language(generator) -> None:
    """Every template Pelican renders (the theme's, a site's overrides, and the ones
    compiled aside, which use this same environment) speaks the current language."""
    from cswork_site.translation import install

    install(generator.env)


def _writer(_pelican):
    from cswork_site.plugin.writer import ReusingWriter

    return ReusingWriter


def register() -> None:
    signals.get_writer.connect(_writer)
    signals.content_written.connect(_page_written)
    signals.initialized.connect(_load_once)
    signals.readers_init.connect(_readers)
    signals.get_generators.connect(_generators)
    signals.generator_init.connect(_interface_in_language)
    signals.article_generator_context.connect(_give_every_story_a_category)
    signals.article_generator_init.connect(_articles_from_cache)
    signals.article_generator_preread.connect(_compile_templates_ahead)
    signals.article_generator_init.connect(_reading_stories)
    signals.article_generator_finalized.connect(_preparing_pages)
    signals.all_generators_finalized.connect(_writing_pages)
    signals.article_generator_finalized.connect(_keep_addresses)
    signals.content_object_init.connect(_clean)
    signals.content_object_init.connect(_hold_back_unapproved)
    signals.finalized.connect(_publishing_files)
    signals.finalized.connect(_search_index)
