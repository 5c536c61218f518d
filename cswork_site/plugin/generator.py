"""Write the pages that come from data/: home, offer, careers, practice, testimonials..."""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pelican.generators import Generator

from cswork_site.clock import build_moment
from cswork_site.data.models import Role, Stage
from cswork_site.data.models.vacancies import Vacancy
from cswork_site.data.site import SiteData
from cswork_site.languages import current
from cswork_site.output.alternates import Alternates, tags_by_language
from cswork_site.output.brandimages import brand_images
from cswork_site.output.feeds import feed_links, write_feeds
from cswork_site.output.hashed import Asset, hashed_name, theme_assets, write_assets
from cswork_site.output.headers import CSP_META, published_site_url
from cswork_site.output.pictures import ProcessedImage, logo_file, process_images
from cswork_site.pages.calendar import calendar
from cswork_site.pages.framework import drawing as framework_drawing
from cswork_site.pages.home import hero_picture, offer_numbers
from cswork_site.pages.jobposting import as_json_ld, job_posting
from cswork_site.pages.labels import label
from cswork_site.plugin import session
from cswork_site.stories.meta import StoryHeader, StoryKind, story_slug
from cswork_site.translation import gettext as _

logger = logging.getLogger(__name__)

BRAND_DIR = "brand"
MEDIA_DIR = "media"


@dataclass(frozen=True)
class PageSpec:
    """One page to write: where, with which template, and the objects it shows."""

    save_as: str
    template: str
    title: str
    objects: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.save_as.removesuffix("index.html")

    # As Pelican's own pages have them, for plugins that are sent each page as it is
    # written (content_written, with this as the context's "page"), such as pelican-sitemap.
    status = "published"
    translations: tuple[()] = ()

    @property
    def slug(self) -> str:
        return self.url.strip("/") or "index"

    @property
    def metadata(self) -> dict[str, Any]:
        return {"title": self.title, "template": self.template, "save_as": self.save_as, "url": self.url}


def page_specs(data: SiteData) -> list[PageSpec]:
    """Every page drawn from the data, titled in the language being written."""
    s = data.service
    pages = [
        PageSpec("index.html", "home", _("Social work careers at %(service)s", service=s.short_name)),
        PageSpec("our-offer/index.html", "offer", _("Our offer")),
        PageSpec("careers/index.html", "careers", _("Careers and pathways")),
        PageSpec("our-practice/index.html", "practice", _("Our practice: %(framework)s", framework=data.practice.name),
                 {"drawing": framework_drawing(data.practice)}),
        PageSpec("testimonials/index.html", "testimonials", _("What people say")),
        PageSpec("events/index.html", "events", _("Events")),
        PageSpec("agency-to-permanent/index.html", "agency", _("From agency to permanent")),
        PageSpec("improvement/index.html", "improvement", _("Our improvement")),
        PageSpec("accessibility/index.html", "accessibility", _("Accessibility statement")),
        PageSpec("privacy/index.html", "privacy", _("Privacy notice")),
        PageSpec("search/index.html", "search", _("Search")),
        PageSpec("404.html", "404", _("Page not found")),
    ]
    pages += [PageSpec(f"{r.url}index.html", "role", r.title, {"role": r}) for r in data.offer.roles]
    pages += [PageSpec(f"{st.url}index.html", "stage", st.title, {"stage": st}) for st in data.careers.stages]
    # ---- journeys: the open jobs on each role and stage page, and a printable offer per role
    pages = [_with_jobs(data, spec) for spec in pages]
    pages += [PageSpec(print_save_as(r), "role_print", _("%(role)s: our offer to print", role=r.title),
                       {"role": r, "role_jobs": open_jobs_for_roles(data, [r])}) for r in data.offer.roles]
    pages += [PageSpec(data.addresses.kind_save_as(kind_slug(k)), "story_kind", label(k), {"kind": k})
              for k in StoryKind]
    # Applying and teams (issue 18): written only when their data is there.
    if data.applying:
        pages.append(PageSpec("applying/index.html", "applying", _("Applying to us")))
    if data.team_pages:
        pages.append(PageSpec("teams/index.html", "teams", _("Our teams"), {"teams": data.team_pages}))
        pages += [PageSpec(f"{tp.url}index.html", "team", tp.team.name, {"team_page": tp}) for tp in data.team_pages]
    return pages + job_pages(data)


