"""Add the interface's new messages to each language's catalogue (cswork.po), for a
maintainer to translate: `python tools/update_catalogue.py`. See docs/translating.md."""

from __future__ import annotations

import sys

from cswork_site.catalogue import main

if __name__ == "__main__":
    sys.exit(main(["--update", *sys.argv[1:]]))
