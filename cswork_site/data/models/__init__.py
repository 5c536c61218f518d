"""Typed models of a site's data files. Templates receive these, never raw dicts."""

from cswork_site.data.models.careers import Careers, EntryRoute, Stage
from cswork_site.data.models.common import Approval, Consent, Image
from cswork_site.data.models.offer import Offer, Role
from cswork_site.data.models.practice import PracticeFramework
from cswork_site.data.models.service import Inspection, Service
from cswork_site.data.models.testimonials import Testimonial, Testimonials

__all__ = [
    "Approval", "Careers", "Consent", "EntryRoute", "Image", "Inspection", "Offer",
    "PracticeFramework", "Role", "Service", "Stage", "Testimonial", "Testimonials",
]
