"""Gerrit timestamps and the time values of query operators."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone


def format_ts(dt: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS.fffffffff`` in UTC (9 fractional digits)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") + "000"


_QUERY_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"(?:\s*([+-])(\d{2}):?(\d{2}))?$"
)


def parse_query_time(value: str) -> datetime:
    """Parse ``after:``/``before:`` values; the zone defaults to UTC."""
    m = _QUERY_TIME.match(value.strip())
    if not m:
        raise ValueError(f"Invalid timestamp: {value}")
    y, mo, d, h, mi, s, frac, sign, tzh, tzm = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    tzinfo: timezone = UTC
    if sign:
        delta = timedelta(hours=int(tzh), minutes=int(tzm))
        tzinfo = timezone(delta if sign == "+" else -delta)
    try:
        return datetime(
            int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), micro, tzinfo=tzinfo
        ).astimezone(UTC)
    except ValueError as exc:
        raise ValueError(f"Invalid timestamp: {value}") from exc


_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
    "mon": 2592000, "month": 2592000, "months": 2592000,
    "y": 31536000, "year": 31536000, "years": 31536000,
}  # fmt: skip


def parse_age(value: str) -> timedelta:
    """``2d``, ``15m``, ``1h30m`` → timedelta."""
    text = value.strip().lower()
    parts = re.findall(r"(\d+)\s*([a-z]+)", text)
    if not parts or re.sub(r"\d+\s*[a-z]+", "", text).strip():
        raise ValueError(f"Invalid age: {value}")
    total = 0
    for num, unit in parts:
        if unit not in _UNITS:
            raise ValueError(f"Invalid age: {value}")
        total += int(num) * _UNITS[unit]
    return timedelta(seconds=total)
