"""The site folder is checked like its data: a missing or broken theme, template folder,
settings file or content folder is a problem at its line, from `cswork check` and
before a build; and what a site carries that is not its own (the demo council, an
address that disagrees with the service's website) is warned about."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from cswork_site.build.check import check_site
from cswork_site.build.leftovers import leftovers
from cswork_site.build.sitefolder import NEEDED_TEMPLATES, site_folder_problems
from cswork_site.data.loading import OPTIONAL_DATA_FILES, load_data

from .helpers import PACKAGE_THEME, cswork, own_theme, tree_digest

LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")


def _lines(stderr: str) -> list[re.Match]:
    found = [LINE.match(line) for line in stderr.splitlines()]
    return [m for m in found if m]


def _line_of(path: Path, pattern: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if re.match(pattern, line))


# --- the theme and templates ---------------------------------------------------------------

def test_every_template_a_build_renders_is_one_the_check_asks_for(site: Path) -> None:
    from cswork_site.plugin.generator import page_specs

    data, problems = check_site(site.resolve())
    assert data is not None, problems
    rendered = {f"{spec.template}.html" for spec in page_specs(data)}
    rendered |= {"article.html", "index.html", "tag.html", "tags.html", "brand.css.html"}
    assert rendered <= set(NEEDED_TEMPLATES), rendered - set(NEEDED_TEMPLATES)
    assert {p.name for p in (PACKAGE_THEME / "templates").glob("*.html")} >= set(NEEDED_TEMPLATES)


def test_the_demo_uses_the_theme_that_comes_with_cswork(site: Path) -> None:
    assert not (site / "theme").exists()
    assert site_folder_problems(site) == []


def _broken_theme(kind: str, site: Path) -> tuple[str, str]:
    """Break the site's own theme one way; (the file reported, words in the message)."""
    theme = own_theme(site)
    if kind == "no-templates":
        shutil.rmtree(theme / "templates")
        return "pelicanconf.py", "has no templates/ folder"
    if kind == "missing-template":
        (theme / "templates" / "job.html").unlink()
        (theme / "templates" / "events.html").unlink()
        return "pelicanconf.py", "no events.html, job.html"
    if kind == "syntax":
        path = theme / "templates" / "offer.html"
        text = path.read_text()
        path.write_text(text.replace("{% endblock %}", "{% endblock %}{% if %}", 1))
        return "theme/templates/offer.html", "is not a valid template"
    if kind == "not-utf8":
        (theme / "templates" / "offer.html").write_bytes(b"\xff\xfe{% block %}")
        return "theme/templates/offer.html", "not UTF-8"
    raise AssertionError(kind)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["no-templates", "missing-template", "syntax", "not-utf8"])
def test_a_broken_theme_is_reported_by_check_and_stops_the_build(site: Path, kind: str) -> None:
    assert cswork("build", str(site)).returncode == 0
    before = tree_digest(site / "output")
    path, words = _broken_theme(kind, site)
    check = cswork("check", str(site))
    assert check.returncode == 1
    found = [m for m in _lines(check.stderr) if m["path"] == path and words in m["message"]]
    assert found, check.stderr
    assert "Traceback" not in check.stderr + check.stdout and "fault in cswork" not in check.stderr
    build = cswork("build", str(site))
    assert build.returncode == 2, build.stderr
    assert "fault in cswork" not in build.stderr and "Traceback" not in build.stderr
    assert tree_digest(site / "output") == before


