"""The build's idea of today: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""

from __future__ import annotations

import datetime as dt
import os


class BadEpoch(ValueError):
    pass


def build_moment() -> dt.datetime:
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return dt.datetime.now(dt.timezone.utc)
    try:
        return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise BadEpoch(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970; found {raw!r}") from None


def build_date() -> dt.date:
    return build_moment().date()
