"""The home page's picture and its offer in numbers, as typed objects for home.html."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cswork_site.data.models import Offer, Role
from cswork_site.data.models.offer import RoleGroup, SupplementKind
from cswork_site.output.pictures import ProcessedImage
from cswork_site.pages.filters import money, number
from cswork_site.pages.labels import words
from cswork_site.translation import gettext as _, ngettext


@dataclass(frozen=True)
class HeroPicture:
    """The newest published story's picture, shown as that story shows it."""

    image: ProcessedImage
    alt: str  # "" when the story marks its picture decorative
    story_title: str
    story_url: str


def hero_picture(articles: Iterable[Any], images: Mapping[str, ProcessedImage]) -> HeroPicture | None:
    """From the newest published story that has a processed picture; None when none has.

    A draft shown in the preview never lends the home page its picture."""
    pictured = [a for a in articles if a.status == "published" and getattr(a, "cswork", None) is not None
                and a.cswork.meta.image and a.cswork.meta.image in images]
    if not pictured:
        return None
    newest = max(pictured, key=lambda a: a.date)
    meta = newest.cswork.meta
    return HeroPicture(images[meta.image], "" if meta.image_decorative else meta.image_alt,
                       newest.title, newest.url)


@dataclass(frozen=True)
class HeadlineFigure:
    """One figure of the offer, with what it counts: every figure shown has its definition,
    and all share the offer's pay year and source (shown once with them)."""

    label: str
    value: str
    definition: str


def _social_work_roles(offer: Offer) -> list[Role]:
    return offer.roles_in(RoleGroup.social_work) or list(offer.roles)


def offer_numbers(offer: Offer) -> list[HeadlineFigure]:
    """The offer's headline figures, worked out from data/offer.yaml so they always agree
    with the offer page: pay range, a case-holder's caseload, leave, pension and the
    largest yearly supplement."""
    roles = _social_work_roles(offer)
    lowest = min(roles, key=lambda r: r.pay.min)
    highest = max(roles, key=lambda r: r.pay.max)
    figures = [HeadlineFigure(
        _("Salary"), _("%(low)s to %(high)s", low=money(lowest.pay.min), high=money(highest.pay.max)),
        _("Full-time pay a year before tax, from the lowest paid social work role (%(lowest)s) "
          "to the highest paid (%(highest)s); supplements not included.", lowest=lowest.title, highest=highest.title))]
    holders = [r for r in roles if r.caseload]
    if holders:
        # The role that holds the most children: the everyday case-holding social worker.
        holder = max(holders, key=lambda r: r.caseload.max if r.caseload else 0)
        if holder.caseload:
            figures.append(HeadlineFigure(
                _("Caseload"), _("%(low)s to %(high)s children", low=number(holder.caseload.min),
                                  high=number(holder.caseload.max)),
                _("The number of children usually allocated to one full-time worker in the role: %(role)s.",
                  role=holder.title)))
    leave = offer.benefits.annual_leave
    figures.append(HeadlineFigure(
        _("Annual leave"), _("%(days)s days, rising to %(raised)s", days=leave.starting_days, raised=leave.raised_days),
        ngettext("Days a year for a full-time post on joining, and after %(num)d year's service; "
                 "%(holidays)s bank holidays on top.",
                 "Days a year for a full-time post on joining, and after %(num)d years' service; "
                 "%(holidays)s bank holidays on top.", leave.after_years, holidays=leave.bank_holidays)))
    figures.append(HeadlineFigure(
        _("Employer pension contribution"), f"{offer.benefits.pension.employer_contribution_percent:g}%",
        _("What we pay into the %(scheme)s, as a share of your salary.", scheme=offer.benefits.pension.scheme)))
    paid = [r for r in roles if r.supplement and r.supplement.kind != SupplementKind.golden_hello]  # one-off
    if paid:
        top = max(paid, key=lambda r: r.supplement.amount if r.supplement else 0)
        if top.supplement:
            figures.append(HeadlineFigure(
                _("Yearly supplement"), _("Up to %(amount)s", amount=money(top.supplement.amount)),
                _("The largest %(kind)s a year, paid in the role %(role)s on the terms the offer page sets out.",
                  kind=words(top.supplement.kind), role=top.title)))
    return figures
