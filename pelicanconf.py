"""Pelican settings for previewing this site locally (`cswork build`, `cswork serve`,
or plain `pelican content -s pelicanconf.py`). Shared settings come from cswork_site."""

from cswork_site.settings import *  # noqa: F401,F403

SITENAME = "Castlebrook Children's Services: social work careers"
SITEURL = ""
OUTPUT_PATH = "output"
