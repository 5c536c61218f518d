"""Workforce snapshots on disk: data/metrics/YYYY-MM-DD.yaml, one file per "as at" date.

A snapshot is history: once written it is never overwritten, so a page showing figures
over time can always be traced back to the file each figure came from. New snapshots
are written beside the others in a temporary file, read back and checked, then given
their name with os.link, which fails rather than replace a file that is already there.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from cswork_site.data.loading import load_model, validate_document
from cswork_site.data.models.metrics import STANDARD_FIGURES, MetricsSettings, Snapshot, Unit
from cswork_site.data.yamlfile import Loc, YamlDocument, load_yaml, refused_file
from cswork_site.problems import WHOLE_FILE, InputError, Problem, ProblemsFound, errors

SNAPSHOT_DIR = "data/metrics"
SETTINGS_FILE = "data/metrics.yaml"
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.yaml$")
# Where a temporary snapshot lives while it is checked: hidden, and not *.yaml, so a
# file left by a killed pull is never read as a snapshot.
_TEMP_PREFIX, _TEMP_SUFFIX = ".pull-", ".tmp"


class MetricsError(InputError):
    """A metrics problem for the user: one line, or a summary line and one line per problem.

    Each line reads well after "cswork: ", which is how the command line prints them.
    """

    def __init__(self, message: str, details: Iterable[str] = ()):
        self.message = message
        self.details = list(details)
        super().__init__("\n".join([message, *self.details]))

    @property
    def lines(self) -> list[str]:
        return [self.message, *self.details]


def snapshot_path(as_at: dt.date) -> str:
    """The file a snapshot for as_at lives in, relative to the site folder."""
    return f"{SNAPSHOT_DIR}/{as_at.isoformat()}.yaml"


def load_settings(site: Path) -> tuple[MetricsSettings | None, list[Problem]]:
    """data/metrics.yaml, validated; (None, []) when the site has none (it is optional)."""
    file = site / SETTINGS_FILE
    if not file.exists():
        return None, []
    doc, settings, problems = load_model(site, SETTINGS_FILE, MetricsSettings)
    if doc is None or settings is None:
        return None, problems
    assert isinstance(settings, MetricsSettings)
    seen: dict[str, int] = {}
    for i, kpi in enumerate(settings.local_kpis):
        if kpi.id in seen:
            problems.append(doc.problem(("local_kpis", i, "id"),
                                        f"KPI {kpi.id!r} is defined twice; it is already local_kpis[{seen[kpi.id]}]"))
        seen.setdefault(kpi.id, i)
    if settings.source is not None:
        url = settings.source.url
        scheme = _SCHEME.match(url)
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            problems.append(doc.problem(("source", "url"),
                                        "expected an http:// or https:// address, or a file path; "
                                        f"found {without_secrets(url)!r}"))
        elif scheme and has_credentials(url):
            problems.append(doc.problem(("source", "url"), CREDENTIALS_MESSAGE))
    return (None if errors(problems) else settings), problems


# ---------------------------------------------------------------------------
# Addresses: a password never goes into a message, a log line or a request


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
TOKEN_VARIABLE = "CSWORK_METRICS_TOKEN"
CREDENTIALS_MESSAGE = (
    "the address holds a user name or password (the part before @); cswork never sends a "
    "password written in an address, where it is kept in files and shown in logs: give the "
    f"address without it, and put the dashboard's access token in the {TOKEN_VARIABLE} "
    "environment variable instead (see docs/metrics-sources.md)")


def _authority(url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else ""
    for end in "/?#":
        rest = rest.split(end, 1)[0]
    return rest


def has_credentials(url: str) -> bool:
    """Whether an http(s) address names a user or a password, as in https://user:pass@host/."""
    return bool(_SCHEME.match(url)) and "@" in _authority(url)


def without_secrets(url: str) -> str:
    """url with no user name, password or query (a query may hold a key)."""
    match = _SCHEME.match(url)
    if not match:
        return url
    authority = _authority(url)
    rest = url[len(match.group(0)) + len(authority):]
    path, query, _ = rest.partition("?")
    path = path.split("#", 1)[0]
    return f"{match.group(0)}{authority.rsplit('@', 1)[-1]}{path}{'?...' if query else ''}"


