"""Workforce snapshots on disk: data/metrics/YYYY-MM-DD.yaml, one file per "as at" date.

A snapshot is history: once written it is never overwritten, so a page showing figures
over time can always be traced back to the file each figure came from. New snapshots
are written beside the others in a temporary file, read back and checked, then given
their name with os.link, which fails rather than replace a file that is already there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from cswork_site.data.loading import load_model, validate_document
from cswork_site.data.models.metrics import STANDARD_FIGURES, MetricsSettings, Snapshot, Unit
from cswork_site.data.yamlfile import Loc, YamlDocument, dump_yaml, load_yaml, plain_number as _plain, refused_file
from cswork_site.files import write_whole
from cswork_site.problems import (
    WHOLE_FILE,
    FirstSeen,
    InputError,
    Problem,
    ProblemsFound,
    did_you_mean,
    errors,
    repeats,
)

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


def read_settings(site: Path) -> tuple[YamlDocument | None, MetricsSettings | None, list[Problem]]:
    """data/metrics.yaml read once: its document (for its lines), its settings (None when
    it has an error) and its problems; (None, None, []) when the site has none (it is
    optional)."""
    if not (site / SETTINGS_FILE).exists():
        return None, None, []
    doc, settings, problems = load_model(site, SETTINGS_FILE, MetricsSettings)
    if doc is None or not isinstance(settings, MetricsSettings):
        return doc, None, problems
    checked, more = check_settings(doc, settings)
    problems += more
    return doc, (None if errors(problems) else checked), problems


def load_settings(site: Path) -> tuple[MetricsSettings | None, list[Problem]]:
    """data/metrics.yaml, validated; (None, []) when the site has none (it is optional)."""
    _, settings, problems = read_settings(site)
    return settings, problems


def check_settings(doc: YamlDocument, settings: MetricsSettings) -> tuple[MetricsSettings | None, list[Problem]]:
    """What the schema alone cannot say is wrong with data/metrics.yaml, validated already;
    the settings are None when that is an error."""
    problems = [doc.problem(("local_kpis", i, "id"),
                            f"KPI {kpi_id!r} is defined twice; it is already local_kpis[{first}]")
                for kpi_id, i, first in repeats((kpi.id, i) for i, kpi in enumerate(settings.local_kpis))]
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
    found += [(("staff_survey", i, "id"), f"survey question {question!r} appears twice")
              for question, i, _ in repeats((r.id, i) for i, r in enumerate(snapshot.staff_survey))]
    kpis = {k.id: k for k in settings.local_kpis} if settings else {}
    seen_kpi: FirstSeen[str, int] = FirstSeen()
    for i, local in enumerate(snapshot.local):
        loc: Loc = ("local", i)
        if seen_kpi.before(local.kpi, i) is not None:
            found.append((loc + ("kpi",), f"KPI {local.kpi!r} appears twice"))
        kpi = kpis.get(local.kpi)
        if kpi is None and not check_kpis:
            continue
        if kpi is None:
            hint = (did_you_mean(local.kpi, kpis) or
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


Settings = tuple[MetricsSettings | None, list[Problem]]  # data/metrics.yaml as load_settings gives it


def load_snapshots(site: Path, metrics: Settings | None = None
                   ) -> tuple[list[tuple[YamlDocument, Snapshot]], list[Problem]]:
    """Every snapshot in data/metrics/, oldest first, and every problem with them.

    The problems include those of data/metrics.yaml, since the snapshots are checked
    against it. metrics: data/metrics.yaml as load_settings gives it, when the caller has
    read it already (then its problems are the ones the caller gives, not read again).
    A snapshot that fits the schema is returned even if a later check found a problem
    with it; callers that publish must stop on any error in the list.
    """
    settings, given = metrics if metrics is not None else load_settings(site)
    problems = list(given)
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
    from cswork_site.data.schema import with_schema_comment  # here: schema.py imports this module

    return with_schema_comment(snapshot_path(snapshot.as_at), header + dump_yaml(data))


def write_snapshot(site: Path, snapshot: Snapshot, metrics: Settings | None = None) -> Path:
    """Write data/metrics/<as_at>.yaml, never replacing a file; returns its path.
    metrics: data/metrics.yaml as load_settings gives it, if the caller has read it.

    The file appears whole or not at all: it is written under a temporary name, read
    back and checked as a build would check it, and only then linked to its real name.
    """
    settings, problems = metrics if metrics is not None else load_settings(site)
    if errors(problems):
        raise ProblemsFound(problems)
    relpath = snapshot_path(snapshot.as_at)
    target = site / relpath
    if target.exists():
        raise MetricsError(exists_message(snapshot.as_at))
    try:
        write_whole(target, to_yaml(snapshot).encode("utf-8"), replace=False, durable=True,
                    mode=0o644,  # a temporary file is private; this is data the site's editors share
                    check=lambda temp: _recheck(temp, relpath, settings, target.name),
                    prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX)
    except FileExistsError:
        raise MetricsError(exists_message(snapshot.as_at)) from None
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
