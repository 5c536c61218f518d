"""`cswork init`: a new, neutral site folder for a council, from a few answers.

The starter site is in files/site/ (templates rendered with the answers); example CI
workflows and a Dockerfile come from ci.py. Nothing of the demo council goes into it;
every value cswork makes up is marked EXAMPLE, and `cswork check` lists those left.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, StrictUndefined

from cswork_site.data.models.nation import nation, nations
from cswork_site.files import write_whole
from cswork_site.pages.colours import contrast
from cswork_site.problems import InputError

# The nations a council can be in, from their profiles (cswork_site/assets/nations.yaml).
NATIONS = tuple(nations())
# What a council's name says about its kind, in English at the end and in Welsh at the
# start, left out of the short name (Northfield Borough Council, Cyngor Sir Ynys Môn).
_SUFFIXES = re.compile(r"\s+(metropolitan borough|royal borough|borough|county borough|county|city|district)?"
                       r"\s*council$|^cyngor\s+(bwrdeistref sirol|dinas a sir|sir|dinas|bwrdeistref)?\s*",
                       re.IGNORECASE)
STARTER = "site"  # the folder of files/ that holds the starter site
EXAMPLE_STORY_TITLE = "EXAMPLE: the first story on our new site"


@dataclass(frozen=True)
class Answers:
    council: str  # the council's full name, e.g. Northfield Borough Council
    service: str  # the children's services department, e.g. Northfield Children's Services
    url: str  # where the site will be published, e.g. https://careers.northfield.gov.uk
    email: str  # the address people write to about jobs
    nation: str = "england"
    colour: str = "#1d4f6e"  # the brand's main colour

    @property
    def short_name(self) -> str:
        return _SUFFIXES.sub("", self.council).strip() or self.council


def check_answers(answers: Answers) -> list[str]:
    """What is wrong with the answers, one sentence each (empty when all is well)."""
    from email_validator import EmailNotValidError, validate_email

    wrong = []
    for name in ("council", "service"):
        value = getattr(answers, name)
        if not value.strip() or len(value) > 200 or any(c in value for c in "\r\n\t"):
            wrong.append(f"--{name}: expected a name of 1 to 200 characters on one line; found {value!r}")
    parts = urlsplit(answers.url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        wrong.append(f"--url: expected the address the site will be published at, starting https://, "
                     f"such as https://careers.northfield.gov.uk; found {answers.url!r}")
    try:
        validate_email(answers.email, check_deliverability=False)
    except EmailNotValidError as exc:
        wrong.append(f"--email: expected an email address such as jobs@northfield.gov.uk; found "
                     f"{answers.email!r} ({exc})")
    if answers.nation not in NATIONS:
        wrong.append(f"--nation: expected one of {', '.join(NATIONS)}; found {answers.nation!r}")
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", answers.colour):
        wrong.append(f"--colour: expected # and 6 hex digits, such as #1d4f6e; found {answers.colour!r}")
    return wrong


def _yaml(value: str) -> str:
    # A JSON string is a YAML string: quotes, colons and # in a name stay text.
    return json.dumps(value, ensure_ascii=False)


def _xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _environment() -> Environment:
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters.update(yaml=_yaml, py=lambda v: json.dumps(v, ensure_ascii=False), xml=_xml)
    return env


def _text_on(colour: str) -> str:
    """White or near-black, whichever reads better on colour (one of them always passes 4.5:1)."""
    return max(("#ffffff", "#0b0c0c"), key=lambda text: contrast(text, colour))


def _values(answers: Answers, today: dt.date) -> dict[str, object]:
    profile = nation(answers.nation)
    start = today.year if today >= dt.date(today.year, 4, 1) else today.year - 1
    host = urlsplit(answers.url).hostname or ""
    domain = answers.email.rsplit("@", 1)[-1]
    colour = answers.colour.lower()
    words = [w for w in re.split(r"[\s-]+", answers.short_name) if w]
    return {
        "council": answers.council, "service": answers.service, "short_name": answers.short_name,
        "sitename": f"{answers.service}: social work careers", "url": answers.url.rstrip("/"),
        # The council's main site is not asked for: the careers site's own address stands
        # in until it is changed (cswork check warns when the two disagree).
        "website": f"https://{host}/", "email": answers.email, "dpo_email": f"dataprotection@{domain}",
        "nation": answers.nation, "regulator": profile.regulator.name, "inspectorate": profile.inspectorate.name,
        "graded": profile.inspectorate.graded, "early_career": profile.early_career[0].short_name,
        "region": "Wales" if answers.nation == "wales" else "EXAMPLE: your region, such as North West",
        "colour": colour, "colour_text": _text_on(colour),
        "link": colour if contrast(colour, "#ffffff") >= 4.5 else "#1d4f91",
        "initials": "".join(w[0] for w in words[:2]).upper() or "C",
        "today": today.isoformat(), "pay_year": f"{start} to {start + 1}",
    }


def starter_files(answers: Answers, today: dt.date) -> dict[str, str]:
    """Every file of the new site, by its path in the site folder."""
    from cswork_site.stories.meta import SUMMARY_HINT, StoryKind

    env = _environment()
    values = _values(answers, today)
    root = files("cswork_site.newsite") / "files" / STARTER
    out: dict[str, str] = {}

    def walk(folder, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            rel = f"{prefix}{entry.name}"
            if entry.is_dir():
                walk(entry, rel + "/")
            else:
                out[_target(rel)] = env.from_string(entry.read_text("utf-8")).render(**values)

    walk(root, "")
    story = files("cswork_site") / "assets" / "story.md"
    out[f"content/stories/{today.isoformat()}-example-story.md"] = env.from_string(story.read_text("utf-8")).render(
        title=EXAMPLE_STORY_TITLE, today=today.isoformat(), kind=StoryKind.news.value, summary_hint=SUMMARY_HINT,
        kinds=", ".join(k.value for k in StoryKind))
    out.update(_editor_help(out))
    out["README.md"] = env.from_string((files("cswork_site.newsite") / "files" / "README.md").read_text("utf-8")
                                       ).render(**values)
    return out


def _editor_help(written: dict[str, str]) -> dict[str, str]:
    """Each data file named by its first line to its schema, the schemas, and VS Code's
    setting that points at them, so an HR lead gets completion and errors while typing."""
    from cswork_site.data.schema import (
        SCHEMA_FILES,
        SETTINGS_FILE,
        SETTINGS_KEY,
        editor_settings,
        schema_text,
        with_schema_comment,
    )

    help_files = {rel: with_schema_comment(rel, text) for rel, text in written.items() if rel.endswith(".yaml")}
    help_files.update({file.relpath: schema_text(file) for file in SCHEMA_FILES})
    help_files[SETTINGS_FILE] = json.dumps({SETTINGS_KEY: editor_settings()}, indent=2) + "\n"
    return help_files


def _target(rel: str) -> str:
    # Stored under other names so that no tool takes them for the package's own files.
    return "." + rel if rel == "gitignore" else rel.removesuffix(".tmpl")


def write_site(folder: Path, files_: dict[str, str]) -> list[str]:
    """Write the new site into folder, all or nothing. A file already there is never
    replaced: InputError names each one, and nothing is written."""
    there = sorted(rel for rel in files_ if os.path.lexists(folder / rel))
    if there:
        raise InputError(f"{folder} already has {', '.join(there)}; cswork init never replaces a file. "
                         "Start the site in a new or empty folder, or move those files away first.")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file, not a folder; give a folder for the new site")
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".cswork-init-", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the site is an ordinary folder
    try:
        for rel, text in files_.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            write_whole(target, text.encode("utf-8"), mode=0o644)
        if not folder.exists():
            staging.rename(folder)  # the whole site appears at once
            return sorted(files_)
        for rel in files_:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(staging / rel, folder / rel)  # a link never replaces a file made meanwhile
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(files_)
