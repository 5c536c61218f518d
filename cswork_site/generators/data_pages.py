"""Write the pages that come from data/: home, offer, careers, practice, testimonials..."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from ..site import SiteData

logger = logging.getLogger(__name__)

BRAND_DIR = "brand"


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


def site_folder(settings: dict[str, Any]) -> Path:
    configured = settings.get("CSWORK_SITE_DIR")
    return Path(configured) if configured else Path(settings["PATH"]).parent


def page_specs(data: SiteData) -> list[PageSpec]:
    s = data.service
    pages = [
        PageSpec("index.html", "home", f"Social work careers at {s.short_name}"),
        PageSpec("our-offer/index.html", "offer", "Our offer"),
        PageSpec("careers/index.html", "careers", "Careers and pathways"),
        PageSpec("our-practice/index.html", "practice", f"Our practice: {data.practice.name}"),
        PageSpec("testimonials/index.html", "testimonials", "What people say"),
        PageSpec("accessibility/index.html", "accessibility", "Accessibility statement"),
        PageSpec("privacy/index.html", "privacy", "Privacy notice"),
        PageSpec("404.html", "404", "Page not found"),
    ]
    pages += [PageSpec(f"{r.url}index.html", "role", r.title, {"role": r}) for r in data.offer.roles]
    pages += [PageSpec(f"{st.url}index.html", "stage", st.title, {"stage": st}) for st in data.careers.stages]
    return pages


class DataPagesGenerator(Generator):
    """Loads the site's data once per build and writes the pages drawn from it."""

    def generate_context(self) -> None:
        # Loaded once per build: by `cswork build`, or by the plugin's initialized hook.
        self.data: SiteData = self.settings["CSWORK_DATA"]
        data = self.data
        self.context["site"] = data
        self.context["pages_nav"] = NAVIGATION
        self.context["brand_css"] = f"{BRAND_DIR}/brand.css"
        self.context["logo_url"] = f"{BRAND_DIR}/{Path(data.service.logo.path).name}"

    def generate_output(self, writer) -> None:
        self._write_brand()
        for spec in page_specs(self.data):
            writer.write_file(
                spec.save_as, self.get_template(spec.template), self.context,
                relative_urls=self.settings["RELATIVE_URLS"], page=spec, **spec.objects,
            )

    def _write_brand(self) -> None:
        out = Path(self.output_path) / BRAND_DIR
        out.mkdir(parents=True, exist_ok=True)
        logo = site_folder(self.settings) / self.data.service.logo.path
        shutil.copyfile(logo, out / logo.name)
        template = self.get_template("brand.css")
        (out / "brand.css").write_text(template.render(brand=self.data.service.brand), encoding="utf-8")


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str


NAVIGATION = [
    NavItem("", "Home"),
    NavItem("our-offer/", "Our offer"),
    NavItem("careers/", "Careers"),
    NavItem("our-practice/", "Our practice"),
    NavItem("stories/", "Stories"),
    NavItem("testimonials/", "What people say"),
]
