"""Markdown quoting for text that comes from the change under review.

Gerrit renders change messages and comments as CommonMark. Code, paths and names from a
patch set can contain backticks, asterisks, brackets or HTML; these helpers put them in
a form that shows the text as written and cannot change the layout around it. Used by
the report templates and by the rules' message templates alike.

Why hand-written: Markdown libraries render Markdown; none *quotes* arbitrary text for it.
What is needed here is small and exact (a code span whose backtick fence is longer than any
run inside, a fenced block likewise, and backslash escapes for the CommonMark specials), and
every piece of change content in a posted message goes through it.
"""

from __future__ import annotations

import re
import textwrap


def md_code(text: object) -> str:
    """Inline code span that survives any backticks or Markdown inside ``text``."""
    value = " ".join(str(text).split()) or " "
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def md_block(text: object) -> str:
    """Fenced code block whose fence is longer than any backtick run in ``text``."""
    value = textwrap.dedent(str(text).rstrip("\n"))
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}python\n{value}\n{fence}"


# Inside a line, only these characters can start emphasis, code, links, HTML or entities.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_text(text: object) -> str:
    """Plain text with every Markdown/HTML-significant character escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
