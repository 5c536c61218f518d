"""Jobs for Wales: a job's Welsh-language skills category and levels on its page, its card
and its JobPosting data; the welcome to applications in Welsh, in both languages; the
warning when some jobs give a category and others do not; and bad values, as messages."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import axe_violations, copy_site, cswork, html_pages, nu_check, page_url, serving

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

BUILD_DAY = dt.date(2026, 11, 1)  # the helpers' EPOCH
LEVELS = {"essential": ("Essential", "you need to be able to use Welsh in this job"),
          "desirable": ("Desirable", "Welsh would help in this job, but you can apply without it"),
          "to_be_learnt": ("To be learnt", "you can learn Welsh in the job, and we will support you"),
          "not_necessary": ("Not necessary", "you do not need Welsh for this job")}
ENGLISH = ("You can apply in Welsh, and an application in Welsh will not be treated less favourably "
           "than one in English.")
WELSH = ("Croesewir ceisiadau yn Gymraeg, ac ni fydd cais yn Gymraeg yn cael ei drin yn llai ffafriol "
         "nag un yn Saesneg.")


def _vacancies(site: Path) -> dict:
    return yaml.safe_load((site / "data" / "vacancies.yaml").read_text())


def _write(site: Path, data: dict) -> None:
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _open(data: dict) -> list[dict]:
    return [v for v in data["vacancies"] if v["posted"] <= BUILD_DAY <= v["closes"]]


def _soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _posting(page: Path) -> dict:
    (script,) = _soup(page).find_all("script", type="application/ld+json")
    return json.loads(script.string)


def _warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": warning: " in line]


def _line_of(site: Path, text: str, after: str | None = None) -> int:
    lines = (site / "data" / "vacancies.yaml").read_text().splitlines()
    start = next(n for n, line in enumerate(lines, start=1) if after in line) if after else 0
    return next(n for n, line in enumerate(lines, start=1) if n > start and text in line)


@pytest.fixture(scope="module")
def welsh_site(tmp_path_factory) -> tuple[Path, Path, dict]:
    """The demo with a category on every job (each of the four on an open job, some written
    as people write them), skill levels on one, and the welcome to Welsh applications."""
    site = copy_site(tmp_path_factory.mktemp("welsh") / "site")
    data = _vacancies(site)
    open_jobs = _open(data)
    assert len(open_jobs) >= len(LEVELS)
    written = {"essential": "Welsh essential", "desirable": "desirable",
               "to_be_learnt": "To be learnt", "not_necessary": "not required"}
    for job, level in zip(open_jobs, LEVELS, strict=False):
        job["welsh_language"] = written[level]
    open_jobs[0]["welsh_skills"] = {"understanding": 4, "speaking": "intermediate", "writing": "level 2"}
    data["defaults"] = {"welsh_language": "not_necessary"}  # for the jobs not open on the day
    data["welsh_applications_welcome"] = True
    _write(site, data)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert not _warnings(result), result.stderr
    levels = {job["id"]: level for job, level in zip(open_jobs, LEVELS, strict=False)}
    return site, site / "output", levels


def test_each_category_is_shown_in_words_on_its_job_page(welsh_site):
    _, output, levels = welsh_site
    assert sorted(levels.values()) == sorted(LEVELS)
    for job_id, level in levels.items():
        soup = _soup(output / "jobs" / job_id / "index.html")
        (row,) = [r for r in soup.select(".summary-list__row") if r.dt.get_text() == "Welsh language skills"]
        short, meaning = LEVELS[level]
        assert row.dd.strong.get_text() == short
        assert row.dd.p.get_text() == f"{short}: {meaning}."


def test_skill_levels_are_shown_with_their_names(welsh_site):
    _, output, levels = welsh_site
    job_id = next(j for j, level in levels.items() if level == "essential")
    soup = _soup(output / "jobs" / job_id / "index.html")
    items = [li.get_text() for li in soup.select(".welsh-skills li")]
    assert items == ["Understanding: level 4 (advanced)", "Speaking: level 3 (intermediate)",
                     "Writing: level 2 (foundation)"]


def test_jobposting_carries_the_category_and_levels_as_skills(welsh_site):
    _, output, levels = welsh_site
    for job_id, level in levels.items():
        posting = _posting(output / "jobs" / job_id / "index.html")
        short, meaning = LEVELS[level]
        assert posting["skills"].startswith(f"Welsh {short.lower()}: {meaning}.")
        assert "inLanguage" not in posting
    essential = next(j for j, level in levels.items() if level == "essential")
    assert _posting(output / "jobs" / essential / "index.html")["skills"].endswith(
        "Understanding: level 4 (advanced); speaking: level 3 (intermediate); writing: level 2 (foundation).")


def test_each_card_in_the_jobs_list_shows_the_category(welsh_site):
    _, output, levels = welsh_site
    soup = _soup(output / "jobs" / "index.html")
    cards = soup.select(".job-list__item")
    assert len(cards) == len(levels)
    for card in cards:
        job_id = card.h2.a["href"].strip("/").split("/")[-1]
        facts = {d.dt.get_text(): d.dd.get_text() for d in card.select(".job-list__facts > div")}
        assert facts["Welsh"] == LEVELS[levels[job_id]][0]


def _welcomes(page: Path) -> list:
    return _soup(page).select(".welsh-welcome")


def test_the_welcome_to_welsh_applications_is_in_both_languages(welsh_site):
    _, output, levels = welsh_site
    pages = [output / "jobs" / j / "index.html" for j in levels]
    pages += [output / "jobs" / "index.html", output / "applying" / "index.html"]
    for page in pages:
        (welcome,) = _welcomes(page)
        english, welsh = welcome.find_all("p")
        assert english.get_text() == ENGLISH and english.get("lang") is None
        assert welsh.get_text() == WELSH and welsh["lang"] == "cy"
        assert _soup(page).html["lang"].startswith("en")


def test_the_english_demo_shows_no_welsh_levels_or_welcome(built_demo):
    """The feature is opt-in: the demo's data gives none of it, and its pages say none of it."""
    site, output = built_demo
    data = _vacancies(site)
    assert "welsh_applications_welcome" not in data and "defaults" not in data
    assert not any("welsh_language" in v or "welsh_skills" in v for v in data["vacancies"])
    for page in html_pages(output):
        text = page.read_text(encoding="utf-8")
        assert "Croesewir" not in text and "Welsh language skills" not in text, page
        assert not _welcomes(page)
    for job in _open(data):
        assert "skills" not in _posting(output / "jobs" / job["id"] / "index.html")


