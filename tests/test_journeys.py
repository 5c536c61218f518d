"""Linked journeys: a role or a stage leads to its open jobs, a job back to its role, stage
and team; a past event cannot be booked; the 404 page leads on; every published page
names the feeds (autodiscovery). Read from real builds with BeautifulSoup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from .helpers import copy_site, cswork, html_pages

BUILD_DAY = dt.date(2026, 11, 1)  # the tests' SOURCE_DATE_EPOCH
SITEURL = "https://careers.castlebrook.example.org"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(), "html.parser")


def _resolves(output: Path, href: str) -> bool:
    path = urlparse(href).path if href.startswith("http") else href
    target = output / path.lstrip("/")
    return (target / "index.html").is_file() if path.endswith("/") else target.is_file()


def _open_jobs(site: Path) -> list[dict]:
    jobs = yaml.safe_load((site / "data" / "vacancies.yaml").read_text())["vacancies"]
    return [j for j in jobs if dt.date.fromisoformat(str(j["posted"])) <= BUILD_DAY
            <= dt.date.fromisoformat(str(j["closes"]))]


def _roles_and_stages(site: Path) -> tuple[list[dict], list[dict]]:
    roles = yaml.safe_load((site / "data" / "offer.yaml").read_text())["roles"]
    stages = yaml.safe_load((site / "data" / "careers.yaml").read_text())["stages"]
    return roles, stages


def _stage_of(role: dict, stages: list[dict]) -> str | None:
    """As SiteData.stage_for_role: the role's pathway_stage, else the stage done in it."""
    if role.get("pathway_stage"):
        return role["pathway_stage"]
    return next((s["id"] for s in stages if s.get("role") == role["id"]), None)


def _jobs_section(soup: BeautifulSoup) -> list[str]:
    heading = soup.find(id="open-jobs")
    assert heading is not None, "the page has an Open jobs section"
    links = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h2", "h3"):
            break
        links += [a["href"] for a in sibling.find_all("a", href=True)]
    return links


def test_every_role_page_links_to_its_open_jobs(built_demo):
    site, output = built_demo
    roles, _ = _roles_and_stages(site)
    jobs = _open_jobs(site)
    assert any(j["role"] == r["id"] for r in roles for j in jobs), "the demo has a role with open jobs"
    assert any(not [j for j in jobs if j["role"] == r["id"]] for r in roles), "and one without"
    for role in roles:
        soup = _soup(output / "our-offer" / role["id"] / "index.html")
        links = _jobs_section(soup)
        expected = {f"/jobs/{j['id']}/" for j in jobs if j["role"] == role["id"]}
        assert expected <= set(links), role["id"]
        assert {h for h in links if h.startswith("/jobs/") and h.count("/") == 3 and h != "/jobs/"} \
            <= expected | {f"/jobs/role/{role['id']}/"}
        if expected:
            assert f"/jobs/role/{role['id']}/" in links
        else:
            assert "There are no open jobs" in soup.get_text()
            assert "/jobs/" in links
        assert all(_resolves(output, h) for h in links if h.startswith("/")), role["id"]


def test_every_stage_page_links_to_the_jobs_for_it(built_demo):
    site, output = built_demo
    roles, stages = _roles_and_stages(site)
    jobs = _open_jobs(site)
    checked_with_jobs = 0
    for stage in stages:
        soup = _soup(output / "careers" / stage["id"] / "index.html")
        links = _jobs_section(soup)
        its_roles = {r["id"] for r in roles if _stage_of(r, stages) == stage["id"]}
        expected = {f"/jobs/{j['id']}/" for j in jobs if j["role"] in its_roles}
        assert expected <= set(links), stage["id"]
        checked_with_jobs += bool(expected)
        if not expected:
            assert "There are no open jobs" in soup.get_text() and "/jobs/" in links
        assert all(_resolves(output, h) for h in links if h.startswith("/")), stage["id"]
    assert checked_with_jobs, "some stage has open jobs in the demo"


