"""Pelican settings for the published site (`cswork build demo-wales --production`)."""

import os
import sys

# First, so that this site's pelicanconf.py is the one imported, never one in the folder
# the command was run from.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F401,F403,E402

SITEURL = "https://gyrfaoedd.glanrhydwen.example.org"
RELATIVE_URLS = False
FEED_ALL_ATOM = "stories/feed.atom.xml"
DELETE_OUTPUT_DIRECTORY = False
