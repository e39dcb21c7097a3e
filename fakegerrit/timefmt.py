"""Gerrit timestamps and the time values of query operators."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta


def format_ts(dt: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS.fffffffff`` in UTC (9 fractional digits)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") + "000"


_INT = re.compile(r"[+-]?\d+")
# What java.lang.Double.parseDouble reads (after trimming), for the fraction of a second.
_JAVA_DOUBLE = re.compile(r"[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?")


def _java_int(text: str) -> int:
    """``Integer.parseInt``: an optional sign and digits, in the 32-bit range."""
    if not _INT.fullmatch(text):
        raise ValueError(text)
    value = int(text)
    if not -(2**31) <= value < 2**31:
        raise ValueError(text)
    return value


def _time_zone(text: str) -> int:
    """A ``+HHMM``/``-HHMM`` offset in minutes, or Gerrit's error."""
    if len(text) != 5 or text[0] not in "+-" or not all("0" <= c <= "9" for c in text[1:]):
        raise ValueError(f"Invalid time zone: {text}")
    minutes = 60 * int(text[1:3]) + int(text[3:5])
    return -minutes if text[0] == "-" else minutes


def parse_query_time(value: str) -> datetime:
    """An ``after:``/``before:`` value read as Gerrit's ``JavaSqlTimestampHelper`` reads it.

    ``yyyy-MM-dd[ HH:mm:ss[.fraction][ ±HHMM]]``, parts separated by exactly one space; the
    zone defaults to UTC; out-of-range fields roll over (``java.util.Calendar`` is lenient).
    Anything else raises ``ValueError`` with Gerrit's message (its 400 text).
    """
    parts = value.split(" ")
    if not 1 <= len(parts) <= 3:
        raise ValueError(f"Expected date and optional time: {value}")
    date, time = parts[0], parts[1] if len(parts) >= 2 else None
    offset = _time_zone(parts[2]) if len(parts) == 3 else 0
    fields = date.split("-")
    if len(fields) != 3:
        raise ValueError(f"Invalid date format: {date}")
    try:
        year, month, day = (_java_int(f) for f in fields)
    except ValueError:
        raise ValueError(f"Invalid date format: {date}") from None
    hour = minute = second = 0
    nanos = 0
    if time is not None:
        head, dot, frac = time.partition(".")
        try:
            fraction = 0.0
            if dot:
                text = ("0." + frac).strip()
                if not _JAVA_DOUBLE.fullmatch(text):
                    raise ValueError(text)
                fraction = float(text.rstrip("fFdD"))
            hms = head.split(":")
            if len(hms) != 3:
                raise ValueError(f"Invalid time format: {time}")
            hour, minute, second = (_java_int(f) for f in hms)
        except ValueError:
            raise ValueError(f"Invalid time format: {time}") from None
        scaled = round(fraction * 1e9) if fraction == fraction else 0
        nanos = max(-(2**31), min(2**31 - 1, scaled))
        if not 0 <= nanos <= 999_999_999:
            raise ValueError("nanos > 999999999 or < 0")
    years, month0 = divmod(month - 1, 12)
    try:
        base = datetime(year + years, month0 + 1, 1, tzinfo=UTC)
        return base + timedelta(
            days=day - 1,
            hours=hour,
            minutes=minute - offset,
            seconds=second,
            microseconds=nanos // 1000,
        )
    except (ValueError, OverflowError):
        # Calendar takes any year; Python's datetime ends at 1 and 9999: clamp.
        return datetime.max.replace(tzinfo=UTC) if year > 0 else datetime.min.replace(tzinfo=UTC)


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
