"""The jobs and events feeds of a published site, read as a hub or a job board would:
Atom with feedparser, JSON Feed 1.1 against the keys its specification requires."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import pytest
import yaml

from .helpers import copy_site, cswork

pytestmark = pytest.mark.slow  # builds a site

BUILD_DAY = dt.date(2026, 11, 1)  # the tests' SOURCE_DATE_EPOCH
SITEURL = "https://careers.castlebrook.example.org"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    site = copy_site(tmp_path_factory.mktemp("feeds") / "site")
    result = cswork("build", str(site), "--production")
    assert result.returncode == 0, result.stderr
    return site, site / "output"


def _jobs(site: Path) -> tuple[list[dict], list[dict]]:
    jobs = yaml.safe_load((site / "data" / "vacancies.yaml").read_text())["vacancies"]
    is_open = [dt.date.fromisoformat(str(j["posted"])) <= BUILD_DAY <= dt.date.fromisoformat(str(j["closes"]))
               for j in jobs]
    return [j for j, o in zip(jobs, is_open, strict=True) if o], [j for j, o in zip(jobs, is_open, strict=True)
                                                                    if not o]


def _events(site: Path) -> tuple[list[dict], list[dict]]:
    events = yaml.safe_load((site / "data" / "events.yaml").read_text())["events"]
    coming = [e for e in events if dt.datetime.fromisoformat(str(e["ends"])).date() >= BUILD_DAY]
    return coming, [e for e in events if e not in coming]


def _page_exists(output: Path, url: str) -> bool:
    assert url.startswith(SITEURL + "/"), url
    path = urlparse(url).path.lstrip("/")
    return (output / path / "index.html").is_file() if path.endswith("/") or not path else (output / path).is_file()


def test_jobs_atom_feed_has_every_open_job_and_no_closed_one(published):
    site, output = published
    feed = feedparser.parse((output / "jobs" / "feed.atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    open_jobs, closed = _jobs(site)
    assert open_jobs and closed, "the demo has open and closed jobs"
    links = {e.link for e in feed.entries}
    assert links == {f"{SITEURL}/jobs/{j['id']}/" for j in open_jobs}
    assert not links & {f"{SITEURL}/jobs/{j['id']}/" for j in closed}
    titles = {e.title for e in feed.entries}
    assert titles == {j["title"] for j in open_jobs}
    assert feed.feed.link == f"{SITEURL}/jobs/"
    for entry in feed.entries:
        assert entry.id.startswith(SITEURL + "/") and entry.summary and entry.published_parsed
        assert _page_exists(output, entry.link)


def test_events_atom_feed_has_every_coming_event_and_no_past_one(published):
    site, output = published
    feed = feedparser.parse((output / "events" / "feed.atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    coming, past = _events(site)
    assert coming and past
    assert [e.title for e in feed.entries] == [e["title"] for e in sorted(coming, key=lambda e: str(e["starts"]))]
    assert not {e.id for e in feed.entries} & {f"{SITEURL}/events/{e['id']}" for e in past}
    for entry in feed.entries:
        assert entry.link.startswith(f"{SITEURL}/events/#")


def _valid_json_feed(feed: dict, url: str) -> None:
    """The keys JSON Feed 1.1 requires (version, title, items; an id and content for each
    item), and the ones this site promises (absolute addresses)."""
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert feed["feed_url"] == url
    assert feed["home_page_url"].startswith(SITEURL + "/")
    assert isinstance(feed["items"], list)
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_text") or item.get("content_html")
        assert item["url"].startswith(SITEURL + "/")
        dt.datetime.fromisoformat(item["date_published"])  # RFC 3339
        # Custom objects start with an underscore (JSON Feed 1.1, "Extensions").
        assert [k for k in item if k not in {"id", "url", "title", "summary", "content_text",
                                             "date_published"}] == ["_cswork"]


def test_jobs_json_feed_is_valid_and_carries_closing_date_pay_and_place(published):
    site, output = published
    feed = json.loads((output / "jobs" / "feed.json").read_text())
    _valid_json_feed(feed, f"{SITEURL}/jobs/feed.json")
    open_jobs, closed = _jobs(site)
    by_url = {i["url"]: i for i in feed["items"]}
    assert set(by_url) == {f"{SITEURL}/jobs/{j['id']}/" for j in open_jobs}
    places = {p["id"]: p for p in yaml.safe_load((site / "data" / "vacancies.yaml").read_text())["places"]}
    for job in open_jobs:
        extra = by_url[f"{SITEURL}/jobs/{job['id']}/"]["_cswork"]
        assert extra["closes"] == str(job["closes"])
        assert extra["reference"] == job["reference"]
        assert extra["location"]["postcode"] == places[job["location"]]["postcode"]
        assert extra["salary"]["currency"] == "GBP" and 0 < extra["salary"]["min"] <= extra["salary"]["max"]
        if job.get("salary"):
            assert (extra["salary"]["min"], extra["salary"]["max"]) == (job["salary"]["min"], job["salary"]["max"])
        assert extra["apply_url"] == job["apply_url"]
        assert _page_exists(output, by_url[f"{SITEURL}/jobs/{job['id']}/"]["url"])


def test_events_json_feed_is_valid_and_carries_the_start(published):
    site, output = published
    feed = json.loads((output / "events" / "feed.json").read_text())
    _valid_json_feed(feed, f"{SITEURL}/events/feed.json")
    coming, past = _events(site)
    by_id = {i["id"]: i for i in feed["items"]}
    assert set(by_id) == {f"{SITEURL}/events/{e['id']}" for e in coming}
    for event in coming:
        extra = by_id[f"{SITEURL}/events/{event['id']}"]["_cswork"]
        starts = dt.datetime.fromisoformat(extra["starts"])
        assert starts.tzinfo is not None
        assert starts.replace(tzinfo=None) == dt.datetime.fromisoformat(str(event["starts"]))
        assert extra["booking_url"] == event["booking_url"]
        assert _page_exists(output, extra["calendar_url"])


def test_the_preview_writes_no_feed(built_demo):
    _, output = built_demo
    assert not list(output.rglob("feed.json")) and not list(output.rglob("*.atom.xml"))


def test_the_published_policy_lets_only_the_sites_own_media_play(published):
    _, output = published
    assert "media-src 'self'" in (output / "_headers").read_text()
