"""data/practice.yaml: the practice framework, and its picture described as layers."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from cswork_site.data.models.common import BiShortText, BiText, Id, Model, ShortText


class Named(Model):
    name: ShortText
    description: BiText


class Behaviour(Model):
    name: BiShortText
    description: BiText
    value: ShortText | None = Field(default=None, description="The value this behaviour shows, by name")


class Layer(Model):
    id: Id
    name: BiShortText = Field(description="The layer's name in the picture, e.g. Roots")
    meaning: BiText = Field(description="What this layer stands for in practice")
    items: list[BiShortText] = Field(default_factory=list)


class PictureShape(str, Enum):
    """How the layers are drawn when the council supplies no picture of its own."""

    stack = "stack"  # bands, the first layer at the bottom: a bridge, a house, a wall
    tree = "tree"  # roots, trunk, branches and fruits, the first layer the roots
    rings = "rings"  # circles one inside another, the first layer the outermost


class Picture(Model):
    title: BiShortText
    description: BiText = Field(description="The picture in words, for everyone who cannot see it")
    shape: PictureShape = Field(default=PictureShape.stack, description=(
        "How the layers are drawn: stack (bands, first layer at the bottom), tree (roots, trunk, "
        "branches and fruits) or rings (first layer outermost)"))
    path: ShortText | None = Field(default=None, description=(
        "The council's own picture of the framework (JPEG, PNG or WebP, relative to the site folder), "
        "shown instead of the drawing"))


class PracticeFramework(Model):
    name: ShortText
    summary: BiText
    picture: Picture
    layers: list[Layer] = Field(min_length=1, description="From the ground up")
    values: list[Named] = Field(min_length=1)
    behaviours: list[Behaviour] = Field(min_length=1)
    principles: list[Named] = Field(min_length=1)
