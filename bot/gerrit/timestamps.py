"""Gerrit timestamps.

REST entities carry UTC timestamps written ``"yyyy-mm-dd hh:mm:ss.fffffffff"``
(nine fractional digits, no zone suffix). The query operators ``after:`` and
``before:`` take a different format, ``2006-01-02[ 15:04:05[.890][ -0700]]``,
with UTC as the default zone.

Parsing is :meth:`datetime.fromisoformat`'s, which (on Python 3.11) takes the space separator.
It is also far more lenient than Gerrit's format (a bare date, ``20240102T030405``, a zone
suffix, any number of fraction digits), so the shape is checked first, and the nanoseconds are
cut to the microseconds a :class:`datetime` holds (truncated, never rounded up).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

__all__ = ["after_term", "before_term", "format_query_time", "format_timestamp", "parse_timestamp"]

_TIMESTAMP_RE = re.compile(
    r"(?P<seconds>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d{1,9}))?", re.ASCII
)


def parse_timestamp(value: str) -> datetime:
    """Parse a Gerrit REST timestamp into an aware UTC :class:`datetime`.

    Accepts 0 to 9 fractional digits; digits beyond microseconds are
    truncated. Raises :class:`ValueError` for anything else.
    """
    if not isinstance(value, str):
        raise ValueError(f"Gerrit timestamp must be a string, got {type(value).__name__}")
    match = _TIMESTAMP_RE.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"not a Gerrit timestamp: {value!r}")
    micros = (match.group("frac") or "0")[:6]
    return datetime.fromisoformat(f"{match.group('seconds')}.{micros}").replace(tzinfo=UTC)


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        # Naive datetimes are taken to be UTC, like Gerrit's own timestamps.
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    """Format a :class:`datetime` the way Gerrit writes timestamps (9 fractional digits, UTC).

    Naive datetimes are taken to be UTC.
    """
    return _as_utc(value).strftime("%Y-%m-%d %H:%M:%S.%f") + "000"


def format_query_time(value: datetime) -> str:
    """Format a :class:`datetime` for ``after:``/``before:``: ``2025-01-02 15:04:05.890`` (UTC).

    Milliseconds are truncated, never rounded up, so an inclusive ``after:``
    never skips the boundary instant.
    """
    utc = _as_utc(value)
    return utc.strftime("%Y-%m-%d %H:%M:%S") + f".{utc.microsecond // 1000:03d}"


def after_term(value: datetime) -> str:
    """Return the query term ``after:"<time>"`` (inclusive, UTC)."""
    return f'after:"{format_query_time(value)}"'


def before_term(value: datetime) -> str:
    """Return the query term ``before:"<time>"`` (inclusive, UTC)."""
    return f'before:"{format_query_time(value)}"'