def test_each_job_links_back_to_its_role_stage_and_team(built_demo):
    site, output = built_demo
    roles, stages = _roles_and_stages(site)
    by_id = {r["id"]: r for r in roles}
    for job in _open_jobs(site):
        soup = _soup(output / "jobs" / job["id"] / "index.html")
        hrefs = {a["href"] for a in soup.select("main a[href]")}
        assert f"/our-offer/{job['role']}/" in hrefs, job["id"]
        stage = _stage_of(by_id[job["role"]], stages)
        if stage:
            assert f"/careers/{stage}/" in hrefs, job["id"]
        assert f"/jobs/team/{job['team']}/" in hrefs
        assert f"/our-offer/{job['role']}/print/" in hrefs  # the printable offer, to send with it
        team_page = output / "teams" / job["team"] / "index.html"
        # The team's own page is linked when the site has one, and never when it has none.
        assert (f"/teams/{job['team']}/" in hrefs) == team_page.is_file()
        assert all(_resolves(output, h) for h in hrefs if h.startswith("/")), job["id"]


def test_404_page_links_to_jobs_and_search(built_demo):
    _, output = built_demo
    hrefs = {a["href"] for a in _soup(output / "404.html").select("main a[href]")}
    assert {"/jobs/", "/search/"} <= hrefs
    assert all(_resolves(output, h) for h in hrefs if h.startswith("/"))


@pytest.mark.slow
def test_an_event_moved_into_the_past_cannot_be_booked(site):
    path = site / "data" / "events.yaml"
    data = yaml.safe_load(path.read_text())
    upcoming = [e for e in data["events"] if dt.datetime.fromisoformat(str(e["ends"])).date() >= BUILD_DAY]
    assert len(upcoming) >= 2
    moved, kept = upcoming[0], upcoming[1]
    moved["starts"], moved["ends"] = "2026-10-20 18:00", "2026-10-20 19:30"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    output = site / "output"
    soup = _soup(output / "events" / "index.html")
    past = soup.find("li", id=moved["id"])
    assert past in soup.select("#past ~ ul li.event")
    assert "This event has passed" in past.get_text()
    assert past.find("a", href=moved["booking_url"]) is None
    assert not [a for a in past.find_all("a", href=True) if a["href"].endswith(".ics")]
    assert not (output / "events" / f"{moved['id']}.ics").exists()
    assert moved["id"] not in (output / "events" / "all.ics").read_text()
    future = soup.find("li", id=kept["id"])
    assert "This event has passed" not in future.get_text()
    assert future.find("a", href=kept["booking_url"]) is not None
    assert future.find("a", href=f"/events/{kept['id']}.ics") is not None
    assert (output / "events" / f"{kept['id']}.ics").is_file()


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Path:
    site = copy_site(tmp_path_factory.mktemp("journeys") / "site")
    result = cswork("build", str(site), "--production")
    assert result.returncode == 0, result.stderr
    return site / "output"


@pytest.mark.slow
def test_every_published_page_names_the_feeds_and_each_resolves(production):
    pages = html_pages(production)
    assert len(pages) > 30
    for page in pages:
        head = _soup(page).head
        feeds = head.find_all("link", rel="alternate")
        atom = {f["href"] for f in feeds if f.get("type") == "application/atom+xml"}
        json_feeds = {f["href"] for f in feeds if f.get("type") == "application/feed+json"}
        rel = page.relative_to(production).as_posix()
        assert {f"{SITEURL}/stories/feed.atom.xml", f"{SITEURL}/jobs/feed.atom.xml",
                f"{SITEURL}/events/feed.atom.xml"} <= atom, rel
        assert {f"{SITEURL}/jobs/feed.json", f"{SITEURL}/events/feed.json"} <= json_feeds, rel
        assert all(f.get("title") for f in feeds), rel
    for href in atom | json_feeds:
        assert _resolves(production, href), href


def test_a_preview_names_no_feed_it_does_not_write(built_demo):
    _, output = built_demo
    assert not (output / "jobs" / "feed.json").exists()
    assert _soup(output / "index.html").head.find_all("link", rel="alternate") == []
