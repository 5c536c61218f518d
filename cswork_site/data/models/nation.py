"""The nation a council is in, and the words that come with it (cswork_site/assets/nations.yaml).

A site's own sentences name the regulator, the inspectorate, the official statistics, the
national agency rules, income tax and the early-career programme; all of these differ
between England and Wales, so they come from the nation's profile, never from a template.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import yaml
from pydantic import Field

from cswork_site.data.models.common import BiShortText, Model, ShortText, Url, site_languages
from cswork_site.languages import LANGUAGES, current, speaking

DEFAULT_NATION = "england"


class Regulator(Model):
    name: BiShortText = Field(description="Who registers social workers, e.g. Social Work England")
    register_name: BiShortText = Field(description="The register's name, as a sentence says it")
    url: Url


class Inspectorate(Model):
    name: BiShortText = Field(description="Who inspects children's services, e.g. Ofsted")
    short_name: BiShortText = Field(description="How a sentence names it after the first time, e.g. CIW")
    graded: bool = Field(description="Whether its inspections give grades (judgements)")
    grades: list[BiShortText] = Field(description="The grade words, best first; empty when it gives none")
    url: Url

    def is_named(self, name: str) -> bool:
        """Whether an inspection's `inspectorate` names this inspectorate, in any language."""
        wanted = " ".join(name.split()).casefold()
        return wanted in _inspectorate_names().get(str(self.url), {self.name.casefold(), self.short_name.casefold()})


class Statistics(Model):
    name: BiShortText = Field(description="The official workforce statistics' title")
    publisher: BiShortText = Field(description="Who publishes them, as a sentence names it")
    publisher_short: BiShortText = Field(description="The publisher's short name, e.g. the DfE")
    url: Url
    national_area: ShortText = Field(description=(
        "The nation as the statistics name it, e.g. England: it finds their figures, so it is one in every language"))
    defines_figures: bool = Field(description=(
        "Whether the vacancy, agency, turnover and caseload figures follow these statistics' definitions"))


class TaxWording(Model):
    name: BiShortText = Field(description="What income tax is called, e.g. Welsh rates of income tax")
    rates: BiShortText = Field(description="Whose rates the take-home estimate uses, as a sentence says it")


class Programme(Model):
    name: BiShortText
    short_name: BiShortText


class Nation(Model):
    id: ShortText
    name: BiShortText
    regulator: Regulator
    inspectorate: Inspectorate
    statistics: Statistics
    agency_rules: BiShortText | None = Field(
        description="The national rules on agency social workers, as a sentence names them; none where "
                    "there are none the site can describe")
    tax: TaxWording
    early_career: list[Programme] = Field(min_length=1)
    first_year: BiShortText = Field(description="What a newly qualified social worker starts, as a sentence says it")


def nations() -> dict[str, Nation]:
    """Every nation a site can be in, by its id (england, wales), its wording in the
    language being written."""
    return _nations(current().code)


@cache
def _nations(code: str) -> dict[str, Nation]:
    raw = yaml.safe_load((files("cswork_site") / "assets" / "nations.yaml").read_text(encoding="utf-8"))
    with site_languages(()), speaking(code):  # the wording may be in any language cswork knows
        return {key: Nation.model_validate({"id": key, **value}) for key, value in raw.items()}


@cache
def _inspectorate_names() -> dict[str, set[str]]:
    """Each inspectorate's names and short names in every language, by its address: an
    inspection may name it in any of them."""
    names: dict[str, set[str]] = {}
    for code in LANGUAGES:
        for n in _nations(code).values():
            names.setdefault(str(n.inspectorate.url), set()).update(
                (n.inspectorate.name.casefold(), n.inspectorate.short_name.casefold()))
    return names


def nation(key: str) -> Nation:
    return nations()[key]


def default_nation() -> Nation:
    """England's: for a site that does not say, and for code that has no site."""
    return nations()[DEFAULT_NATION]


# Regions whose name reads with "the" in a sentence (England's: "the South East", "the West
# Midlands", "the East of England"); "London", "Yorkshire and The Humber" and "North Wales" do not.
_TAKES_THE = re.compile(r"((north|south)\s+(east|west)|(east|west)\s+midlands|east\s+of\s+england)$",
                        re.IGNORECASE)


def in_the(region: str) -> str:
    """A region as a sentence names it: 'the South East', but 'London' and 'Wales'."""
    return f"the {region}" if _TAKES_THE.match(region.strip()) else region
