"""iCalendar files: one per event and one with every upcoming event, so people can add
an event to their calendar without typing it in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .clock import SITE_TIME_ZONE
from .models.events import Event

PRODUCT_ID = "-//cswork//events//EN"


def _utc(moment: dt.datetime) -> dt.datetime:
    """Times in data are UK local; calendars get UTC, which every client shows locally,
    so no time-zone table has to travel with each file."""
    local = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(SITE_TIME_ZONE))
    return local.astimezone(dt.timezone.utc)


def calendar(events: list[Event], name: str, domain: str, stamp: dt.datetime) -> bytes:
    """A calendar file. `stamp` is the build moment, so the same input gives the same bytes."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for event in events:
        item = CalendarEvent()
        item.add("uid", f"{event.id}@{domain}")
        item.add("dtstamp", stamp.astimezone(dt.timezone.utc))
        item.add("dtstart", _utc(event.starts))
        item.add("dtend", _utc(event.ends))
        item.add("summary", event.title)
        item.add("description", f"{event.summary}\n\nBook: {event.booking_url}")
        item.add("location", "Online" if event.online else (event.place or ""))
        item.add("url", str(event.booking_url))
        cal.add_component(item)
    return cal.to_ical()