def job_pages(data: SiteData) -> list[PageSpec]:
    """The jobs list, a list per team, role and place (filters that need no script), and
    a page per open job. Closed jobs are never written."""
    pages = [PageSpec("jobs/index.html", "jobs", _("Jobs"), {"jobs": list(data.jobs), "filter": None})]
    if data.vacancies:
        filters = [("team", t.id, t.name) for t in data.vacancies.teams]
        filters += [("location", p.id, p.name) for p in data.vacancies.places]
        filters += [("role", r.id, r.title) for r in data.offer.roles]
        pages += [PageSpec(f"jobs/{key}/{ident}/index.html", "jobs", _("Jobs: %(filter)s", filter=label),
                           {"jobs": data.jobs_where(key, ident), "filter": JobFilter(key, ident, label)})
                  for key, ident, label in filters]
    pages += [PageSpec(f"{job.url}index.html", "job", job.title, {"job": job}) for job in data.jobs]
    return pages


def print_save_as(role: Role) -> str:
    return f"{role.url}print/index.html"


def open_jobs_for_roles(data: SiteData, roles: list[Role]) -> list[Vacancy]:
    ids = {r.id for r in roles}
    return [j for j in data.jobs if j.role in ids]


def stage_roles(data: SiteData, stage: Stage) -> list[Role]:
    """The roles a stage is done in: the stage's own role, and any role placed at it."""
    return [r for r in data.offer.roles if (found := data.stage_for_role(r)) is not None and found.id == stage.id]


def _with_jobs(data: SiteData, spec: PageSpec) -> PageSpec:
    """A role or stage page gets the jobs open for it (and a stage the roles it covers)."""
    if spec.template == "role":
        role = spec.objects["role"]
        return replace(spec, objects={**spec.objects, "role_jobs": open_jobs_for_roles(data, [role]),
                                      "print_url": print_save_as(role).removesuffix("index.html")})
    if spec.template == "stage":
        roles = stage_roles(data, spec.objects["stage"])
        return replace(spec, objects={**spec.objects, "stage_roles": roles,
                                      "stage_jobs": open_jobs_for_roles(data, roles)})
    return spec


def team_urls(data: SiteData) -> dict[str, str]:
    """team id -> the address of its page (teams/<id>/), for every team that has one, so a
    job links its team's page only when it is written."""
    return {tp.team.id: tp.url for tp in data.team_pages}


@dataclass(frozen=True)
class JobFilter:
    key: str  # team, location or role
    id: str
    label: str


def kind_slug(kind: StoryKind) -> str:
    return story_slug(kind.value)


