"""The layout is as docs/architecture.md says: every module is listed there, only the
plugin package imports Pelican, and Pelican's private attributes are used in one place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from cswork_site.plugin.internals import PRIVATE

from .helpers import REPO

PACKAGE = REPO / "cswork_site"
ARCHITECTURE = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_every_module_is_in_the_architecture_guide():
    listed = set(re.findall(r"^\| `([a-z_/]+\.py)` \|", ARCHITECTURE, flags=re.M))
    # A subpackage's own __init__.py is its row in bold (`| **data/** |`).
    listed |= {f"{folder}/__init__.py" for folder in re.findall(r"^\| \*\*([a-z_]+)/\*\* \|", ARCHITECTURE, flags=re.M)}
    modules = {p.relative_to(PACKAGE).as_posix() for p in _modules()}
    assert modules - listed == set(), "add these to docs/architecture.md"
    assert listed - modules == set(), "docs/architecture.md lists modules that are gone"


def _imports_pelican(tree: ast.Module) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "pelican" for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "pelican":
            lines.append(node.lineno)
    return lines


def test_only_the_plugin_package_imports_pelican():
    outside = {p.relative_to(PACKAGE).as_posix(): _imports_pelican(_tree(p)) for p in _modules()
               if p.relative_to(PACKAGE).parts[0] != "plugin"}
    assert {m: lines for m, lines in outside.items() if lines} == {}
    # The check itself sees an import when there is one.
    assert _imports_pelican(ast.parse("from pelican.utils import slugify\nimport pelican.settings"))


_PRIVATE_NAMES = {name.split(".", 1)[1] for name in PRIVATE}
# Overriding one of the writer's methods is using it too: it is listed in PRIVATE.
_OVERRIDES = {"plugin/writer.py": {"_open_w"}}


def test_pelicans_private_attributes_are_used_only_through_internals():
    found = {}
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "plugin/internals.py":
            continue
        allowed = _OVERRIDES.get(rel, set())
        uses = sorted({node.attr for node in ast.walk(_tree(path))
                       if isinstance(node, ast.Attribute) and node.attr in _PRIVATE_NAMES - allowed})
        if uses:
            found[rel] = uses
    assert found == {}


def test_every_private_attribute_is_explained_in_the_guide():
    for name, why in PRIVATE.items():
        assert f"`{name}`" in ARCHITECTURE, name
        assert len(why) > 40, name


def test_every_name_the_generator_adds_to_the_template_context_is_documented():
    tree = _tree(PACKAGE / "plugin" / "generator.py")
    names = {node.slice.value for node in ast.walk(tree)
             if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store)
             and isinstance(node.value, ast.Attribute) and node.value.attr == "context"
             and isinstance(node.slice, ast.Constant)}
    assert "site" in names and len(names) > 5
    for name in names:
        assert f"| `{name}` |" in ARCHITECTURE, name


def test_every_member_of_the_site_data_says_which_data_files_it_shows():
    """A page's key holds the data files it read through `site` (plugin/reads.py): each
    member is either mapped to its files or counted as all of them, on purpose."""
    import dataclasses

    from cswork_site.data.site import SiteData
    from cswork_site.plugin.reads import ALL_DATA_MEMBERS, DATA_OF_MEMBER, TRACKED

    members = {f.name for f in dataclasses.fields(SiteData)}
    members |= {name for name in vars(SiteData) if not name.startswith("__")}
    unmapped = members - DATA_OF_MEMBER.keys() - ALL_DATA_MEMBERS
    assert unmapped == set(), "say in plugin/reads.py which data files these show"
    assert all(files <= TRACKED for files in DATA_OF_MEMBER.values())
