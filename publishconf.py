"""Pelican settings for the published site (`cswork build --production`)."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F401,F403,E402

SITEURL = "https://careers.castlebrook.example.org"
RELATIVE_URLS = False
FEED_ALL_ATOM = "stories/feed.atom.xml"
DELETE_OUTPUT_DIRECTORY = False