class DataPagesGenerator(Generator):
    """Loads the site's data once per build and writes the pages drawn from it."""

    def generate_context(self) -> None:
        # Loaded once per build: by `cswork build`, or by the plugin's initialized hook.
        self.build = session.required()
        self.data: SiteData = self.build.data
        data = self.data
        self.context["images"] = self._process_images()
        self.context["videos"] = self._prepare_videos()
        kinds = [KindLink(kind_slug(k), k.value, label(k), data.addresses.kind_url(kind_slug(k)))
                 for k in StoryKind]
        self.context["story_kinds"] = kinds
        self.context["kind_slugs"] = {k.value: k.slug for k in kinds}
        self.context["kind_urls"] = {k.value: k.url for k in kinds}
        self.context["site"] = data
        self.context["pages_nav"] = navigation(data.addresses.index_url, applying=data.applying is not None,
                                               teams=bool(data.team_pages))
        self.context["team_url"] = team_urls(data)
        self.context["feeds"] = feed_links(self.settings, published_site_url(self.settings), data.service.service)
        self._languages()
        self._prepare_assets()

    def _languages(self) -> None:
        """The language of the pages (for <html lang>) and, for a site in several, each
        page's counterparts (the hreflang links and the language switch)."""
        self.context["language"] = current()
        run, runs = self.build.run, self.build.runs
        if run is None or len(runs) < 2:
            self.context["alternates"] = None
            return
        tag_url = str(self.settings["TAG_URL"]).split("{slug}", 1)[0]
        self.context["alternates"] = Alternates(
            run, runs, str(self.settings["SITEURL"]).removesuffix(run.url_prefix), str(self.settings["TAGS_URL"]),
            tag_url, tags_by_language(self.data, runs))

    def _process_images(self) -> dict[str, ProcessedImage]:
        """Every picture that will be shown, processed once; unchanged ones come from the cache."""
        site = self.build.site
        preview = self.build.preview
        sources = [h.meta.image for h in self.data.stories.values()
                   if h.meta.image and (h.cleared or preview)]
        sources += [t.photo.path for t in self.data.testimonials.testimonials if t.photo]
        if self.data.practice.picture.path:
            sources.append(self.data.practice.picture.path)
        sources += [h.video.poster for h in self._shown_videos() if h.video and h.video.poster]
        # In the site's own cache folder, never where the command happened to be run from.
        cache = self.build.cache
        folder = cache.folder("images") if cache is not None else None
        out = Path(self.output_path) / MEDIA_DIR
        return process_images({src: site / src for src in sources}, out, url_prefix=MEDIA_DIR,
                              cache_dir=folder, cache=cache)

    def _shown_videos(self) -> list[StoryHeader]:
        """Stories with a video that will be shown: published ones (and any in the preview)."""
        preview = self.build.preview
        return [h for h in self.data.stories.values() if h.video and (h.cleared or preview)]

    def _prepare_videos(self) -> dict[str, VideoFiles]:
        """Each shown story's video and captions, under names made from their content
        (video.<hash>.mp4, as the logo is: a file's own name can say more than it should),
        so hosts can cache them for ever. Written with the brand files."""
        site = self.build.site
        videos: dict[str, VideoFiles] = {}
        self.video_assets: list[Asset] = []
        for header in self._shown_videos():
            video = header.video
            assert video is not None
            files = {}
            for kind, path in (("video", video.source), ("captions", video.captions)):
                content = (site / path).read_bytes()
                name = hashed_name(kind + Path(path).suffix.lower(), content)
                files[kind] = Asset(f"{MEDIA_DIR}/{name}", content)
            self.video_assets += files.values()
            videos[video.source] = VideoFiles(files["video"].url, files["captions"].url)
        return videos

    def generate_output(self, writer) -> None:
        self._write_brand()
        self._write_calendars()
        self._write_figures()
        published = published_site_url(self.settings)
        if published is not None:  # feeds need absolute addresses, as the stories' feed does
            write_feeds(Path(self.output_path), self.data, published)
        site_url = self.settings["SITEURL"]
        for spec in page_specs(self.data):
            extra: dict[str, Any] = {}
            if spec.template == "role_print":
                # The live page's address, for a printed copy; a preview has none of its own.
                extra["live_url"] = (f"{published}/{spec.objects['role'].url}" if published
                                     else f"/{spec.objects['role'].url}")
            if "job" in spec.objects:
                extra["json_ld"] = as_json_ld(job_posting(spec.objects["job"], self.data, site_url,
                                                          self.context["logo_url"]))
            if spec.template == "home":
                # Stories are read by Pelican's own generator, before this one writes.
                extra["hero"] = hero_picture(self.context.get("articles", []), self.context["images"])
                extra["offer_numbers"] = offer_numbers(self.data.offer)
            writer.write_file(
                spec.save_as, self.get_template(spec.template), self.context,
                relative_urls=self.settings["RELATIVE_URLS"], page=spec, **spec.objects, **extra,
            )

    def _write_calendars(self) -> None:
        data = self.data
        out = Path(self.output_path) / "events"
        out.mkdir(parents=True, exist_ok=True)
        domain = urlparse(str(data.service.website)).hostname or "localhost"
        stamp = build_moment()
        name = f"{data.service.service} events"
        # A past event can no longer be booked or added to a calendar: no file for it.
        for event in data.upcoming_events:
            (out / f"{event.id}.ics").write_bytes(calendar([event], event.title, domain, stamp))
        (out / "all.ics").write_bytes(calendar(data.upcoming_events, name, domain, stamp))

    def _write_figures(self) -> None:
        """Every published figure, suppressed as on the page, for people who want the numbers.

        figures.json keeps the text as it is (JSON is never run); figures.csv, which people
        open in a spreadsheet, has every cell that could be taken for a formula made inert."""
        rows = self.data.improvement.figures
        out = Path(self.output_path) / "improvement"
        out.mkdir(parents=True, exist_ok=True)
        records = [{"as_at": r.as_at.isoformat(), "figure": r.name, "label": r.label, "unit": r.unit,
                    "value": _json_number(r.shown.value),
                    "shown_as": r.shown.text, "note": r.shown.reason or "", "source": r.source} for r in rows]
        (out / "figures.json").write_text(json.dumps({"figures": records}, indent=1, ensure_ascii=False,
                                                     allow_nan=False) + "\n", encoding="utf-8")
        with open(out / "figures.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(records[0]) if records else
                                    ["as_at", "figure", "label", "unit", "value", "shown_as", "note", "source"])
            writer.writeheader()
            writer.writerows({k: spreadsheet_safe(v) for k, v in record.items()} for record in records)

    def _prepare_assets(self) -> None:
        """Every stylesheet, script and brand file gets a content-hashed name, so hosts can
        cache them for ever; templates reach them through `assets` (plain path -> URL)."""
        theme_static = Path(self.theme) / "static"
        assets = theme_assets(theme_static, self.settings["THEME_STATIC_DIR"])
        logo_path = self.data.service.logo.path
        brand_css = self.get_template("brand.css").render(brand=self.data.service.brand).encode()
        assets["brand.css"] = Asset(f"{BRAND_DIR}/{hashed_name('brand.css', brand_css)}", brand_css)
        # Checked by crosscheck before any build: what is published is the cleaned picture,
        # named logo.<hash>.<ext>, never after the source file.
        logo, suffix, _ = logo_file(self.build.site / logo_path, logo_path)
        assets["logo"] = Asset(f"{BRAND_DIR}/{hashed_name('logo' + suffix, logo)}", logo)
        # The icons and the sharing picture are drawn from the published (cleaned) logo.
        icons = brand_images(logo, suffix, self.data.service.brand.primary)
        for name, content in (("favicon.png", icons.favicon), ("apple-touch-icon.png", icons.touch_icon),
                              ("og-image.png", icons.share)):
            assets[name] = Asset(f"{BRAND_DIR}/{hashed_name(name, content)}", content)
        self.assets = assets
        self.context["assets"] = {name: a.url for name, a in assets.items()}
        self.context["csp"] = CSP_META
        self.context["brand_css"] = assets["brand.css"].url
        self.context["logo_url"] = assets["logo"].url

    def _write_brand(self) -> None:
        write_assets(Path(self.output_path), self.assets)
        write_assets(Path(self.output_path), {a.url: a for a in self.video_assets})


