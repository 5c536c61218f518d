"""schema.org JobPosting for a job page: built as data here, written by the template.

Only job pages carry it (never a list page), as Google's guidelines require.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from cswork_site.clock import SITE_TIME_ZONE
from cswork_site.data.models.vacancies import Vacancy
from cswork_site.data.site import SiteData
from cswork_site.pages.filters import money
from cswork_site.translation import gettext as _


def closing_moment(job: Vacancy) -> dt.datetime:
    """A job closes at the very end of its closing day, in the site's time zone."""
    return dt.datetime.combine(job.closes, dt.time(23, 59, 59), ZoneInfo(SITE_TIME_ZONE))


def job_posting(job: Vacancy, data: SiteData, site_url: str, logo_url: str) -> dict:
    service = data.service
    place = data.place(job.location)
    assert place is not None, job.location  # load_job_entries holds back a job at an unknown place
    salary = data.salary_for(job)
    posting: dict = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        # Plain text: schema.org accepts it, and no markup is assembled from what people typed.
        "description": f"{job.summary}\n\n{job.description}",
        "identifier": {"@type": "PropertyValue", "name": service.authority, "value": job.reference},
        "datePosted": job.posted.isoformat(),
        "validThrough": closing_moment(job).isoformat(),
        "employmentType": job.employment_type.value,
        "hiringOrganization": {"@type": "Organization", "name": service.authority,
                               "sameAs": str(service.website), "logo": f"{site_url}/{logo_url}"},
        "jobLocation": {"@type": "Place", "address": {
            "@type": "PostalAddress", "streetAddress": place.street, "addressLocality": place.locality,
            **({"addressRegion": place.region} if place.region else {}),
            "postalCode": place.postcode, "addressCountry": "GB"}},
        "baseSalary": {"@type": "MonetaryAmount", "currency": "GBP", "value": {
            "@type": "QuantitativeValue", "minValue": salary.min, "maxValue": salary.max, "unitText": "YEAR"}},
        "url": f"{site_url}/{job.url}",
    }
    role = data.role(job.role)
    pay = job.pay(salary, role.hours if role else None)
    if pay.part_time:
        # The pay for the job's own hours, and said to be pro rata, with its full-time
        # equivalent, so no one reads it as a full-time salary (or the other way round).
        posting["baseSalary"]["value"].update(minValue=pay.for_hours.min, maxValue=pay.for_hours.max)
        posting["baseSalary"]["description"] = (
            _("Pro rata for %(hours)s hours a week: the full-time equivalent is %(low)s to %(high)s a year "
              "for %(full_hours)s hours", hours=pay.hours_text, low=money(pay.full_time.min),
              high=money(pay.full_time.max), full_hours=pay.full_time_hours_text))
        posting["workHours"] = _("%(hours)s hours a week (part time; full time is %(full_hours)s hours)",
                                 hours=pay.hours_text, full_hours=pay.full_time_hours_text)
    welsh = welsh_requirement(job)
    if welsh:
        # schema.org has no property for a language a job needs. `skills` is "a competency
        # ... desired or required to fulfill a role", which the category and levels are, and
        # it takes plain text. Not `inLanguage`: that is the language the advert is written
        # in. Not `qualifications`: that is for credentials, and no certificate is asked for.
        posting["skills"] = welsh
    if job.direct_apply:
        posting["directApply"] = True
    return posting


def welsh_requirement(job: Vacancy) -> str:
    """The job's Welsh-language category and levels in a sentence, or "" when it gives none:
    "Welsh essential: you need to be able to use Welsh in this job. Speaking: level 3
    (intermediate); writing: level 2 (foundation)." """
    parts = []
    if job.welsh_language is not None:
        parts.append(f"{job.welsh_language.label}: {job.welsh_language.meaning}.")
    skills = job.welsh_skills.given if job.welsh_skills else []
    if skills:
        text = "; ".join(s.text for s in skills)
        levels = text[0] + text[1:].lower()  # "Speaking: Level 3" in a sentence: our own words, no names
        parts.append(_("Welsh skills: %(levels)s.", levels=levels) if job.welsh_language is None else levels + ".")
    return " ".join(parts)


def as_json_ld(posting: dict) -> str:
    """JSON safe inside a <script> element: '<' is escaped, so text can never end it."""
    return json.dumps(posting, ensure_ascii=False, indent=1).replace("<", "\\u003c")