def check_snapshot(snapshot: Snapshot, settings: MetricsSettings | None,
                   check_kpis: bool = True) -> list[tuple[Loc, str]]:
    """What the schema alone cannot say is wrong with a snapshot, as (location, message).

    Shared by load_snapshots (which turns locations into file lines) and the pull (which
    reports them against the source), so a pulled snapshot is held to the same rules.
    """
    found: list[tuple[Loc, str]] = []
    figures = snapshot.figures()
    for name, figure in figures.items():
        expected = STANDARD_FIGURES[name][1]
        if figure.unit != expected:
            found.append(((name, "unit"), f"{name} must be in {expected.value!r}; found {figure.unit.value!r}"))
        elif expected is Unit.percent and figure.value > 100:
            found.append(((name, "value"), f"a percentage must be between 0 and 100; found {_plain(figure.value)}"))
        elif expected is Unit.people and figure.value != figure.value.to_integral_value():
            found.append(((name, "value"), f"a count of people must be a whole number; found {_plain(figure.value)}"))
    if not figures and not snapshot.staff_survey and not snapshot.local:
        found.append(((), "holds no figures; expected at least one, such as vacancy_rate"))
    if snapshot.collected is not None and snapshot.collected < snapshot.as_at:
        found.append((("collected",), (f"is before as_at ({snapshot.as_at}): figures cannot be collected "
                                       "before the date they describe")))
    seen_survey: set[str] = set()
    for i, result in enumerate(snapshot.staff_survey):
        if result.id in seen_survey:
            found.append((("staff_survey", i, "id"), f"survey question {result.id!r} appears twice"))
        seen_survey.add(result.id)
    kpis = {k.id: k for k in settings.local_kpis} if settings else {}
    seen_kpi: set[str] = set()
    for i, local in enumerate(snapshot.local):
        loc: Loc = ("local", i)
        if local.kpi in seen_kpi:
            found.append((loc + ("kpi",), f"KPI {local.kpi!r} appears twice"))
        seen_kpi.add(local.kpi)
        kpi = kpis.get(local.kpi)
        if kpi is None and not check_kpis:
            continue
        if kpi is None:
            close = difflib.get_close_matches(local.kpi, list(kpis), n=1, cutoff=0.6)
            hint = (f"did you mean {close[0]!r}?" if close else
                    "define it under local_kpis in data/metrics.yaml" if kpis or settings else
                    "define it under local_kpis in data/metrics.yaml (the file does not exist yet)")
            found.append((loc + ("kpi",), f"unknown KPI {local.kpi!r}; {hint}"))
        elif kpi.unit.strip().lower() in ("percent", "%") and not 0 <= local.value <= 100:
            found.append((loc + ("value",), f"a percentage must be between 0 and 100; found {_plain(local.value)}"))
    return found


def _check_document(doc: YamlDocument, snapshot: Snapshot, settings: MetricsSettings | None,
                    file_name: str, check_kpis: bool = True) -> list[Problem]:
    problems = [doc.problem(loc, message) for loc, message in check_snapshot(snapshot, settings, check_kpis)]
    expected = f"{snapshot.as_at.isoformat()}.yaml"
    if file_name != expected:
        where = ("as_at",) if ("as_at",) in doc.lines else ()
        problems.append(doc.problem(where, f"the file is named {file_name!r} but as_at is {snapshot.as_at}; "
                                           f"a snapshot file is named by its as_at date: rename it {expected!r}"))
    return problems


def _load_one(file: Path, settings: MetricsSettings | None,
              settings_ok: bool) -> tuple[YamlDocument | None, Snapshot | None, list[Problem]]:
    shown = f"{SNAPSHOT_DIR}/{file.name}"
    doc, problems = load_yaml(file, shown)
    if doc is None:
        return None, None, problems
    snapshot, more = validate_document(doc, Snapshot)
    problems += more
    if snapshot is None:
        return doc, None, problems
    assert isinstance(snapshot, Snapshot)
    # When data/metrics.yaml is broken (and reported as such) every KPI would look unknown.
    return doc, snapshot, problems + _check_document(doc, snapshot, settings, file.name, settings_ok)