def test_without_the_flag_the_welcome_is_absent_but_the_categories_stay(site):
    data = _vacancies(site)
    for job in data["vacancies"]:
        job["welsh_language"] = "desirable"
    data["welsh_applications_welcome"] = False
    _write(site, data)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    output = site / "output"
    for page in [output / "jobs" / j["id"] / "index.html" for j in _open(data)] + [output / "jobs" / "index.html"]:
        assert not _welcomes(page) and "Croesewir" not in page.read_text(encoding="utf-8")
    job_page = output / "jobs" / _open(data)[0]["id"] / "index.html"
    assert "Desirable: Welsh would help" in _soup(job_page).get_text()


def test_bad_values_name_their_line_and_the_allowed_words(site):
    data = _vacancies(site)
    first, second = data["vacancies"][0], data["vacancies"][1]
    first["welsh_language"] = "fluent"
    second["welsh_language"] = "essential"
    second["welsh_skills"] = {"speaking": 7}
    data["defaults"] = {"welsh_language": "sometimes"}
    _write(site, data)
    result = cswork("build", str(site))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    words = "expected one of: essential, desirable, to_be_learnt, not_necessary"
    lines = [line for line in result.stderr.splitlines() if line.startswith("data/vacancies.yaml:")]
    assert (f"data/vacancies.yaml:{_line_of(site, 'welsh_language: fluent')}: vacancies[0].welsh_language: "
            f"{words}; found 'fluent'") in lines
    assert (f"data/vacancies.yaml:{_line_of(site, 'speaking: 7')}: vacancies[1].welsh_skills.speaking: "
            "expected a level from 0 to 5, or one of: none (0), entry (1), foundation (2), intermediate (3), "
            "advanced (4), proficiency (5); found 7") in lines
    assert (f"data/vacancies.yaml:{_line_of(site, 'welsh_language: sometimes')}: defaults.welsh_language: "
            f"{words}; found 'sometimes'") in lines
    assert not (site / "output").exists()


def test_a_job_without_a_category_beside_jobs_with_one_is_a_warning(site):
    data = _vacancies(site)
    data["vacancies"][0]["welsh_language"] = "essential"
    _write(site, data)
    result = cswork("check", str(site))
    assert result.returncode == 1, result.stderr
    warnings = _warnings(result)
    assert len(warnings) == len(data["vacancies"]) - 1
    for n, job in enumerate(data["vacancies"][1:], start=1):
        line = _line_of(site, f"id: {job['id']}")
        assert (f"data/vacancies.yaml:{line}: vacancies[{n}].welsh_language: warning: job {job['id']!r} has no "
                f"Welsh-language skills category, but 1 of the {len(data['vacancies'])} jobs give one; "
                "the Welsh Language Standards need one on every job advert") in "\n".join(warnings)
    # The site-wide default gives the others one: no warning, and their pages say it.
    data["defaults"] = {"welsh_language": "to_be_learnt"}
    _write(site, data)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert not _warnings(result)
    for job in _open(data):
        expected = "Essential" if job is data["vacancies"][0] else "To be learnt"
        soup = _soup(site / "output" / "jobs" / job["id"] / "index.html")
        (row,) = [r for r in soup.select(".summary-list__row") if r.dt.get_text() == "Welsh language skills"]
        assert row.dd.strong.get_text() == expected


