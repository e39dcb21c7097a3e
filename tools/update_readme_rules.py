"""Rewrite the README rule table from ``security-bot rules --format markdown``.

Only the text between ``<!-- rules:start -->`` and ``<!-- rules:end -->`` changes.
``--check`` exits 1 when the README is stale instead of writing it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rules_markdown() -> str:
    from bot import cli

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        cli.cmd_rules(argparse.Namespace(format="markdown"))
    return buf.getvalue().strip()


def render(text: str, table: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} … {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the table is stale")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    new = render(text, rules_markdown())
    if args.check:
        if new != text:
            print("README.md rule table is stale: run tools/update_readme_rules.py")
            return 1
        return 0
    if new != text:
        README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
