"""Events: the page's upcoming and past lists, and calendar files read back with icalendar."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup
from icalendar import Calendar

from .helpers import cswork

LONDON = ZoneInfo("Europe/London")


def _events(site):
    return yaml.safe_load((site / "data" / "events.yaml").read_text())["events"]


def _local(value) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=LONDON)


def test_events_page_splits_upcoming_and_past(built_demo):
    site, output = built_demo
    soup = BeautifulSoup((output / "events" / "index.html").read_text(), "html.parser")
    events = _events(site)
    build_day = dt.date(2026, 11, 1)
    upcoming = sorted((e for e in events if _local(e["ends"]).date() >= build_day), key=lambda e: _local(e["starts"]))
    past = [e for e in events if _local(e["ends"]).date() < build_day]
    assert upcoming and past
    listed_upcoming = [li["id"] for li in soup.select("#upcoming ~ ul")[0].select("li.event")]
    assert listed_upcoming == [e["id"] for e in upcoming]
    listed_past = [li["id"] for li in soup.select("#past ~ ul")[0].select("li.event")]
    assert listed_past == [e["id"] for e in past]
    for e in upcoming:
        card = soup.find("li", id=e["id"])
        assert card.find("a", href=e["booking_url"]) is not None
        assert card.find("a", href=f"/events/{e['id']}.ics") is not None
        assert "This event has passed" not in card.get_text()
    for e in past:
        # Over: no booking, no calendar file, and it says so.
        card = soup.find("li", id=e["id"])
        assert "This event has passed" in card.get_text()
        assert card.find("a", href=e["booking_url"]) is None
        assert not [a for a in card.find_all("a", href=True) if a["href"].endswith(".ics")]
        assert not (output / "events" / f"{e['id']}.ics").exists()


def test_calendar_files_parse_and_hold_the_right_times(built_demo):
    site, output = built_demo
    for e in _events(site):
        if _local(e["ends"]).date() < dt.date(2026, 11, 1):
            continue  # a past event has no calendar file (see above)
        cal = Calendar.from_ical((output / "events" / f"{e['id']}.ics").read_bytes())
        (vevent,) = cal.walk("VEVENT")
        assert str(vevent["SUMMARY"]) == e["title"]
        assert vevent.decoded("DTSTART") == _local(e["starts"])
        assert vevent.decoded("DTEND") == _local(e["ends"])
        assert str(vevent["URL"]) == e["booking_url"]
        assert str(vevent["UID"]).startswith(e["id"] + "@")
        assert ("Online" if e.get("online") else e["place"]) == str(vevent["LOCATION"])
    everything = Calendar.from_ical((output / "events" / "all.ics").read_bytes())
    uids = {str(v["UID"]).split("@")[0] for v in everything.walk("VEVENT")}
    assert uids == {e["id"] for e in _events(site) if _local(e["ends"]).date() >= dt.date(2026, 11, 1)}


@pytest.mark.slow
def test_summer_times_are_converted_from_british_summer_time(site):
    data = yaml.safe_load((site / "data" / "events.yaml").read_text())
    data["events"][0]["starts"] = "2027-07-01 18:00"
    data["events"][0]["ends"] = "2027-07-01 19:00"
    (site / "data" / "events.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    assert cswork("build", str(site)).returncode == 0
    cal = Calendar.from_ical((site / "output" / "events" / f"{data['events'][0]['id']}.ics").read_bytes())
    start = cal.walk("VEVENT")[0].decoded("DTSTART")
    assert start == dt.datetime(2027, 7, 1, 17, 0, tzinfo=dt.UTC)  # 18:00 BST


@pytest.mark.slow
def test_calendar_files_are_reproducible(site):
    assert cswork("build", str(site), "-o", str(site / "a")).returncode == 0
    assert cswork("build", str(site), "-o", str(site / "b")).returncode == 0
    for name in ("all.ics", "agency-to-permanent-evening-2026-12.ics"):
        assert (site / "a" / "events" / name).read_bytes() == (site / "b" / "events" / name).read_bytes()
