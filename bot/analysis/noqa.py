"""``# noqa: GSB101``: flake8's inline suppression, read the way flake8 reads it.

flake8 users silence a finding with ``# noqa: <codes>``; so that ``security-bot analyze``
and the bot agree with what ``flake8`` shows, the engine honours the same comments for our
codes. As in flake8 (its ``NOQA_INLINE_REGEXP``): codes are matched exactly or as prefixes
(``# noqa: GSB1`` silences every ``GSB1xx``), case-sensitively, and the comment may be on
any line of the flagged statement (flake8 reads it over the whole logical line).

A bare ``# noqa`` is *not* honoured here: it is written for pycodestyle and pyflakes
(line length, unused imports) and would silence a security finding nobody looked at.
flake8 itself does hide every finding on such a line; docs/usage-in-projects.md says so.
"""

from __future__ import annotations

import io
import re
import tokenize

from bot.analysis.codes import CODES, PREFIX
from bot.analysis.nosec import Nosec

__all__ = ["noqa_rule_ids", "scan_noqa"]

# flake8's own pattern (flake8/defaults.py), codes required.
_NOQA = re.compile(r"# noqa:[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+)", re.IGNORECASE)
_SPLIT = re.compile(r"[,\s]+")


def noqa_rule_ids(comment: str) -> frozenset[str]:
    """The rule ids a comment's ``# noqa: <codes>`` silences (empty when none of ours)."""
    match = _NOQA.search(comment)
    if match is None:
        return frozenset()
    codes = tuple(c for c in _SPLIT.split(match.group("codes")) if c)
    return frozenset(rule for rule, code in CODES.items() if code.startswith(codes))


def scan_noqa(source: str) -> dict[int, Nosec]:
    """Line number -> the ``# noqa`` naming our codes on that line (real comments only)."""
    if PREFIX not in source and PREFIX.lower() not in source.lower():
        return {}
    # Tokenizing is the slow part: skip it unless the text holds a noqa comment naming one
    # of our codes somewhere (every comment is a part of the text, so none is missed).
    if not any(noqa_rule_ids(m.group(0)) for m in _NOQA.finditer(source)):
        return {}
    found: dict[int, Nosec] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                ids = noqa_rule_ids(tok.string)
                if ids:
                    found[tok.start[0]] = Nosec(tok.string.strip(), ids)
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return {}  # a file that does not tokenize does not parse either: nothing to silence
    return found
