"""Markdown stories: their metadata, the work done to each before Pelican reads it, and cleaning their HTML."""
