"""The build's idea of today: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo


class BadEpoch(ValueError):
    pass


def build_moment() -> dt.datetime:
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return dt.datetime.now(dt.UTC)
    try:
        return dt.datetime.fromtimestamp(int(raw), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise BadEpoch(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970; found {raw!r}") from None


# Councils in England and Wales: dates such as a job's closing day are the site's own.
SITE_TIME_ZONE = "Europe/London"


def build_date() -> dt.date:
    """Today in the site's time zone (a build at 00:30 BST is already tomorrow's build)."""
    return build_moment().astimezone(ZoneInfo(SITE_TIME_ZONE)).date()
