"""Typed models of a site's data files. Templates receive these, never raw dicts."""

from .careers import Careers, EntryRoute, Stage
from .common import Approval, Consent, Image
from .offer import Offer, Role
from .practice import PracticeFramework
from .service import Inspection, Service
from .testimonials import Testimonial, Testimonials

__all__ = [
    "Approval", "Careers", "Consent", "EntryRoute", "Image", "Inspection", "Offer",
    "PracticeFramework", "Role", "Service", "Stage", "Testimonial", "Testimonials",
]