@pytest.mark.slow
def test_single_templates_are_overridden_from_the_site_folder_wherever_cswork_runs(site: Path, tmp_path: Path) -> None:
    (site / "templates").mkdir()
    offer = (PACKAGE_THEME / "templates" / "offer.html").read_text()
    marker = "Our own offer template"
    (site / "templates" / "offer.html").write_text(
        offer.replace("{% block content %}", "{% block content %}<p class=\"own\">" + marker + "</p>", 1))
    with (site / "pelicanconf.py").open("a") as f:
        f.write('\nTHEME_TEMPLATES_OVERRIDES = ["templates"]\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    build = cswork("build", str(site), cwd=elsewhere)
    assert build.returncode == 0, build.stderr
    assert marker in (site / "output" / "our-offer" / "index.html").read_text()
    assert marker not in (site / "output" / "careers" / "index.html").read_text()
    assert (site / "output" / "careers" / "index.html").is_file()

    # A change to the override is a change to the site: the next build shows it.
    (site / "templates" / "offer.html").write_text((site / "templates" / "offer.html").read_text()
                                                   .replace(marker, "Changed again"))
    assert cswork("build", str(site), cwd=elsewhere).returncode == 0
    assert "Changed again" in (site / "output" / "our-offer" / "index.html").read_text()

    # A broken override is the site's own template, at its line.
    (site / "templates" / "offer.html").write_text("line one\n{% for x in %}\n")
    check = cswork("check", str(site))
    assert any(m["path"] == "templates/offer.html" and m["line"] == "2" for m in _lines(check.stderr)), check.stderr


def test_a_missing_override_folder_or_content_folder_is_a_problem_at_its_line(site: Path) -> None:
    with (site / "pelicanconf.py").open("a") as f:
        f.write('\nTHEME_TEMPLATES_OVERRIDES = ["my-templates"]\n')
    problems = site_folder_problems(site)
    line = _line_of(site / "pelicanconf.py", "THEME_TEMPLATES_OVERRIDES")
    assert [(p.path, p.line, p.field) for p in problems] == [("pelicanconf.py", line, "THEME_TEMPLATES_OVERRIDES")]
    assert "my-templates/" in problems[0].message

    (site / "pelicanconf.py").write_text((site / "pelicanconf.py").read_text().replace(
        'THEME_TEMPLATES_OVERRIDES = ["my-templates"]', 'PATH = "writing"'))
    problems = site_folder_problems(site)
    assert [(p.path, p.field) for p in problems] == [("pelicanconf.py", "PATH")], problems


@pytest.mark.slow
@pytest.mark.parametrize("settings_file", ["pelicanconf.py", "publishconf.py"])
def test_a_missing_or_broken_settings_file_is_told_in_the_error_format(site: Path, settings_file: str) -> None:
    (site / settings_file).write_text("SITENAME = 'unclosed\n")
    check = cswork("check", str(site))
    assert check.returncode == 1
    assert any(m["path"] == settings_file and m["line"] == "1" for m in _lines(check.stderr)), check.stderr
    if settings_file == "pelicanconf.py":
        (site / settings_file).unlink()
        check = cswork("check", str(site))
        assert check.returncode == 1
        assert any(m["path"] == "pelicanconf.py" and "is missing" in m["message"] for m in _lines(check.stderr))
        assert "cswork init" in check.stderr


# --- data files that hold only comments ------------------------------------------------------

@pytest.mark.parametrize("key", sorted(OPTIONAL_DATA_FILES))
def test_an_optional_file_of_comments_only_is_a_file_not_in_use(site: Path, key: str) -> None:
    relpath = OPTIONAL_DATA_FILES[key][0]
    (site / relpath).write_text("# Not in use yet.\n#\n# key: value\n")
    loaded = load_data(site)
    assert key not in loaded.models
    assert not [p for p in loaded.problems if p.path == relpath]


def test_a_required_file_of_comments_only_is_still_an_error(site: Path) -> None:
    (site / "data" / "offer.yaml").write_text("# roles: []\n")
    loaded = load_data(site)
    assert any(p.path == "data/offer.yaml" and p.is_error for p in loaded.problems)


# --- what the demo left behind ---------------------------------------------------------------

def _leftovers(site: Path):
    return leftovers(site, load_data(site))


def test_the_demo_itself_is_not_warned_about(site: Path) -> None:
    assert _leftovers(site) == []


def _rename_council(site: Path) -> None:
    path = site / "data" / "service.yaml"
    path.write_text(path.read_text().replace("authority: Castlebrook Borough Council",
                                             "authority: Northfield Borough Council"))


def _strings(value, loc=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, loc + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, loc + (i,))
    elif isinstance(value, str):
        yield loc, value


def _dotted(loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def test_every_demo_value_copied_into_another_councils_site_is_warned_about(site: Path) -> None:
    _rename_council(site)
    found = {(p.path, p.field) for p in _leftovers(site) if "demo council" in p.message and p.path.startswith("data/")}
    # Found here independently: every string in the data files naming Castlebrook, less
    # the fields that are never published (consent and approval records, the pull source
    # in metrics.yaml; a team's or a measured wait's source is shown on its page).
    expected = set()
    for path in sorted((site / "data").glob("*.yaml")):
        rel = path.relative_to(site).as_posix()
        if rel == "data/safeguarding.yaml":
            continue  # the watch lists: never published
        for loc, text in _strings(yaml.safe_load(path.read_text())):
            never = {"consent", "approval"} | ({"source"} if rel == "data/metrics.yaml" else set())
            if re.search("castlebrook", text, re.I) and not never & set(map(str, loc)):
                expected.add((rel, _dotted(loc)))
    assert expected and found == expected, (expected - found, found - expected)
    settings = {(p.path, p.field) for p in _leftovers(site) if p.path.endswith(".py")}
    assert {("pelicanconf.py", "SITENAME"), ("publishconf.py", "SITEURL")} <= settings


CASES = ["Castlebrook", "CASTLEBROOK", "castlebrook", "CastleBrook Hall", "socialworkjobs@castlebrook.example.org",
         "https://www.castlebrook.example.org/jobs/"]


@pytest.mark.parametrize("text", CASES)
@pytest.mark.parametrize("relpath,key", [("data/offer.yaml", "summary"), ("data/careers.yaml", "summary"),
                                         ("data/practice.yaml", "name")])
def test_the_demo_name_in_any_form_in_any_field_is_found_at_its_line(site: Path, text: str, relpath: str,
                                                                     key: str) -> None:
    _rename_council(site)
    for path in [*(site / "data").glob("*.yaml"), site / "pelicanconf.py", site / "publishconf.py"]:
        # A site with nothing else of the demo, at an address of its own.
        own = path.read_text().replace("castlebrook.example.org", "northfield.gov.uk")
        path.write_text(re.sub("castlebrook", "Northfield", own, flags=re.I))
    assert _leftovers(site) == [], _leftovers(site)
    path = site / relpath
    data = yaml.safe_load(path.read_text())
    data[key] = f"Words before {text} and after"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    line = _line_of(path, rf"{key}:")
    assert [(p.path, p.line, p.field, p.severity) for p in _leftovers(site)] == [(relpath, line, key, "warning")]


@pytest.mark.parametrize("siteurl,website,warned", [
    ("https://careers.northfield.gov.uk", "https://www.northfield.gov.uk/", False),
    ("https://northfield.gov.uk/careers", "https://www.northfield.gov.uk/", False),
    ("https://www.northfield.gov.uk/social-work", "https://www.northfield.gov.uk/", False),
    ("https://careers.westmoor.gov.uk", "https://www.northfield.gov.uk/", True),
    ("https://careers.example.org", "https://www.northfield.gov.uk/", True),
    ("https://site.test", "https://www.northfield.gov.uk/", True),
    ("", "https://www.northfield.gov.uk/", True),
])
def test_the_published_address_must_agree_with_the_services_website(site: Path, siteurl: str, website: str,
                                                                     warned: bool) -> None:
    _rename_council(site)
    for path in (site / "data").glob("*.yaml"):
        path.write_text(re.sub(r"https://www\.castlebrook\.example\.org/", website, path.read_text()))
        path.write_text(re.sub("castlebrook", "northfield", path.read_text(), flags=re.I))
    publish = site / "publishconf.py"
    publish.write_text(re.sub(r'SITEURL = ".*"', f'SITEURL = "{siteurl}"', publish.read_text()))
    (site / "pelicanconf.py").write_text(re.sub("Castlebrook", "Northfield", (site / "pelicanconf.py").read_text()))
    found = [p for p in _leftovers(site) if p.field == "SITEURL"]
    assert bool(found) == warned, (found, _leftovers(site), publish.read_text())
    if warned:
        assert found[0].path == "publishconf.py" and found[0].line == _line_of(publish, "SITEURL")


@pytest.mark.slow
@pytest.mark.parametrize("odd", ["fifo", "link-outside", "huge"])
def test_an_odd_file_among_the_sites_own_templates_is_told_and_never_hangs(site: Path, tmp_path: Path,
                                                                           odd: str) -> None:
    import os

    theme = own_theme(site)
    target = theme / "templates" / "extra.html"
    if odd == "fifo":
        os.mkfifo(target)
    elif odd == "link-outside":
        (tmp_path / "secret.html").write_text("{{ secret }}")
        target.symlink_to(tmp_path / "secret.html")
    else:
        target.write_bytes(b"x" * (60 * 1024 * 1024))
    check = cswork("check", str(site), timeout=120)
    assert check.returncode == 1, check.stderr
    assert any(m["path"] == "theme/templates/extra.html" for m in _lines(check.stderr)), check.stderr
    assert "Traceback" not in check.stderr and "fault in cswork" not in check.stderr
