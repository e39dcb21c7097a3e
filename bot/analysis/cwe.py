"""CWE names and CWE-1000 pillars, looked up in the generated table.

Rules declare only a CWE id; the name and the pillars come from MITRE's data
(``cwe_data.py``, regenerated with ``tools/generate_cwe_table.py``).
"""

from __future__ import annotations

from bot.analysis.cwe_data import CWE_TABLE, CWE_VERSION

__all__ = ["CWE_VERSION", "UnknownCWEError", "cwe_name", "known", "pillars"]


class UnknownCWEError(KeyError):
    """The CWE id is not a weakness in the generated table."""


def known(cwe_id: int) -> bool:
    return cwe_id in CWE_TABLE


def cwe_name(cwe_id: int) -> str:
    """MITRE's name of ``cwe_id``; raises UnknownCWEError for an id not in the table."""
    try:
        return CWE_TABLE[cwe_id][0]
    except KeyError:
        raise UnknownCWEError(cwe_id) from None


def pillars(cwe_id: int) -> tuple[int, ...]:
    """The CWE-1000 pillars above ``cwe_id`` (itself for a pillar); primary pillar first."""
    try:
        return CWE_TABLE[cwe_id][1]
    except KeyError:
        raise UnknownCWEError(cwe_id) from None