CSV_HEADER = ("reference,title,role,team,location,posted,closes,summary,description,apply_url,"
              "welsh_language,welsh_speaking,welsh_writing\n")


def _csv_site(site: Path, rows: str) -> None:
    data = _vacancies(site)
    data["vacancies"] = []
    _write(site, data)
    (site / "data" / "vacancies.csv").write_text(CSV_HEADER + rows, encoding="utf-8")


def _row(ref: str, welsh: str, speaking: str = "", writing: str = "") -> str:
    return (f"{ref},Social worker,social-worker,children-in-care,riverside-hub,30/10/2026,31/01/2027,"
            f"A summary.,A description.,https://www.castlebrook.example.org/jobs/apply/{ref.lower()}/,"
            f"{welsh},{speaking},{writing}\n")


def test_a_csv_export_maps_its_welsh_columns(site):
    _csv_site(site, _row("CB-1", "Welsh essential", "3", "foundation") + _row("CB-2", "Not required"))
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert not _warnings(result)
    first = site / "output" / "jobs" / "social-worker-cb-1" / "index.html"
    assert _posting(first)["skills"] == ("Welsh essential: you need to be able to use Welsh in this job. "
                                         "Speaking: level 3 (intermediate); writing: level 2 (foundation).")
    second = _soup(site / "output" / "jobs" / "social-worker-cb-2" / "index.html")
    assert "Not necessary: you do not need Welsh for this job." in second.get_text()


def test_a_csv_row_with_a_bad_or_missing_category_names_its_row_and_column(site):
    _csv_site(site, _row("CB-1", "sometimes") + _row("CB-2", "desirable", "9") + _row("CB-3", ""))
    result = cswork("build", str(site))
    assert result.returncode == 2
    assert ("data/vacancies.csv:2: welsh_language: expected one of: essential, desirable, to_be_learnt, "
            "not_necessary; found 'sometimes'") in result.stderr.splitlines()
    assert any(line.startswith("data/vacancies.csv:3: welsh_speaking: expected a level from 0 to 5")
               for line in result.stderr.splitlines()), result.stderr
    _csv_site(site, _row("CB-2", "desirable") + _row("CB-3", ""))
    result = cswork("check", str(site))
    (warning,) = _warnings(result)
    assert warning.startswith("data/vacancies.csv:3: welsh_language: warning: job 'social-worker-cb-3' has no "
                              "Welsh-language skills category")


def test_welsh_pages_have_no_axe_violations(browser, welsh_site):
    _, output, levels = welsh_site
    pages = [output / "jobs" / j / "index.html" for j in levels]
    pages += [output / "jobs" / "index.html", output / "applying" / "index.html"]
    found = {}
    with serving(output) as base:
        page = browser.new_page()
        for width in (320, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            for path in (page_url(output, p) for p in pages):
                page.goto(base + path)
                assert page.locator(".welsh-welcome [lang=cy]").count() == 1
                if violations := axe_violations(page):
                    found[(width, path)] = violations
                # Nothing runs off the side of a phone.
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
        page.close()
    assert found == {}


def test_welsh_pages_pass_the_nu_html_checker(welsh_site, tmp_path):
    if shutil.which("java") is None:
        pytest.skip("the Nu HTML Checker needs Java")
    _, output, levels = welsh_site
    pages = [output / "jobs" / j / "index.html" for j in levels]
    pages += [output / "jobs" / "index.html", output / "applying" / "index.html"]
    for n, page in enumerate(pages):
        (tmp_path / f"{n}.html").write_bytes(page.read_bytes())
    result = nu_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_levels_that_ask_for_welsh_under_not_necessary_are_a_warning(site):
    data = _vacancies(site)
    data["defaults"] = {"welsh_language": "not_necessary"}
    job = data["vacancies"][0]
    job["welsh_skills"] = {"understanding": 0, "speaking": 2}
    _write(site, data)
    result = cswork("check", str(site))
    assert result.returncode == 1, result.stderr
    (warning,) = _warnings(result)
    line = _line_of(site, "id: " + job["id"])
    assert warning == (f"data/vacancies.yaml:{line}: vacancies[0].welsh_language: "
                       f"warning: job {job['id']!r} says Welsh is not necessary but asks for speaking: level 2 "
                       "(foundation); give a category of desirable or essential, or leave the levels out")
    job["welsh_skills"] = {"understanding": 0}  # none asked for: no contradiction
    _write(site, data)
    assert not _warnings(cswork("check", str(site)))
