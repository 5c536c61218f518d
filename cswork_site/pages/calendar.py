"""iCalendar files: one per event and one with every upcoming event, so people can add
an event to their calendar without typing it in."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event as CalendarEvent

from cswork_site.clock import SITE_TIME_ZONE
from cswork_site.data.models.events import Event

PRODUCT_ID = "-//cswork//events//EN"

# Every way text can break a line: CRLF, a lone CR or LF, and the characters some readers
# also take for one (vertical tab, form feed, the file/group/record separators, NEL, and
# Unicode's line and paragraph separators). Each becomes one LF, which icalendar writes as
# the escape \n; any other control character is dropped, as RFC 5545 allows none in text.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def calendar_text(text: str) -> str:
    """text as it may go into a calendar property: line breaks as LF, no control characters
    but tab, so no value can end a line of the file early or start a property of its own."""
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", text))


def _utc(moment: dt.datetime) -> dt.datetime:
    """Times in data are UK local; calendars get UTC, which every client shows locally,
    so no time-zone table has to travel with each file."""
    local = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(SITE_TIME_ZONE))
    return local.astimezone(dt.UTC)


def calendar(events: list[Event], name: str, domain: str, stamp: dt.datetime) -> bytes:
    """A calendar file. `stamp` is the build moment, so the same input gives the same bytes."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # X-WR-CALNAME is written as it is, unescaped: a calendar's name is one line.
    cal.add("x-wr-calname", " ".join(calendar_text(name).split()))
    for event in events:
        item = CalendarEvent()
        item.add("uid", f"{event.id}@{domain}")
        item.add("dtstamp", stamp.astimezone(dt.UTC))
        item.add("dtstart", _utc(event.starts))
        item.add("dtend", _utc(event.ends))
        item.add("summary", calendar_text(event.title))
        item.add("description", calendar_text(f"{event.summary}\n\nBook: {event.booking_url}"))
        item.add("location", "Online" if event.online else calendar_text(event.place or ""))
        item.add("url", calendar_text(str(event.booking_url)))
        cal.add_component(item)
    return cal.to_ical()
