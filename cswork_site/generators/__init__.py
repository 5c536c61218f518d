"""Pelican generators that write the pages built from a site's data files."""
