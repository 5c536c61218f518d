"""sitemap.xml for a published site: every public page, with lastmod only where the
date is really known (a story's last change, a job's posting date), since a guessed
date is worse than none. Drafts, hidden stories, the 404 page and closed jobs (never
written) are not listed.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from cswork_site.data.site import SiteData
from cswork_site.stories.meta import StoryStatus

SITEMAP = "sitemap.xml"


def page_urls(output: Path) -> list[str]:
    """The folder-style URL of every page written, in a stable order."""
    urls = []
    for page in sorted(output.rglob("index.html")):
        rel = page.parent.relative_to(output).as_posix()
        urls.append("" if rel == "." else f"{rel}/")
    return urls


def known_dates(data: SiteData) -> dict[str, str]:
    dates = {}
    for header in data.stories.values():
        if header.publishable:
            changed = header.meta.modified or header.meta.date
            dates[header.url] = changed.date().isoformat()
    for job in data.jobs:
        dates[job.url] = job.posted.isoformat()
    return dates


def write_sitemap(output: Path, site_url: str, data: SiteData) -> None:
    hidden = {h.url for h in data.stories.values() if h.meta.status != StoryStatus.published}
    dates = known_dates(data)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in page_urls(output):
        if url in hidden or url.startswith("stories/drafts/"):
            continue
        lastmod = f"<lastmod>{dates[url]}</lastmod>" if url in dates else ""
        lines.append(f"  <url><loc>{escape(f'{site_url}/{url}')}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    (output / SITEMAP).write_text("\n".join(lines) + "\n", encoding="utf-8")