def load_snapshots(site: Path) -> tuple[list[tuple[YamlDocument, Snapshot]], list[Problem]]:
    """Every snapshot in data/metrics/, oldest first, and every problem with them.

    The problems include those of data/metrics.yaml, since the snapshots are checked
    against it. A snapshot that fits the schema is returned even if a later check found
    a problem with it; callers that publish must stop on any error in the list.
    """
    settings, problems = load_settings(site)
    settings_ok = settings is not None or not (site / SETTINGS_FILE).exists()
    folder = site / SNAPSHOT_DIR
    loaded: list[tuple[YamlDocument, Snapshot]] = []
    for file in sorted(folder.iterdir()) if folder.is_dir() else []:
        if file.name.startswith("."):
            continue
        if file.suffix.lower() in (".yaml", ".yml") and not file.is_file():
            # A link to nothing, a loop, a folder or a pipe named like a snapshot is
            # reported, never passed over: figures must not drop out unnoticed.
            refused = refused_file(file, f"{SNAPSHOT_DIR}/{file.name}")
            if refused is not None:
                problems.append(refused)
            continue
        if not file.is_file():
            continue
        if file.suffix.lower() == ".yml":
            problems.append(Problem(f"{SNAPSHOT_DIR}/{file.name}", 1, WHOLE_FILE,
                                    f"snapshot files end in .yaml; rename it {file.stem}.yaml"))
            continue
        if file.suffix != ".yaml":
            continue  # a README or a spreadsheet kept beside the snapshots is not ours to judge
        doc, snapshot, more = _load_one(file, settings, settings_ok)
        problems += more
        if doc is not None and snapshot is not None:
            loaded.append((doc, snapshot))
    loaded.sort(key=lambda pair: (pair[1].as_at, pair[0].path))
    # Each snapshot with the one before it (none for the first).
    for (_, before), (doc, snapshot) in zip([(None, None), *loaded], loaded, strict=False):
        problems += [doc.problem(loc, message, "warning")
                     for loc, message in implausible(snapshot, before, settings)]
    return loaded, problems


