"""The Pelican side of cswork_site: register our generator and reading hooks with Pelican."""

from __future__ import annotations

from pelican import signals
from pelican.urlwrappers import Category

STORIES_CATEGORY = "stories"


def _generators(_pelican):
    from .generators.data_pages import DataPagesGenerator

    return DataPagesGenerator


def _give_every_story_a_category(generator, metadata) -> None:
    # Pelican assigns a default category only when category pages are written, and
    # we write none; its draft handling still expects every article to have one.
    metadata.setdefault("category", Category(STORIES_CATEGORY, generator.settings))


def register() -> None:
    signals.get_generators.connect(_generators)
    signals.article_generator_context.connect(_give_every_story_a_category)
