"""Site search: after Pelican has written the site, Pagefind indexes it into pagefind/.

Only the parts of pages marked `data-pagefind-body` are indexed (published stories, the
offer and role pages, careers and stage pages, our practice and job pages); once any page
carries that mark, Pagefind skips every page without it. The search page's own script
loads pagefind/pagefind.js from the site itself.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .problems import InputError

BUNDLE_DIR = "pagefind"
TIMEOUT_SECONDS = 300
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class SearchIndexFailed(InputError):
    """Pagefind could not index the site: one line for the user, and nothing is replaced."""


def _pagefind() -> Path:
    try:
        from pagefind.service import get_executable

        executable = get_executable()
    except (ImportError, OSError):
        executable = None
    if executable is None:
        raise SearchIndexFailed("the search index was not built: the Pagefind program is missing; "
                                "install it with: pip install 'pagefind[bin]'")
    return Path(executable)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in _ANSI.sub("", text).splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def index_site(output: Path) -> None:
    """Write the search index for the site in output/ to output/pagefind/."""
    output = Path(output)
    command = [str(_pagefind()), "--site", str(output), "--output-subdir", BUNDLE_DIR, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise SearchIndexFailed(f"the search index was not built: Pagefind took longer than "
                                f"{TIMEOUT_SECONDS} seconds") from None
    except OSError as exc:
        raise SearchIndexFailed(f"the search index was not built: could not run Pagefind "
                                f"({exc.strerror or exc})") from None
    if result.returncode != 0:
        raise SearchIndexFailed("the search index was not built: Pagefind said: "
                                + _last_line(result.stderr or result.stdout))
    if not (output / BUNDLE_DIR / "pagefind.js").is_file():
        raise SearchIndexFailed(f"the search index was not built: Pagefind wrote no {BUNDLE_DIR}/pagefind.js")
