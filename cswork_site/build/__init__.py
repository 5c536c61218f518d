"""A whole build: check the site, run Pelican, swap the output in."""
