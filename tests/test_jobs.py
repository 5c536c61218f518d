"""Jobs: JobPosting data parsed back out of built pages, expiry at a fixed build date
(in the site's time zone), filters without script, the empty list, and CSV imports."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import cswork

REQUIRED = ("title", "description", "datePosted", "validThrough", "hiringOrganization", "jobLocation")
RECOMMENDED = ("baseSalary", "employmentType", "identifier")


def _epoch(moment: dt.datetime) -> str:
    return str(int(moment.timestamp()))


def _postings(page: Path) -> list[dict]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def _vacancies(site: Path) -> dict:
    return yaml.safe_load((site / "data" / "vacancies.yaml").read_text())


def test_job_pages_carry_complete_jobposting_data(built_demo):
    site, output = built_demo
    data = _vacancies(site)
    offer = {r["id"]: r for r in yaml.safe_load((site / "data" / "offer.yaml").read_text())["roles"]}
    places = {p["id"]: p for p in data["places"]}
    open_jobs = [v for v in data["vacancies"] if v["posted"] <= dt.date(2026, 11, 1) <= v["closes"]]
    assert len(open_jobs) >= 4
    for job in open_jobs:
        (posting,) = _postings(output / "jobs" / job["id"] / "index.html")
        assert posting["@type"] == "JobPosting" and posting["@context"].startswith("https://schema.org")
        for key in REQUIRED + RECOMMENDED:
            assert posting.get(key), f"{job['id']}: {key} missing"
        assert posting["title"] == job["title"]
        assert posting["datePosted"] == job["posted"].isoformat()
        closes = dt.datetime.fromisoformat(posting["validThrough"])
        assert closes.astimezone(ZoneInfo("Europe/London")).date() == job["closes"]
        assert (closes.hour, closes.minute) == (23, 59)
        assert posting["hiringOrganization"]["name"] == "Castlebrook Borough Council"
        address = posting["jobLocation"]["address"]
        assert address["@type"] == "PostalAddress" and address["addressCountry"] == "GB"
        assert address["postalCode"] == places[job["location"]]["postcode"]
        salary = job.get("salary") or offer[job["role"]]["pay"]
        assert posting["baseSalary"]["currency"] == "GBP"
        assert posting["baseSalary"]["value"]["minValue"] == salary["min"]
        assert posting["baseSalary"]["value"]["maxValue"] == salary["max"]
        assert posting["baseSalary"]["value"]["unitText"] == "YEAR"
        assert posting["employmentType"] == job.get("employment_type", "FULL_TIME")
        assert posting["identifier"]["value"] == job["reference"]
        assert "directApply" not in posting  # only when true


def test_only_job_pages_carry_jobposting(built_demo):
    _, output = built_demo
    for page in output.rglob("*.html"):
        rel = page.relative_to(output).as_posix()
        is_job_page = re.fullmatch(r"jobs/(?!team/|role/|location/)[a-z0-9-]+/index\.html", rel) is not None
        assert bool(_postings(page)) == is_job_page, rel


def test_job_page_links_its_offer_and_career_stage(built_demo):
    _, output = built_demo
    soup = BeautifulSoup((output / "jobs" / "social-worker-assessment-2611" / "index.html").read_text(), "html.parser")
    assert soup.find("a", href="/our-offer/social-worker/") is not None
    assert soup.select_one('a[href^="/careers/"]') is not None
    assert "£38,900 to £43,700" in soup.get_text()


def test_closed_jobs_are_never_written(built_demo):
    _, output = built_demo
    assert not (output / "jobs" / "business-support-officer-2610").exists()
    everything = "".join(p.read_text() for p in output.rglob("*.html"))
    assert "CB-2026-098" not in everything and "business-support-officer-2610" not in everything


@pytest.mark.parametrize(("moment", "open_", "closed"), [
    # The closing day itself is still open, to its very end.
    (dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.UTC), "team-manager-leaving-care-2611", None),
    (dt.datetime(2026, 12, 8, 0, 30, tzinfo=dt.UTC), "family-support-worker-2611", "team-manager-leaving-care-2611"),
])
@pytest.mark.slow
def test_expiry_follows_the_build_date(site, moment, open_, closed):
    result = cswork("build", str(site), env={"SOURCE_DATE_EPOCH": _epoch(moment)})
    assert result.returncode == 0, result.stderr
    assert (site / "output" / "jobs" / open_ / "index.html").exists()
    if closed:
        assert not (site / "output" / "jobs" / closed).exists()
        assert closed not in (site / "output" / "jobs" / "index.html").read_text()


@pytest.mark.slow
def test_closing_day_is_judged_in_the_site_time_zone(site):
    data = _vacancies(site)
    data["vacancies"][0]["closes"] = dt.date(2027, 6, 30)
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    job = data["vacancies"][0]["id"]
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the job has closed.
    late = cswork("build", str(site),
                  env={"SOURCE_DATE_EPOCH": _epoch(dt.datetime(2027, 6, 30, 23, 30, tzinfo=dt.UTC))})
    assert late.returncode == 0, late.stderr
    assert not (site / "output" / "jobs" / job).exists()
    early = cswork("build", str(site),
                   env={"SOURCE_DATE_EPOCH": _epoch(dt.datetime(2027, 6, 30, 22, 30, tzinfo=dt.UTC))})
    assert early.returncode == 0
    assert (site / "output" / "jobs" / job / "index.html").exists()


def test_filters_are_pages_that_need_no_script(built_demo):
    site, output = built_demo
    data = _vacancies(site)
    live = [v for v in data["vacancies"] if v["posted"] <= dt.date(2026, 11, 1) <= v["closes"]]
    for key, ids in (("team", [t["id"] for t in data["teams"]]), ("location", [p["id"] for p in data["places"]])):
        for ident in ids:
            soup = BeautifulSoup((output / "jobs" / key / ident / "index.html").read_text(), "html.parser")
            listed = {a["href"] for a in soup.select(".job-list h2 a")}
            assert listed == {f"/jobs/{v['id']}/" for v in live if v[key] == ident}
    index = BeautifulSoup((output / "jobs" / "index.html").read_text(), "html.parser")
    assert {a["href"] for a in index.select(".job-list h2 a")} == {f"/jobs/{v['id']}/" for v in live}
    assert index.select_one('nav.filter-nav a[href="/jobs/team/assessment/"]') is not None


@pytest.mark.slow
def test_empty_list_says_when_to_look_and_where_to_register(site):
    data = _vacancies(site)
    data["vacancies"] = []
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    assert cswork("build", str(site)).returncode == 0
    soup = BeautifulSoup((site / "output" / "jobs" / "index.html").read_text(), "html.parser")
    text = " ".join(soup.get_text(" ").split())
    assert "There are no jobs open right now." in text
    assert " ".join(data["when_to_look"].split()) in text
    page = (site / "output" / "jobs" / "index.html").read_text()
    assert data["register_interest_url"] in page


@pytest.mark.slow
def test_a_site_without_vacancies_still_has_a_jobs_page(site):
    (site / "data" / "vacancies.yaml").unlink()
    assert cswork("build", str(site)).returncode == 0
    assert "There are no jobs open right now." in (site / "output" / "jobs" / "index.html").read_text()


CSV_HEADER = ("reference,title,role,team,location,salary_min,salary_max,posted,closes,"
              "summary,description,apply_url,direct_apply\n")
CSV_ROW = ('CB-9,"Social worker, children in care",social-worker,children-in-care,town-hall,39000,43000,'
           '30/10/2026,31/01/2027,A job from the export.,"First paragraph.\n\nSecond, with a comma.",'
           "https://www.castlebrook.example.org/jobs/apply/cb-9/,yes\n")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.slow
def test_jobs_from_an_applicant_tracking_system_csv(site, bom):
    data = _vacancies(site)
    data["vacancies"] = []
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    (site / "data" / "vacancies.csv").write_bytes(bom + (CSV_HEADER + CSV_ROW).encode())
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    pages = list((site / "output" / "jobs").glob("social-worker-children-in-care-cb-9/index.html"))
    assert len(pages) == 1
    (posting,) = _postings(pages[0])
    assert posting["datePosted"] == "2026-10-30" and posting["validThrough"].startswith("2027-01-31T23:59:59")
    assert posting["directApply"] is True
    assert posting["baseSalary"]["value"]["minValue"] == 39000
    assert "Second, with a comma." in posting["description"]


@pytest.mark.slow
def test_sitemap_lists_open_jobs_but_never_closed_ones_or_drafts(site):
    import xml.etree.ElementTree as ET

    from .helpers import CONSENT_LINES
    (site / "content" / "stories" / "2025-05-20-unfinished.md").write_text(
        "Title: Unfinished\nDate: 2025-05-20\nSummary: S.\nKind: news\nStatus: draft\n" + CONSENT_LINES + "\nText.\n")
    result = cswork("build", str(site), "--production")
    assert result.returncode == 0, result.stderr
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.parse(site / "output" / "sitemap.xml").getroot()
    locs = {u.find(f"{ns}loc").text: u.find(f"{ns}lastmod") for u in root.findall(f"{ns}url")}
    base = "https://careers.castlebrook.example.org/"
    assert f"{base}jobs/social-worker-assessment-2611/" in locs
    assert locs[f"{base}jobs/social-worker-assessment-2611/"].text == "2026-10-20"
    assert not any("business-support-officer-2610" in u for u in locs)
    assert not any("unfinished" in u or "/drafts/" in u or "404" in u for u in locs)
    assert f"{base}our-offer/" in locs and locs[f"{base}our-offer/"] is None
    written = {p.parent.relative_to(site / "output").as_posix() for p in (site / "output").rglob("index.html")}
    assert len(locs) == len(written)


@pytest.mark.slow
def test_a_job_appears_from_its_posting_date(site):
    data = _vacancies(site)
    data["vacancies"][0]["posted"] = dt.date(2026, 11, 15)
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    assert cswork("build", str(site)).returncode == 0  # built on 1 November 2026
    assert not (site / "output" / "jobs" / data["vacancies"][0]["id"]).exists()
    assert cswork("build", str(site), env={"SOURCE_DATE_EPOCH": _epoch(
        dt.datetime(2026, 11, 15, 9, 0, tzinfo=dt.UTC))}).returncode == 0
    assert (site / "output" / "jobs" / data["vacancies"][0]["id"] / "index.html").exists()


@pytest.mark.slow
def test_a_csv_linked_from_outside_the_site_is_refused(site, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(CSV_HEADER + CSV_ROW)
    data = _vacancies(site)
    data["vacancies"] = []
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    (site / "data" / "vacancies.csv").symlink_to(outside)
    result = cswork("build", str(site))
    assert result.returncode == 2
    assert "data/vacancies.csv:1: (file): is a link to a file outside the site folder" in result.stderr


# --- part-time pay and salaries outside the grade --------------------------------------

PART_TIME_JOB = "family-support-worker-2611"  # 30 hours a week; the role's full time is 37
WHILE_OPEN = {"SOURCE_DATE_EPOCH": _epoch(dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC))}


def _page_text(page: Path) -> str:
    return " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())


def _pay_row(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    dt_ = next(d for d in soup.select(".summary-list dt") if d.get_text(strip=True) == "Pay")
    return " ".join(dt_.find_next_sibling("dd").get_text(" ").split())


def _job(data: dict, job_id: str) -> dict:
    (job,) = [v for v in data["vacancies"] if v["id"] == job_id]
    return job


def _role(site: Path, role_id: str) -> dict:
    (role,) = [r for r in yaml.safe_load((site / "data" / "offer.yaml").read_text())["roles"] if r["id"] == role_id]
    return role


@pytest.mark.slow
def test_a_part_time_job_says_pro_rata_on_its_page_and_in_its_jobposting(site):
    job = _job(_vacancies(site), PART_TIME_JOB)
    role = _role(site, job["role"])
    assert job["hours"] < role.get("hours", 37) and job["employment_type"] == "PART_TIME"
    result = cswork("build", str(site), env=WHILE_OPEN)
    assert result.returncode == 0, result.stderr
    page = site / "output" / "jobs" / PART_TIME_JOB / "index.html"
    share = job["hours"] / 37
    full_min, full_max = round(job["salary"]["min"] / share), round(job["salary"]["max"] / share)
    pay = _pay_row(page)
    assert pay.startswith(f"£{job['salary']['min']:,} to £{job['salary']['max']:,} "
                          "a year for 30 hours a week, pro rata")
    assert f"full-time equivalent is £{full_min:,} to £{full_max:,} for 37 hours" in pay
    (posting,) = _postings(page)
    assert posting["employmentType"] == "PART_TIME"
    assert posting["baseSalary"]["value"]["minValue"] == job["salary"]["min"]
    assert posting["baseSalary"]["value"]["maxValue"] == job["salary"]["max"]
    assert posting["baseSalary"]["description"] == (
        f"Pro rata for 30 hours a week: the full-time equivalent is £{full_min:,} to £{full_max:,} a year for 37 hours")
    assert posting["workHours"].startswith("30 hours a week (part time")
    listing = _page_text(site / "output" / "jobs" / "index.html")
    assert f"£{job['salary']['min']:,} to £{job['salary']['max']:,} a year for 30 hours a week (pro rata)" in listing
    # A full-time job says nothing of the kind.
    full_time = site / "output" / "jobs" / "social-worker-assessment-2611" / "index.html"
    assert "pro rata" not in _page_text(full_time)
    (posting,) = _postings(full_time)
    assert "description" not in posting["baseSalary"] and "workHours" not in posting


@pytest.mark.slow
def test_a_part_time_job_on_its_roles_range_shows_it_pro_rata(site):
    data = _vacancies(site)
    job = _job(data, PART_TIME_JOB)
    del job["salary"]
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = cswork("build", str(site), env=WHILE_OPEN)
    assert result.returncode == 0, result.stderr
    pay = _role(site, job["role"])["pay"]
    low, high = round(pay["min"] * 30 / 37), round(pay["max"] * 30 / 37)
    page = site / "output" / "jobs" / PART_TIME_JOB / "index.html"
    assert _pay_row(page).startswith(
        f"£{low:,} to £{high:,} a year for 30 hours a week, pro rata: the full-time equivalent is "
        f"£{pay['min']:,} to £{pay['max']:,} for 37 hours ({pay['grade']})")
    (posting,) = _postings(page)
    assert (posting["baseSalary"]["value"]["minValue"], posting["baseSalary"]["value"]["maxValue"]) == (low, high)
    assert f"full-time equivalent is £{pay['min']:,} to £{pay['max']:,}" in posting["baseSalary"]["description"]


def _warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": warning: " in line]


@pytest.mark.slow
def test_a_salary_outside_the_roles_range_is_a_warning_at_the_jobs_line(site):
    data = _vacancies(site)
    job = data["vacancies"][0]
    role = _role(site, job["role"])
    job["salary"] = {"min": role["pay"]["min"] - 2000, "max": role["pay"]["max"]}
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = cswork("check", str(site))
    assert result.returncode == 1
    (warning,) = _warnings(result)
    lines = (site / "data" / "vacancies.yaml").read_text().splitlines()
    start = next(n for n, line in enumerate(lines, start=1) if f"id: {job['id']}" in line)
    line = next(n for n, text in enumerate(lines, start=1) if n > start and text.strip().startswith("min:"))
    assert warning.startswith(f"data/vacancies.yaml:{line}: vacancies[0].salary.min: warning: salary ")
    assert f"outside the pay range of grade {role['pay']['grade']}" in warning
    assert f"{role['pay']['min']:,} to {role['pay']['max']:,}" in warning
    # The build goes on, and says so too.
    built = cswork("build", str(site))
    assert built.returncode == 0, built.stderr
    assert any("vacancies[0].salary.min" in w for w in _warnings(built))


@pytest.mark.slow
def test_a_part_time_salary_is_checked_against_the_range_pro_rata(site):
    data = _vacancies(site)
    job = _job(data, PART_TIME_JOB)
    role = _role(site, job["role"])
    job["salary"] = {"min": role["pay"]["min"], "max": role["pay"]["max"]}  # the full-time figures
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = cswork("check", str(site))
    (warning,) = _warnings(result)
    n = data["vacancies"].index(job)
    assert f"vacancies[{n}].salary.max: warning: " in warning
    assert "for 30 hours a week, pro rata" in warning


@pytest.mark.slow
def test_the_demo_jobs_pay_is_within_their_grades(site):
    result = cswork("check", str(site))
    assert result.returncode == 0, result.stderr
    assert not _warnings(result)


@pytest.mark.slow
def test_a_csv_salary_outside_the_range_names_its_row_and_column(site):
    data = _vacancies(site)
    data["vacancies"] = []
    (site / "data" / "vacancies.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    (site / "data" / "vacancies.csv").write_text(CSV_HEADER + CSV_ROW.replace(",39000,43000,", ",39000,49000,"))
    result = cswork("check", str(site))
    (warning,) = _warnings(result)
    assert warning.startswith("data/vacancies.csv:2: salary_max: warning: salary 39,000 to 49,000 is outside")
