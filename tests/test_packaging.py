"""What a council installing cswork sees of the package: its licence, its changes, its
classifiers, and a version that names the Pelican it runs on."""

from __future__ import annotations

import tomllib
from importlib.metadata import version

from click.testing import CliRunner

from cswork_site.cli.main import main

from .helpers import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_licence_file_is_the_licence_the_package_declares():
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_the_package_says_it_is_a_pelican_plugin_for_the_pythons_it_supports():
    classifiers = PROJECT["classifiers"]
    assert {"Framework :: Pelican", "Framework :: Pelican :: Plugins"} <= set(classifiers)
    minimum = PROJECT["requires-python"].removeprefix(">=")
    assert f"Programming Language :: Python :: {minimum}" in classifiers


def test_the_changelog_has_a_section_for_what_is_not_released_yet():
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog") and "\n## Unreleased\n" in text
    assert f"\n## {PROJECT['version']}\n" in text or "\n## Unreleased\n" in text


def test_the_version_names_cswork_and_pelican():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"cswork {version('cswork-site')} (Pelican {version('pelican')})"
