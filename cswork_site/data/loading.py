"""Load a site's data files into validated, typed models, collecting every problem.

Files, then models, then cross-checks: each step adds to one list of problems so a
person sees everything that is wrong in one run.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from cswork_site.data.models import Careers, Offer, PracticeFramework, Service, Testimonials
from cswork_site.data.models.agency import Agency
from cswork_site.data.models.applying import Applying
from cswork_site.data.models.common import ID_PATTERN, is_two_language, site_languages, texts_by_language
from cswork_site.data.models.events import Events
from cswork_site.data.models.metrics import Benchmarks, MetricsSettings
from cswork_site.data.models.pay_rules import PayRules
from cswork_site.data.models.strategy import Strategy
from cswork_site.data.models.vacancies import Vacancies
from cswork_site.data.yamlfile import Loc, YamlDocument, load_yaml, refused_file
from cswork_site.languages import DEFAULT_LANGUAGE, LANGUAGES, Language, speaking
from cswork_site.problems import WHOLE_FILE, Problem, describe, did_you_mean, errors

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class DataFile(Generic[M]):
    """One data file: its key (the SiteData field it fills), where it is, the model that
    validates it, and whether every site must have it (a site may leave an optional file
    out: its pages then say there is nothing to show)."""

    key: str
    path: str
    model: type[M]
    required: bool = True


SERVICE = DataFile("service", "data/service.yaml", Service)
OFFER = DataFile("offer", "data/offer.yaml", Offer)
CAREERS = DataFile("careers", "data/careers.yaml", Careers)
TESTIMONIALS = DataFile("testimonials", "data/testimonials.yaml", Testimonials)
PRACTICE = DataFile("practice", "data/practice.yaml", PracticeFramework)
VACANCIES = DataFile("vacancies", "data/vacancies.yaml", Vacancies, required=False)
EVENTS = DataFile("events", "data/events.yaml", Events, required=False)
AGENCY = DataFile("agency", "data/agency.yaml", Agency, required=False)
PAY_RULES = DataFile("pay_rules", "data/pay-rules.yaml", PayRules, required=False)
METRICS_SETTINGS = DataFile("metrics_settings", "data/metrics.yaml", MetricsSettings, required=False)
BENCHMARKS = DataFile("benchmarks", "data/benchmarks.yaml", Benchmarks, required=False)
STRATEGY = DataFile("strategy", "data/strategy.yaml", Strategy, required=False)
APPLYING = DataFile("applying", "data/applying.yaml", Applying, required=False)

# Every data file, in the order they are read.
REGISTRY: tuple[DataFile[Any], ...] = (SERVICE, OFFER, CAREERS, TESTIMONIALS, PRACTICE, VACANCIES, EVENTS,
                                       AGENCY, PAY_RULES, METRICS_SETTINGS, BENCHMARKS, STRATEGY, APPLYING)
# Views of the registry by key, as (path, model): the files every site has, and the rest.
DATA_FILES: dict[str, tuple[str, type[BaseModel]]] = {f.key: (f.path, f.model) for f in REGISTRY if f.required}
OPTIONAL_DATA_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    f.key: (f.path, f.model) for f in REGISTRY if not f.required}


@dataclass
class Loaded:
    """The validated models of one site, with the documents they came from."""

    models: dict[str, BaseModel] = field(default_factory=dict)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # The site's languages (data/service.yaml), the main one first: the models hold the
    # main one's text; in_language gives them in another.
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)

    def in_language(self, code: str) -> Loaded:
        """The same documents validated again with their two-language text in `code`
        (their problems were reported with the main language's, so none are kept)."""
        models: dict[str, BaseModel] = {}
        with site_languages(self.languages), speaking(code):
            for file in REGISTRY:
                doc = self.documents.get(file.key)
                if doc is not None and file.key in self.models:
                    instance, _ = validate_document(doc, file.model)
                    if instance is not None:
                        models[file.key] = instance
        return Loaded(models=models, documents=self.documents, languages=self.languages)

    def get(self, file: DataFile[M]) -> M | None:
        """The file's model, typed; None when the file is absent or did not validate."""
        model = self.models.get(file.key)
        return model if isinstance(model, file.model) else None

    def need(self, file: DataFile[M]) -> M:
        """The model of a file that was loaded (a required one, once the check has passed)."""
        model = self.get(file)
        if model is None:
            raise LookupError(f"{file.path} was not loaded")
        return model


def _two_language_values(annotation: Any, metadata: list[Any], value: Any, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    """Each value in a document's value that a two-language field took, with its location,
    found by walking the value along the model's fields."""
    if any(is_two_language(m) for m in metadata):
        if value is not None:
            yield loc, value
        return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        yield from _two_language_values(inner, more, value, loc)
    elif origin in (typing.Union, types.UnionType):
        for member in typing.get_args(annotation):  # the first member that takes two-language text
            found = list(_two_language_values(member, [], value, loc))
            if found:
                yield from found
                return
    elif origin in (list, tuple) and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _two_language_values(typing.get_args(annotation)[0], [], item, loc + (i,))
    elif origin is dict and isinstance(value, dict):
        for key, item in value.items():
            yield from _two_language_values(typing.get_args(annotation)[1], [], item, loc + (key,))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
        for name, info in annotation.model_fields.items():
            if name in value:
                yield from _two_language_values(info.annotation, info.metadata, value[name], loc + (name,))


def missing_text(loaded: Loaded, unpublished: dict[str, tuple[Loc, ...]] | None = None) -> list[Problem]:
    """A warning at each two-language field of the data files that lacks the text in one
    of the site's languages (plain text is the main language's), when the site has more
    than one; none for the items under the locations in unpublished (by file key)."""
    if len(loaded.languages) < 2:
        return []
    unpublished = unpublished or {}
    shape = "{" + ", ".join(f"{c}: ..." for c in loaded.languages) + "}"
    problems = []
    with site_languages(loaded.languages):
        for file in REGISTRY:
            doc = loaded.documents.get(file.key)
            if doc is None or file.key not in loaded.models:
                continue
            held = unpublished.get(file.key, ())
            for loc, value in _two_language_values(file.model, [], doc.value, ()):
                if any(loc[:len(h)] == h for h in held):
                    continue
                given = set(texts_by_language(value)) if isinstance(value, dict) else {loaded.languages[0]}
                lacking = [LANGUAGES[c] for c in loaded.languages if c not in given]
                if lacking:
                    problems.append(doc.problem(loc, f"no {_names(lacking)} text: give it as {shape}", "warning"))
    return problems


def _names(languages: list[Language]) -> str:
    return " or ".join(lang.name for lang in languages)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types behind Optional[...], list[...], Annotated[...] and unions."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, dict):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _models_at(model: type[BaseModel], loc: Loc) -> list[type[BaseModel]]:
    """The model classes that describe the mapping at loc, for suggesting key names."""
    current = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        following = []
        for m in current:
            info = m.model_fields.get(part)
            if info is not None:
                following += [t for t in _unwrap(info.annotation)
                              if isinstance(t, type) and issubclass(t, BaseModel)]
        current = following
    return current


def _suggestion(model: type[BaseModel], loc: Loc) -> str:
    known = sorted({name for m in _models_at(model, loc[:-1]) for name in m.model_fields})
    suggestion = did_you_mean(str(loc[-1]), known)
    if suggestion:
        return suggestion
    return "expected one of: " + ", ".join(known) if known else "no keys are expected here"


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "missing":
        return "is required but missing"
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == ID_PATTERN:
        return ("expected an id of lower-case letters and digits joined by hyphens, like "
                f"senior-practitioner; found {describe(err.get('input'))}")
    msg = err["msg"]
    if msg.startswith("Value error, "):
        return msg[len("Value error, "):]
    msg = msg[0].lower() + msg[1:]
    msg = msg.replace("input should be", "expected")
    return f"{msg}; found {describe(err.get('input'))}"


def _drop(value: Any, loc: Loc) -> None:
    for part in loc[:-1]:
        value = value[part]
    value.pop(loc[-1], None)


def validate_document(doc: YamlDocument, model: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """Validate a parsed document. Unknown keys are warnings; the rest are errors."""
    if doc.value is None:
        return None, [doc.problem((), "file is empty; see docs/data-reference.md for what it holds")]
    if not isinstance(doc.value, dict):
        return None, [doc.problem((), f"expected a mapping of keys to values; found {describe(doc.value)}")]
    problems: list[Problem] = []
    value = doc.value
    for _ in range(2):  # the second pass runs only when unknown keys were the whole story
        try:
            return model.model_validate(value), problems
        except ValidationError as exc:
            details = exc.errors(include_url=False)
        unknown = [tuple(e["loc"]) for e in details if e["type"] == "extra_forbidden"]
        for e in details:
            loc = tuple(e["loc"])
            if e["type"] == "extra_forbidden":
                problems.append(doc.problem(loc, f"unknown key {loc[-1]!r}; {_suggestion(model, loc)}",
                                            "warning"))
            else:
                problems.append(doc.problem(loc, _message(e)))
        if errors(problems) or not unknown:
            return None, problems
        value = _deepcopy(value)
        for loc in unknown:
            _drop(value, loc)
    return None, problems


def _deepcopy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deepcopy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deepcopy(v) for v in value]
    return value


def declared_languages(doc: YamlDocument | None) -> tuple[str, ...]:
    """The languages data/service.yaml lists, the main one first, as far as they can be
    read before it is validated (its validation says what is wrong with them); English
    when it lists none that can be read."""
    raw = doc.value.get("languages") if doc is not None and isinstance(doc.value, dict) else None
    raw = [raw] if isinstance(raw, str) else raw
    if not isinstance(raw, list) or not raw:
        return (DEFAULT_LANGUAGE,)
    codes = tuple(dict.fromkeys(str(c).strip().casefold() for c in raw))
    return codes if all(c in LANGUAGES for c in codes) else (DEFAULT_LANGUAGE,)


def load_model(site: Path, relpath: str, model: type[BaseModel],
               read: tuple[YamlDocument | None, list[Problem]] | None = None
               ) -> tuple[YamlDocument | None, BaseModel | None, list[Problem]]:
    """One YAML file of the site, read with its lines (unless read already) and validated by model."""
    doc, problems = read if read is not None else load_yaml(site / relpath, relpath)
    if doc is None:
        return None, None, problems
    instance, more = validate_document(doc, model)
    return doc, instance, problems + more


# How close (0 to 1, by difflib) a file's name must be to a data file's to be taken for it.
LOOKALIKE_CUTOFF = 0.8


def _read_elsewhere() -> tuple[str, ...]:
    """Data files read by other modules (imported here, not at the top: they import this)."""
    from cswork_site.data.jobs import CSV_FILE
    from cswork_site.safeguarding.detectors import WATCH_LISTS_FILE

    return (WATCH_LISTS_FILE, CSV_FILE)


def _known_names(folder: str) -> set[str]:
    every = [f.path for f in REGISTRY]
    return {Path(p).name for p in every + list(_read_elsewhere()) if Path(p).parent.as_posix() == folder}


def _closest(name: str, known: set[str]) -> str | None:
    """The known name that name most looks like: the same but for capitals, a letter or
    two, or the extension (events.yml, Events.YAML, event.yaml, safeguarding.yaml.txt)."""
    lower = name.lower()
    stem = lower.split(".", 1)[0]
    best, best_score = None, (0.0, 0.0)
    for candidate in sorted(known):
        other = candidate.lower()
        whole = difflib.SequenceMatcher(None, lower, other).ratio()
        stems = difflib.SequenceMatcher(None, stem, other.split(".", 1)[0]).ratio() if stem else 0.0
        score = (max(whole, stems), whole)
        if score > best_score:
            best, best_score = candidate, score
    return best if best_score[0] >= LOOKALIKE_CUTOFF else None


def lookalikes(site: Path, relpath: str) -> list[str]:
    """Files beside where relpath belongs whose names look like a misspelling of it, as
    paths inside the site: each is never read, and would otherwise drop out unnoticed.

    A file counts for the data file its name is closest to, so data/vacancies.CSV is taken
    for data/vacancies.csv and not for data/vacancies.yaml; files cswork reads, folders
    and hidden files (.name) are never counted."""
    folder = Path(relpath).parent.as_posix()
    known = _known_names(folder)
    try:
        with os.scandir(site / folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.name.startswith(".") or entry.name in known:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                continue
        except OSError:
            continue
        if _closest(entry.name, known) == Path(relpath).name:
            found.append(f"{folder}/{entry.name}")
    return found


def misnamed(site: Path, relpath: str, severity: str = "warning", consequence: str = "") -> list[Problem]:
    """A problem on each file that looks like relpath misspelt (call it when relpath itself
    is not there): nothing in it is read until it is renamed."""
    consequence = consequence or "cswork reads only that name, so what this file holds is left out of the site"
    return [Problem(path, 1, WHOLE_FILE, f"is not read: did you mean {relpath}? {consequence}; "
                                          f"rename it to {Path(relpath).name}", severity)  # type: ignore[arg-type]
            for path in lookalikes(site, relpath)]


def _read_elsewhere_problems(site: Path) -> list[Problem]:
    """data/vacancies.csv is read by jobs.py, which skips it when Path.exists() says there
    is none: a link to nothing or a loop of links would vanish from the build unnoticed.
    Those two are reported here; jobs.py reports what else is wrong with the file, through
    yamlfile.refused_file."""
    from cswork_site.data.jobs import CSV_FILE

    file = site / CSV_FILE
    if not os.path.lexists(file):
        return misnamed(site, CSV_FILE)
    if file.exists():
        return []
    refused = refused_file(file, CSV_FILE)
    return [refused] if refused is not None else []


def load_data(site: Path) -> Loaded:
    """Read and validate every data file of the site at site/.

    An optional file is read when anything at all is at its path: a link to nothing, a
    folder or a named pipe there is an error, not a file the site does without. A file
    named like a missing data file (events.yml, Events.YAML) gets a warning."""
    # data/service.yaml says which languages two-language text is keyed by, and the
    # models are made in the main one.
    service_read = load_yaml(site / SERVICE.path, SERVICE.path) if os.path.lexists(site / SERVICE.path) else None
    loaded = Loaded(languages=declared_languages(service_read[0] if service_read else None))
    with site_languages(loaded.languages), speaking(loaded.languages[0]):
        _load_files(site, loaded, service_read)
    return loaded


def _load_files(site: Path, loaded: Loaded, service_read: tuple[YamlDocument | None, list[Problem]] | None) -> None:
    from cswork_site.data.crosscheck import cross_check  # cross_check needs the models loaded first

    for file in REGISTRY:
        if not os.path.lexists(site / file.path):
            loaded.problems += misnamed(site, file.path)
            if not file.required:
                continue
        doc, instance, problems = load_model(site, file.path, file.model,
                                             service_read if file is SERVICE else None)
        if not file.required and doc is not None and doc.value is None:
            continue  # an optional file of comments only (as `cswork init` writes them) is not in use yet
        loaded.problems += problems
        if doc is not None:
            loaded.documents[file.key] = doc
        if instance is not None:
            loaded.models[file.key] = instance
    loaded.problems += _read_elsewhere_problems(site)
    loaded.problems += cross_check(site, loaded)

