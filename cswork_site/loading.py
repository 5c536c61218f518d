"""Load a site's data files into validated, typed models, collecting every problem.

Files, then models, then cross-checks: each step adds to one list of problems so a
person sees everything that is wrong in one run.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .models import Careers, Offer, PracticeFramework, Service, Testimonials
from .models.agency import Agency
from .models.common import ID_PATTERN
from .models.events import Events
from .models.metrics import Benchmarks, MetricsSettings
from .models.pay_rules import PayRules
from .models.strategy import Strategy
from .models.vacancies import Vacancies
from .problems import Problem, ProblemsFound, describe, errors
from .yamlfile import Loc, YamlDocument, load_yaml

# Each data file every site has, and the model that validates it.
DATA_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "service": ("data/service.yaml", Service),
    "offer": ("data/offer.yaml", Offer),
    "careers": ("data/careers.yaml", Careers),
    "testimonials": ("data/testimonials.yaml", Testimonials),
    "practice": ("data/practice.yaml", PracticeFramework),
}
# Files a site may leave out: their pages then say there is nothing to show.
OPTIONAL_DATA_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "vacancies": ("data/vacancies.yaml", Vacancies),
    "events": ("data/events.yaml", Events),
    "agency": ("data/agency.yaml", Agency),
    "pay_rules": ("data/pay-rules.yaml", PayRules),
    "metrics_settings": ("data/metrics.yaml", MetricsSettings),
    "benchmarks": ("data/benchmarks.yaml", Benchmarks),
    "strategy": ("data/strategy.yaml", Strategy),
}


@dataclass
class Loaded:
    """The validated models of one site, with the documents they came from."""

    models: dict[str, BaseModel] = field(default_factory=dict)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


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
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "expected one of: " + ", ".join(known) if known else "no keys are expected here"


def _message(err: dict[str, Any]) -> str:
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


def load_model(site: Path, relpath: str, model: type[BaseModel]
               ) -> tuple[YamlDocument | None, BaseModel | None, list[Problem]]:
    """One YAML file of the site, read with its lines and validated by model."""
    doc, problems = load_yaml(site / relpath, relpath)
    if doc is None:
        return None, None, problems
    instance, more = validate_document(doc, model)
    return doc, instance, problems + more


def load_data(site: Path) -> Loaded:
    """Read and validate every data file of the site at site/."""
    from .crosscheck import cross_check  # cross_check needs the models loaded first

    loaded = Loaded()
    optional = {k: v for k, v in OPTIONAL_DATA_FILES.items() if (site / v[0]).exists()}
    for key, (relpath, model) in {**DATA_FILES, **optional}.items():
        doc, instance, problems = load_model(site, relpath, model)
        loaded.problems += problems
        if doc is not None:
            loaded.documents[key] = doc
        if instance is not None:
            loaded.models[key] = instance
    loaded.problems += cross_check(site, loaded)
    return loaded


def require_valid(loaded: Loaded) -> None:
    if errors(loaded.problems):
        raise ProblemsFound(loaded.problems)
