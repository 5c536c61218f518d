"""The command line: the cswork commands and the preview."""
