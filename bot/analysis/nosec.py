"""``# nosec`` comments, read the way Bandit users write them.

* ``# nosec`` alone (or followed by a free-text reason) silences every rule on the line;
* ``# nosec B602`` / ``# nosec: B602,B105`` silences rules whose metadata lists those
  Bandit ids;
* our rule ids work as well: ``# nosec shell-injection``.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

__all__ = ["Nosec", "parse_nosec_comment", "scan_nosec"]

_NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w-]*")
_BANDIT_ID = re.compile(r"B\d{3}\Z")


@dataclass(frozen=True)
class Nosec:
    """One nosec comment: ``ids`` is None for a blanket nosec."""

    comment: str
    ids: frozenset[str] | None
    #: free text after the ids (Bandit users write a justification there)
    reason: str = ""

    def covers(self, rule_id: str, bandit_ids: tuple[str, ...]) -> bool:
        if self.ids is None:
            return True
        return rule_id in self.ids or any(b in self.ids for b in bandit_ids)


def parse_nosec_comment(comment: str, rule_ids: frozenset[str] = frozenset()) -> Nosec | None:
    """Parse one comment token (starting with ``#``); None when it is not a nosec."""
    m = _NOSEC.search(comment)
    if m is None:
        return None
    rest = m.group("rest").lstrip(" \t:")
    # A reason may follow after a second "#" or " -- ".
    rest = re.split(r"#|\s--\s|\s-\s", rest, maxsplit=1)[0]
    # a reason follows the ids in the same comment, or after " - " / " -- "; a second
    # "#" starts another comment, not a reason
    dashed = re.split(r"\s--?\s", m.group("rest").split("#", 1)[0], maxsplit=1)
    full_rest = " ".join(p.strip(" \t:-") for p in dashed).strip()
    ids: set[str] = set()
    other: list[str] = []
    for word in _WORD.findall(rest):
        upper = word.upper()
        if _BANDIT_ID.match(upper):
            ids.add(upper)
        elif word.lower() in rule_ids:
            ids.add(word.lower())
        else:
            other.append(word)
    reason = full_rest if (other or len(dashed) > 1) else ""
    return Nosec(comment.strip(), frozenset(ids) if ids else None, reason)


def scan_nosec(source: str, rule_ids: frozenset[str] = frozenset()) -> dict[int, Nosec]:
    """Map line number -> nosec comment on that line (only real comments count)."""
    if "nosec" not in source and "NOSEC" not in source.upper():
        return {}
    found: dict[int, Nosec] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                parsed = parse_nosec_comment(tok.string, rule_ids)
                if parsed is not None:
                    found[tok.start[0]] = parsed
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        # Fall back to a plain per-line search; a "# nosec" inside a string may count.
        for lineno, line in enumerate(source.splitlines(), 1):
            idx = line.find("#")
            if idx >= 0:
                parsed = parse_nosec_comment(line[idx:], rule_ids)
                if parsed is not None:
                    found[lineno] = parsed
    return found