# A cell a spreadsheet may read as a formula starts with one of these (OWASP, "CSV
# Injection"): =HYPERLINK(...) in a cell can send what a sheet holds to another site.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain_number(text: str) -> bool:
    """True for a number as a spreadsheet reads one, such as -3.5, +2 or -1e3: digits, a
    sign, a point and an exponent only (so not -inf, nor -1+1)."""
    try:
        float(text)
    except ValueError:
        return False
    return all(c in "0123456789.+-eE" for c in text)


def spreadsheet_safe(value: Any) -> Any:
    """value for a CSV cell: text that a spreadsheet could run as a formula gets a leading
    single quote, which spreadsheets show as text; plain numbers such as -3.5 stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _plain_number(value):
        return "'" + value
    return value


def _json_number(value: Any) -> float | None:
    """A figure for figures.json: a number JSON can hold (never NaN or infinity), or None."""
    if value is None:
        return None
    number = float(value)
    return None if number != number or number in (float("inf"), float("-inf")) else number


@dataclass(frozen=True)
class VideoFiles:
    video_url: str  # relative to the site root
    captions_url: str


@dataclass(frozen=True)
class KindLink:
    slug: str
    value: str
    label: str
    url: str  # of the page of stories of this kind


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str


def navigation(stories_url: str, applying: bool = False, teams: bool = False) -> list[NavItem]:
    """The main navigation; the stories are at the site's INDEX_URL. Applying and the
    teams are there only when the site has their data (and so their pages)."""
    return [
        NavItem("", _("Home")),
        NavItem("our-offer/", _("Our offer")),
        NavItem("careers/", _("Careers")),
        NavItem("our-practice/", _("Our practice")),
        NavItem("agency-to-permanent/", _("Agency to permanent")),
        NavItem("jobs/", _("Jobs")),
        *([NavItem("applying/", _("Applying"))] if applying else []),
        *([NavItem("teams/", _("Our teams"))] if teams else []),
        NavItem("improvement/", _("Our improvement")),
        NavItem("events/", _("Events")),
        NavItem(stories_url, _("Stories")),
        NavItem("testimonials/", _("What people say")),
        NavItem("search/", _("Search")),
    ]
