"""The Pelican side of cswork: every module that imports or patches Pelican is in this package."""

from cswork_site.plugin.hooks import register

__all__ = ["register"]
