"""sitemap.xml for a published site: every public page, with lastmod only where the
date is really known (a story's last change, a job's posting date), since a guessed
date is worse than none. Drafts, hidden stories, the 404 page and closed jobs (never
written) are not listed. A site in several languages lists every language's pages, each
with its counterparts as `xhtml:link rel="alternate" hreflang` (itself among them, as
search engines ask).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from cswork_site.data.site import SiteData
from cswork_site.output.alternates import LanguageRun, counterparts
from cswork_site.output.search import BUNDLE_DIR
from cswork_site.stories.meta import StoryStatus

SITEMAP = "sitemap.xml"


def page_urls(output: Path, files: dict[str, str] | None = None) -> list[str]:
    """The URL of every page written, in a stable order: folder-style for an index.html,
    the address the settings give for a story page (files: page file -> address), and
    the file's own path for any other page but the 404 page."""
    files = files or {}
    urls = []
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        if rel in files:
            urls.append(files[rel])
        elif page.name == "index.html":
            folder = page.parent.relative_to(output).as_posix()
            urls.append("" if folder == "." else f"{folder}/")
        elif page.name != "404.html" and f"/{BUNDLE_DIR}/" not in f"/{rel}":  # in any language
            urls.append(rel)
    return urls


def known_dates(data: SiteData) -> dict[str, str]:
    dates = {}
    for header in data.stories.values():
        if header.publishable:
            changed = header.meta.modified or header.meta.date
            dates[data.story_url(header)] = changed.date().isoformat()
    for job in data.jobs:
        dates[job.url] = job.posted.isoformat()
    return dates


def write_sitemap(output: Path, site_url: str, data: SiteData, runs: tuple[LanguageRun, ...] = ()) -> None:
    addresses = data.addresses
    stories = data.stories.values()
    within = [run.path_of("") for run in runs] or [""]  # each language's folder, as a prefix
    files = {f"{prefix}{addresses.story_save_as(h)}": f"{prefix}{addresses.story_url(h)}"
             for h in stories for prefix in within}
    # Never a hidden story, nor a draft (whose pages only the preview writes).
    left_out = {f"{prefix}{addresses.story_url(h)}" for h in stories for prefix in within
                if h.meta.status != StoryStatus.published}
    left_out |= {f"{prefix}{addresses.story_url(h, draft=True)}" for h in stories for prefix in within}
    dates = {f"{prefix}{url}": day for url, day in known_dates(data).items() for prefix in within}
    urls = [url for url in page_urls(output, files) if url not in left_out]
    listed = set(urls)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for url in urls:
        lastmod = f"<lastmod>{dates[url]}</lastmod>" if url in dates else ""
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{run.language.tag}" '
                        f'href="{escape(f"{site_url}/{other}", {chr(34): "&quot;"})}"/>'
                        for run, other in counterparts(url, runs) if other in listed)
        lines.append(f"  <url><loc>{escape(f'{site_url}/{url}')}</loc>{lastmod}{links}</url>")
    lines.append("</urlset>")
    (output / SITEMAP).write_text("\n".join(lines) + "\n", encoding="utf-8")

