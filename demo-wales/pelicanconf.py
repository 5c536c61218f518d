"""Pelican settings for previewing this site locally (`cswork build demo-wales`,
`cswork serve demo-wales`). Shared settings come from cswork_site."""

from cswork_site.settings import *  # noqa: F401,F403

SITENAME = "Gwasanaethau Plant Glanrhydwen: gyrfaoedd gwaith cymdeithasol"
SITEURL = ""
OUTPUT_PATH = "output"
