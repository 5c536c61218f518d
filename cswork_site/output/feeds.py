"""The open jobs and the coming events as feeds, for a regional hub or a job board to read:
Atom (with feedgenerator, which Pelican writes the stories' feed with) and JSON Feed 1.1.

Only a published site (absolute SITEURL) gets them, as it gets the stories' feed: a
feed's ids and links must be absolute. Each JSON Feed item carries what a reader needs
to list a job or an event without scraping its page in a `_cswork` object (custom
objects start with an underscore, as JSON Feed 1.1 asks): a job's closing date, pay and
place of work; an event's start, end and place.

Every text in them comes from data already validated and screened for safeguarding.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from feedgenerator import Atom1Feed

from cswork_site.clock import SITE_TIME_ZONE, build_moment
from cswork_site.data.models.events import Event
from cswork_site.data.models.vacancies import Vacancy
from cswork_site.data.site import SiteData
from cswork_site.languages import current
from cswork_site.translation import gettext as _

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
JOBS_ATOM = "jobs/feed.atom.xml"
JOBS_JSON = "jobs/feed.json"
EVENTS_ATOM = "events/feed.atom.xml"
EVENTS_JSON = "events/feed.json"
_LONDON = ZoneInfo(SITE_TIME_ZONE)


@dataclass(frozen=True)
class FeedLink:
    """A feed a page names in its head (autodiscovery)."""
    url: str  # absolute
    type: str
    title: str


@dataclass(frozen=True)
class FeedItem:
    id: str
    url: str
    title: str
    summary: str
    text: str
    published: dt.datetime
    extra: dict[str, Any]  # the _cswork object


@dataclass(frozen=True)
class Feed:
    title: str
    description: str
    home: str  # absolute address of the page that lists the same things
    atom_path: str
    json_path: str
    items: list[FeedItem]


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=_LONDON) if moment.tzinfo is None else moment


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), _LONDON)


def job_item(job: Vacancy, data: SiteData, site_url: str) -> FeedItem:
    salary = data.salary_for(job)
    place = data.place(job.location)
    team = data.team(job.team)
    role = data.role(job.role)
    location = {"name": place.name, "street": place.street, "locality": place.locality,
                "region": place.region, "postcode": place.postcode} if place else None
    extra = {
        "reference": job.reference, "closes": job.closes.isoformat(), "posted": job.posted.isoformat(),
        "salary": {"min": salary.min, "max": salary.max, "currency": "GBP", "per": "year"},
        "hours": job.hours, "employment_type": job.employment_type.value,
        "location": location, "team": team.name if team else job.team,
        "role": role.title if role else job.role, "apply_url": str(job.apply_url),
    }
    return FeedItem(f"{site_url}/{job.url}", f"{site_url}/{job.url}", job.title, job.summary,
                    f"{job.summary}\n\n{job.description}".strip(), _day(job.posted), extra)


def event_item(event: Event, site_url: str, published: dt.datetime) -> FeedItem:
    extra = {"starts": _local(event.starts).isoformat(), "ends": _local(event.ends).isoformat(),
             "online": event.online, "place": None if event.online else event.place,
             "kind": event.kind.value, "booking_url": str(event.booking_url),
             "calendar_url": f"{site_url}/{event.ics_url}"}
    return FeedItem(f"{site_url}/events/{event.id}", f"{site_url}/{event.url}", event.title,
                    event.summary, event.summary, published, extra)


def site_feeds(data: SiteData, site_url: str) -> list[Feed]:
    service = data.service.service
    # An event has no date of its own for when it was announced: the build's moment is
    # used (SOURCE_DATE_EPOCH makes it reproducible).
    moment = build_moment()
    jobs = [job_item(j, data, site_url) for j in data.jobs]
    events = [event_item(e, site_url, moment) for e in data.upcoming_events]
    return [
        Feed(_("Jobs: %(service)s", service=service),
             _("Social work jobs open at %(service)s, closing soonest first", service=data.service.short_name),
             f"{site_url}/jobs/", JOBS_ATOM, JOBS_JSON, jobs),
        Feed(_("Events: %(service)s", service=service),
             _("Events coming up at %(service)s, soonest first", service=data.service.short_name),
             f"{site_url}/events/", EVENTS_ATOM, EVENTS_JSON, events),
    ]


def atom(feed: Feed, site_url: str, author: str) -> bytes:
    out = Atom1Feed(feed.title, feed.home, feed.description, language=current().tag,
                    feed_url=f"{site_url}/{feed.atom_path}", feed_guid=f"{site_url}/{feed.atom_path}",
                    author_name=author)
    for item in feed.items:
        out.add_item(item.title, item.url, item.summary, unique_id=item.id, pubdate=item.published,
                     updateddate=item.published, author_name=author)
    buffer = io.StringIO()
    out.write(buffer, "utf-8")
    return buffer.getvalue().encode("utf-8")


def json_feed(feed: Feed, site_url: str, author: str) -> dict[str, Any]:
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": f"{site_url}/{feed.json_path}",
        "description": feed.description,
        "language": current().tag,
        "authors": [{"name": author}],
        "items": [{"id": i.id, "url": i.url, "title": i.title, "summary": i.summary, "content_text": i.text,
                   "date_published": i.published.isoformat(), "_cswork": i.extra} for i in feed.items],
    }


def write_feeds(output: Path, data: SiteData, site_url: str) -> None:
    author = data.service.service
    for feed in site_feeds(data, site_url):
        target = output / feed.atom_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(atom(feed, site_url, author))
        (output / feed.json_path).write_text(
            json.dumps(json_feed(feed, site_url, author), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def feed_links(settings: dict[str, Any], site_url: str | None, service: str) -> list[FeedLink]:
    """Every feed the site has, for each page's head: none for a preview (no feed is written)."""
    if site_url is None:
        return []
    links = []
    stories = settings.get("FEED_ALL_ATOM")
    if stories:
        domain = str(settings.get("FEED_DOMAIN") or site_url).rstrip("/")  # as Pelican writes it
        links.append(FeedLink(f"{domain}/{stories}", ATOM_TYPE, _("Stories: %(service)s", service=service)))
    jobs, events = _("Jobs: %(service)s", service=service), _("Events: %(service)s", service=service)
    links += [FeedLink(f"{site_url}/{JOBS_ATOM}", ATOM_TYPE, jobs),
              FeedLink(f"{site_url}/{JOBS_JSON}", JSON_FEED_TYPE, _("%(feed)s (JSON Feed)", feed=jobs)),
              FeedLink(f"{site_url}/{EVENTS_ATOM}", ATOM_TYPE, events),
              FeedLink(f"{site_url}/{EVENTS_JSON}", JSON_FEED_TYPE, _("%(feed)s (JSON Feed)", feed=events))]
    return links
