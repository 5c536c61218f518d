"""Small numbers are not published: they could identify a person.

Primary suppression: a count below the threshold is shown as "fewer than N"; a rate
whose base (denominator) is below its threshold is withheld. Secondary suppression: when
parts are shown with their total, one hidden part could be worked out by subtraction,
so the next smallest part is hidden too (or, with a single part, the total).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cswork_site.translation import gettext as _


@dataclass(frozen=True)
class Shown:
    """A value as it may be published: the number, or the words that stand for it."""

    value: Decimal | None  # None when suppressed
    text: str
    reason: str | None = None  # why it is hidden, for a footnote

    @property
    def suppressed(self) -> bool:
        return self.value is None


def _plain(value: Decimal) -> str:
    text = f"{value:,.1f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return text


def count(value: Decimal | int, threshold: int) -> Shown:
    value = Decimal(value)
    if value < threshold:
        # Zero is safe to publish: it identifies nobody.
        if value == 0:
            return Shown(value, "0")
        return Shown(None, _("fewer than %(count)s", count=threshold),
                     _("counts below %(count)s are not published", count=threshold))
    return Shown(value, _plain(value))


def rate(value: Decimal | int, denominator: Decimal | int | None, min_denominator: int, unit: str = "%") -> Shown:
    value = Decimal(value)
    if denominator is not None and Decimal(denominator) < min_denominator:
        return Shown(None, _("not published"), _("based on fewer than %(count)s people", count=min_denominator))
    return Shown(value, f"{_plain(value)}{unit}")


def group(parts: dict[str, Decimal | int], threshold: int) -> tuple[dict[str, Shown], Shown]:
    """Counts shown with their total: no hidden part can be recovered by subtraction."""
    shown = {name: count(v, threshold) for name, v in parts.items()}
    total_value = sum((Decimal(v) for v in parts.values()), Decimal(0))
    total = count(total_value, threshold)
    hidden = [n for n, s in shown.items() if s.suppressed]
    if len(hidden) == 1 and not total.suppressed:
        visible = sorted((n for n, s in shown.items() if not s.suppressed and s.value),
                         key=lambda n: (Decimal(parts[n]), n))
        secondary = _("hidden so that other figures cannot be worked out from the total")
        if visible:
            n = visible[0]
            shown[n] = Shown(None, _("not published"), secondary)
        else:
            total = Shown(None, _("not published"), secondary)
    return shown, total
