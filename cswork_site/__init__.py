"""cswork_site: a Pelican plugin and command line that turn a children's services
department's facts, figures and stories into a recruitment and reputation site."""

from cswork_site.plugin import register

__all__ = ["register"]