# ---------------------------------------------------------------------------
# Figures that are valid but probably not what was meant


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _shown(value: Decimal) -> str:
    """A figure as a person would write it, without trailing zeros: 13.9, not 13.900."""
    text = _plain(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percentages(snapshot: Snapshot, settings: MetricsSettings | None) -> dict[str, tuple[Loc, Decimal]]:
    """Every figure of the snapshot that is a percentage, by the name a person knows it by."""
    found: dict[str, tuple[Loc, Decimal]] = {}
    for name, figure in snapshot.figures().items():
        if STANDARD_FIGURES[name][1] is Unit.percent and figure.unit is Unit.percent:
            found[name] = ((name, "value"), figure.value)
    for i, result in enumerate(snapshot.staff_survey):
        found.setdefault(f"survey:{result.id}", (("staff_survey", i, "value"), result.value))
    percent_kpis = {k.id for k in settings.local_kpis
                    if k.unit.strip().lower() in ("percent", "%")} if settings else set()
    for i, local in enumerate(snapshot.local):
        if local.kpi in percent_kpis:
            found.setdefault(f"kpi:{local.kpi}", (("local", i, "value"), local.value))
    return found


# A count of people that more than doubles, or more than halves, from one snapshot to the
# next is far more often a slip (another count, a digit too many) than a real change.
_SIZES = ("headcount", "fte")


def implausible(snapshot: Snapshot, before: Snapshot | None,
                settings: MetricsSettings | None) -> list[tuple[Loc, str]]:
    """Warnings, as (location, message), for figures that are valid but look mistaken:
    a rate written as a fraction (0.139 for 13.9%), and a headcount that more than
    doubles or halves since the snapshot before."""
    found: list[tuple[Loc, str]] = []
    rates = _percentages(snapshot, settings)
    previous = _percentages(before, settings) if before is not None else {}
    # The standard rates are the ones a dashboard exports together, so when every one of
    # them is below 1 the export is in fractions, whatever the survey or a KPI says.
    standard = [value for name, (_, value) in rates.items() if name in STANDARD_FIGURES]
    every_below_one = bool(standard) and all(value < 1 for value in standard)
    for name, (loc, value) in rates.items():
        if not 0 < value < 1:
            continue
        written = _shown(value * 100)
        if name in previous and previous[name][1] >= 1:
            assert before is not None
            found.append((loc, f"{name} is {_shown(value)}, and {_shown(previous[name][1])} in the snapshot of "
                               f"{_long_date(before.as_at)}: is it a fraction? rates are percentages, "
                               f"so write {written}"))
        elif every_below_one and name in STANDARD_FIGURES:
            found.append((loc, f"{name} is {_shown(value)}, and every rate in this snapshot is below 1: "
                               f"is it a fraction? rates are percentages, so write {written}"))
    if before is not None:
        for name in _SIZES:
            now, then = getattr(snapshot, name), getattr(before, name)
            if now is None or then is None or then.value <= 0:
                continue
            if now.value > 2 * then.value:
                change = "more than doubled"
            elif now.value < then.value / 2:
                change = "fallen by more than half"
            else:
                continue
            found.append(((name, "value"), f"{name} is {_shown(now.value)}, and {_shown(then.value)} in the snapshot "
                                           f"of {_long_date(before.as_at)}: it has {change}; check it counts "
                                           "the same people as before"))
    return found


def stored_dates(site: Path) -> set[dt.date]:
    """The as_at dates already taken: by a file's name even if the file cannot be read."""
    folder = site / SNAPSHOT_DIR
    dates: set[dt.date] = set()
    for file in folder.iterdir() if folder.is_dir() else []:
        match = _NAME.match(file.name)
        if match:
            try:
                dates.add(dt.date.fromisoformat(match.group(1)))
            except ValueError:
                pass
    return dates


def newest(snapshots: Iterable[Snapshot | tuple[YamlDocument, Snapshot]]) -> Snapshot | None:
    """The snapshot with the latest as_at; accepts load_snapshots' pairs or bare snapshots."""
    best: Snapshot | None = None
    for item in snapshots:
        snapshot = item[1] if isinstance(item, tuple) else item
        if best is None or snapshot.as_at > best.as_at:
            best = snapshot
    return best


# ---------------------------------------------------------------------------
# Writing


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # "- " under its key, as people write it


def _plain(value: Decimal) -> str:
    """A Decimal as a person writes it: 14.2, 180, never 1.8E+2."""
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = _plain(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def _figure(figure) -> dict[str, Any]:
    out: dict[str, Any] = {"value": figure.value, "unit": figure.unit.value}
    for key in ("denominator", "period_months", "source", "as_at"):
        if getattr(figure, key) is not None:
            out[key] = getattr(figure, key)
    return out


def to_yaml(snapshot: Snapshot) -> str:
    """The snapshot as the YAML a person would write by hand, keys in reading order."""
    data: dict[str, Any] = {"as_at": snapshot.as_at, "source": snapshot.source}
    if snapshot.source_url is not None:
        data["source_url"] = str(snapshot.source_url)
    if snapshot.collected is not None:
        data["collected"] = snapshot.collected
    for name, figure in snapshot.figures().items():
        data[name] = _figure(figure)
    if snapshot.staff_survey:
        data["staff_survey"] = [
            {"id": r.id, "question": r.question, "value": r.value,
             **{k: getattr(r, k) for k in ("respondents", "invited") if getattr(r, k) is not None}}
            for r in snapshot.staff_survey]
    if snapshot.local:
        data["local"] = [{"kpi": f.kpi, "value": f.value,
                          **({"denominator": f.denominator} if f.denominator is not None else {})}
                         for f in snapshot.local]
    header = (f"# Workforce figures as at {snapshot.as_at.day} {snapshot.as_at:%B %Y}.\n"
              "# Snapshots are history: never edit an old one; add a new file for new figures.\n")
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)
    return header + body


def write_snapshot(site: Path, snapshot: Snapshot) -> Path:
    """Write data/metrics/<as_at>.yaml, never replacing a file; returns its path.

    The file appears whole or not at all: it is written under a temporary name, read
    back and checked as a build would check it, and only then linked to its real name.
    """
    settings, problems = load_settings(site)
    if errors(problems):
        raise ProblemsFound(problems)
    relpath = snapshot_path(snapshot.as_at)
    target = site / relpath
    if target.exists():
        raise MetricsError(exists_message(snapshot.as_at))
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    payload = to_yaml(snapshot).encode("utf-8")
    fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        temp.chmod(0o644)  # mkstemp makes it private; it is data the site's editors share
        _recheck(temp, relpath, settings, target.name)
        _publish(temp, target, payload, snapshot.as_at)
    finally:
        temp.unlink(missing_ok=True)
    _sync_folder(folder)
    return target


def exists_message(as_at: dt.date) -> str:
    return (f"a snapshot for {as_at} already exists: {snapshot_path(as_at)}; "
            "snapshots are never overwritten")


def _recheck(temp: Path, relpath: str, settings: MetricsSettings | None, name: str) -> None:
    """Read the written bytes back as the build will, so a file we write always loads."""
    doc, problems = load_yaml(temp, relpath)
    snapshot = None
    if doc is not None:
        snapshot, more = validate_document(doc, Snapshot)
        problems += more
    if doc is not None and isinstance(snapshot, Snapshot):
        problems += _check_document(doc, snapshot, settings, name)
    if errors(problems) or snapshot is None:
        raise ProblemsFound(problems or [Problem(relpath, 1, WHOLE_FILE, "could not be read back after writing")])


def _publish(temp: Path, target: Path, payload: bytes, as_at: dt.date) -> None:
    try:
        os.link(temp, target)  # atomic, and fails if target exists: nothing is ever replaced
        return
    except FileExistsError:
        raise MetricsError(exists_message(as_at)) from None
    except OSError:
        pass  # a filesystem without hard links: fall back to an exclusive create
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise MetricsError(exists_message(as_at)) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)  # ours, created just now: never leave half a file
        raise


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
