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

from cswork_site.data.models.common import Model, ShortText, Url

DEFAULT_NATION = "england"


class Regulator(Model):
    name: ShortText = Field(description="Who registers social workers, e.g. Social Work England")
    register_name: ShortText = Field(description="The register's name, as a sentence says it")
    url: Url


class Inspectorate(Model):
    name: ShortText = Field(description="Who inspects children's services, e.g. Ofsted")
    short_name: ShortText = Field(description="How a sentence names it after the first time, e.g. CIW")
    graded: bool = Field(description="Whether its inspections give grades (judgements)")
    grades: list[ShortText] = Field(description="The grade words, best first; empty when it gives none")
    url: Url

    def is_named(self, name: str) -> bool:
        """Whether an inspection's `inspectorate` names this inspectorate."""
        wanted = " ".join(name.split()).casefold()
        return wanted in (self.name.casefold(), self.short_name.casefold())


class Statistics(Model):
    name: ShortText = Field(description="The official workforce statistics' title")
    publisher: ShortText = Field(description="Who publishes them, as a sentence names it")
    publisher_short: ShortText = Field(description="The publisher's short name, e.g. the DfE")
    url: Url
    national_area: ShortText = Field(description="The nation as the statistics name it, e.g. England")
    defines_figures: bool = Field(description=(
        "Whether the vacancy, agency, turnover and caseload figures follow these statistics' definitions"))


class TaxWording(Model):
    name: ShortText = Field(description="What income tax is called, e.g. Welsh rates of income tax")
    rates: ShortText = Field(description="Whose rates the take-home estimate uses, as a sentence says it")


class Programme(Model):
    name: ShortText
    short_name: ShortText


class Nation(Model):
    id: ShortText
    name: ShortText
    regulator: Regulator
    inspectorate: Inspectorate
    statistics: Statistics
    agency_rules: ShortText | None = Field(
        description="The national rules on agency social workers, as a sentence names them; none where "
                    "there are none the site can describe")
    tax: TaxWording
    early_career: list[Programme] = Field(min_length=1)
    first_year: ShortText = Field(description="What a newly qualified social worker starts, as a sentence says it")


@cache
def nations() -> dict[str, Nation]:
    """Every nation a site can be in, by its id (england, wales)."""
    raw = yaml.safe_load((files("cswork_site") / "assets" / "nations.yaml").read_text(encoding="utf-8"))
    return {key: Nation.model_validate({"id": key, **value}) for key, value in raw.items()}


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
