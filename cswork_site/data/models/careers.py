"""data/careers.yaml: career pathway stages as a graph, and the routes into social work."""

from __future__ import annotations

from pydantic import Field

from cswork_site.data.models.common import BiShortText, BiText, Id, Model, Url


class Stage(Model):
    id: Id
    title: BiShortText
    summary: BiText
    role: Id | None = Field(default=None, description="The role in the offer that gives this stage's pay")
    entry_requirements: list[BiText] = Field(min_length=1)
    support: list[BiText] = Field(min_length=1)
    typical_duration: BiShortText = Field(description="e.g. '12 months' or '2 to 3 years'")
    leads_to: list[Id] = Field(default_factory=list, description="Stages a person can move on to")

    @property
    def url(self) -> str:
        return f"careers/{self.id}/"


class EntryRoute(Model):
    id: Id
    title: BiShortText
    summary: BiText
    who_for: BiText
    duration: BiShortText
    leads_to: Id = Field(description="The stage this route leads into")
    link: Url | None = None


class Careers(Model):
    summary: BiText
    stages: list[Stage] = Field(min_length=1)
    entry_routes: list[EntryRoute] = Field(default_factory=list)
