"""The publication gate: an item goes live only with consent in date and approval.

Stories and testimonials share it. Anything that fails is a draft: the preview shows it
with a DRAFT banner; a build writes it nowhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cswork_site.data.models.common import WEBSITE_SCOPE, Approval, Consent


@dataclass(frozen=True)
class Gate:
    publishable: bool
    missing: tuple[str, ...] = ()
    expired_on: dt.date | None = None
    not_yet: str | None = None
    not_yet_field: str | None = None  # "consent" or "approval": which record is dated ahead
    scope: tuple[str, ...] | None = None  # set when the consent's scope leaves out the website

    @property
    def reason(self) -> str:
        if self.scope is not None:
            return (f"consent covers only {', '.join(self.scope)}, not the website, so it is kept off "
                    "the site (pages, lists, feeds, sitemap and search)")
        if self.expired_on:
            return f"consent expired on {self.expired_on.isoformat()}, so it is withdrawn from the site"
        if self.not_yet:
            return self.not_yet
        return "is a draft until it has " + " and ".join(self.missing)


def judge(consent: Consent | None, approval: Approval | None, today: dt.date) -> Gate:
    missing = tuple(name for name, value in (("consent", consent), ("approval", approval)) if value is None)
    if missing:
        return Gate(False, missing)
    assert consent is not None and approval is not None
    if WEBSITE_SCOPE not in consent.scope:
        return Gate(False, scope=tuple(consent.scope))
    if consent.expires < today:
        return Gate(False, expired_on=consent.expires)
    if consent.date > today:
        return Gate(False, not_yet=f"consent is dated {consent.date.isoformat()}, after today; "
                                   "it is a draft until then", not_yet_field="consent")
    if approval.date > today:
        return Gate(False, not_yet=f"approval is dated {approval.date.isoformat()}, after today; "
                                   "it is a draft until then", not_yet_field="approval")
    return Gate(True)
