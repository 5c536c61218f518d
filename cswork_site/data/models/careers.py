"""data/careers.yaml: career pathway stages as a graph, and the routes into social work."""

from __future__ import annotations

from pydantic import Field

from cswork_site.data.models.common import Id, Model, ShortText, Text, Url


class Stage(Model):
    id: Id
    title: ShortText
    summary: Text
    role: Id | None = Field(default=None, description="The role in the offer that gives this stage's pay")
    entry_requirements: list[Text] = Field(min_length=1)
    support: list[Text] = Field(min_length=1)
    typical_duration: ShortText = Field(description="e.g. '12 months' or '2 to 3 years'")
    leads_to: list[Id] = Field(default_factory=list, description="Stages a person can move on to")

    @property
    def url(self) -> str:
        return f"careers/{self.id}/"


class EntryRoute(Model):
    id: Id
    title: ShortText
    summary: Text
    who_for: Text
    duration: ShortText
    leads_to: Id = Field(description="The stage this route leads into")
    link: Url | None = None


class Careers(Model):
    summary: Text
    stages: list[Stage] = Field(min_length=1)
    entry_routes: list[EntryRoute] = Field(default_factory=list)
