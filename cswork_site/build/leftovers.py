"""What a new site still carries that is not its own: values `cswork init` made up (each
marked EXAMPLE), the demo council's name, address and email copied with its files, and
a published address (SITEURL) that does not agree with the service's own website.

Each is a warning at its line: the site builds, and `--strict` stops until it is fixed.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from cswork_site.data.loading import REGISTRY, SERVICE, Loaded
from cswork_site.data.yamlfile import dotted, read_data_file
from cswork_site.faults import _line_setting
from cswork_site.problems import Problem, ProblemsFound
from cswork_site.safeguarding.screening import published_strings

# The marker `cswork init` puts on every value it makes up (never in a hint).
EXAMPLE = re.compile(r"\bEXAMPLE\b")
# The demo council in cswork's repository, made up for it: found anywhere else, it was
# copied from the demo.
DEMO_COUNCIL = "Castlebrook"
# Every demo council in the repository: the English one at its root and the Welsh one in
# demo-wales/ may keep their example addresses.
DEMO_COUNCILS = (DEMO_COUNCIL, "Glanrhydwen")
DEMO = re.compile(r"castlebrook", re.IGNORECASE)
# Addresses reserved for examples (RFC 2606 and 6761): never a real site's.
RESERVED = re.compile(r"(^|\.)(example\.(org|com|net)|example|test|invalid|localhost)$", re.IGNORECASE)
_SETTING = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*=")


def leftovers(site: Path, loaded: Loaded) -> list[Problem]:
    service = loaded.get(SERVICE)
    is_demo = service is not None and any(c.lower() in service.authority.lower() for c in DEMO_COUNCILS)
    problems = _examples(site, loaded)
    if not is_demo:
        problems += _demo_in_data(loaded) + _demo_in_settings(site)
    if service is not None:
        problems += _site_address(site, str(service.website), is_demo)
    return problems


def _lines(path: Path, site: Path) -> list[str]:
    """The lines of a file of the site, read the one safe way (a named pipe, a link out of
    the site or a huge file is never opened here); what cannot be read is reported where
    the file is read for the build."""
    try:
        shown = path.relative_to(site).as_posix()
    except ValueError:
        return []
    data, _ = read_data_file(path, shown)
    return data.decode("utf-8", errors="replace").splitlines() if data is not None else []


def _examples(site: Path, loaded: Loaded) -> list[Problem]:
    """Every line of a data file that still holds an EXAMPLE value, named by the field
    that line belongs to."""
    docs = {f.path: loaded.documents.get(f.key) for f in REGISTRY}
    paths = [f.path for f in REGISTRY] + sorted(p.relative_to(site).as_posix()
                                                for p in (site / "data" / "metrics").glob("*.yaml"))
    problems = []
    for rel in paths:
        doc = docs.get(rel)
        starts = sorted((line, loc) for loc, line in doc.lines.items() if loc) if doc is not None else []
        for number, line in enumerate(_lines(site / rel, site), start=1):
            if not EXAMPLE.search(line) or line.lstrip().startswith("#"):
                continue
            before = [loc for start, loc in starts if start <= number]
            problems.append(Problem(rel, number, dotted(before[-1]) if before else "(example)", (
                "still holds an example value that cswork init made up: write your own "
                "and delete the word EXAMPLE"), "warning"))
    return problems


def _demo_in_data(loaded: Loaded) -> list[Problem]:
    problems = []
    for key, model in loaded.models.items():
        doc = loaded.documents.get(key)
        if doc is None:
            continue
        for loc, text in published_strings(model):
            if DEMO.search(text):
                problems.append(doc.problem(loc, (
                    f"still names the demo council ({DEMO_COUNCIL}), copied from cswork's example site: "
                    "write your own council's details"), "warning"))
    return problems


def _demo_in_settings(site: Path) -> list[Problem]:
    problems = []
    for rel in ("pelicanconf.py", "publishconf.py"):
        for number, line in enumerate(_lines(site / rel, site), start=1):
            code = line.split("#", 1)[0]
            if DEMO.search(code):
                setting = _SETTING.match(code)
                problems.append(Problem(rel, number, setting.group(1) if setting else "(settings)", (
                    f"still names the demo council ({DEMO_COUNCIL}), copied from cswork's example site: "
                    "every page would carry it; write your own"), "warning"))
    return problems


def _site_address(site: Path, website: str, is_demo: bool) -> list[Problem]:
    """SITEURL in publishconf.py, the address the site is published at, against the
    service's own website: a copied or mistyped one sends every link and feed elsewhere."""
    from cswork_site.build.sitefolder import PRODUCTION_SETTINGS_FILE, load_settings

    if not (site / PRODUCTION_SETTINGS_FILE).is_file():
        return []
    try:
        siteurl = str(load_settings(site, PRODUCTION_SETTINGS_FILE).get("SITEURL") or "")
    except ProblemsFound:
        return []  # reported with the site folder's problems
    except Exception:  # the settings file's own fault, which a build reports
        return []
    at = (PRODUCTION_SETTINGS_FILE, _line_setting(site, PRODUCTION_SETTINGS_FILE, "SITEURL"), "SITEURL")
    host = (urlsplit(siteurl).hostname or "").lower()
    if not host:
        return [Problem(*at, "is empty: set it to the address the site is published at, such as "
                        "https://careers.yourcouncil.gov.uk, or links in feeds and the sitemap go nowhere",
                        "warning")]
    if RESERVED.search(host) and not is_demo:
        return [Problem(*at, f"is {siteurl}, an address kept for examples, never a real site: set it to "
                        "the address your site is published at", "warning")]
    own = (urlsplit(website).hostname or "").lower()
    base = own.removeprefix("www.")
    if own and host != own and host != base and not host.endswith("." + base):
        return [Problem(*at, f"is {siteurl}, but data/service.yaml says your website is {website}: the "
                        "site should be published at your council's own address (or one under it, such as "
                        f"careers.{base}); check both", "warning")]
    return []
