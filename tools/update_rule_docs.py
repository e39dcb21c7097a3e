"""Regenerate the rule documentation from the rule registry: docs/rules.md and the README table.

* ``docs/rules.md``: every rule, what it catches (its check's docstring), why it
  matters (its ``rationale``), an example from its corpus
  (``tests/corpus/<rule-id>/positive/``) with the message the bot gives, and how to
  silence it. Written whole; never edit it by hand.
* ``README.md``: only the text between ``<!-- rules:start -->`` and ``<!-- rules:end -->``
  changes, to ``security-bot rules --format markdown`` and a link to docs/rules.md.

``--check`` exits 1 when either is stale instead of writing them. Run it with the
project's virtualenv (``.venv/bin/python tools/update_rule_docs.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

from bot import cli
from bot.analysis import Finding, Rule, TestPathMatcher, all_rules, analyze_source
from bot.analysis.codes import FAMILY_PREFIXES, code_for

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
RULES_DOC = ROOT / "docs" / "rules.md"
CORPUS = ROOT / "tests" / "corpus"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"
NOT_TEST = "# corpus: not-test"
# unparsable-file has no corpus (a corpus file must parse); its example is this one.
_UNPARSABLE_EXAMPLE = "def check(user)\n    return user.is_admin\n"


# ------------------------------------------------------------------------------ README


def rules_markdown() -> str:
    """The rule table, exactly as ``security-bot rules --format markdown`` prints it."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        cli.cmd_rules(argparse.Namespace(format="markdown"))
    return buf.getvalue().strip()


def readme_block() -> str:
    return (
        f"{rules_markdown()}\n\n"
        "Every rule in detail (what it catches, why it matters, an example, how to silence "
        "it): [`docs/rules.md`](docs/rules.md)."
    )


def render_readme(text: str, block: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} … {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{block}\n{END}{tail}"


# --------------------------------------------------------------------------- rules.md


def _example(rule: Rule) -> tuple[str, str, bool, Finding | None, int]:
    """(where it comes from, its code, analysed as test code?, the rule's first finding,
    the finding's line in the code shown)."""
    positives = sorted(
        (CORPUS / rule.id / "positive").glob("*.py"),
        key=lambda p: (len(p.read_text(encoding="utf-8").splitlines()), p.name),
    )
    if positives:
        path = positives[0]
        text = path.read_text(encoding="utf-8")
        origin = f"`{path.relative_to(ROOT).as_posix()}`"
    else:
        text, origin = _UNPARSABLE_EXAMPLE, "a file that does not parse"
    is_test = not text.startswith(NOT_TEST)
    result = analyze_source(f"corpus/{rule.id}.py", text, is_test=is_test)
    finding = next((f for f in result.findings if f.rule == rule.id), None)
    line = finding.line if finding is not None else 0
    if not is_test:  # the marker line is not shown
        text = text.split("\n", 1)[1]
        line -= 1
    return origin, text.rstrip("\n"), is_test, finding, line


def _reflow(text: str) -> str:
    """Docstring paragraphs as Markdown paragraphs, each on one line."""
    text = text.replace("``", "`")  # reStructuredText literals -> Markdown code spans
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


def _severity(rule: Rule) -> str:
    if rule.severity_test == rule.severity_other:
        return f"{rule.severity_other.value} everywhere"
    return f"{rule.severity_test.value} in test code, {rule.severity_other.value} elsewhere"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _silence(rule: Rule) -> str:
    if rule.id == "unparsable-file":
        return (
            "It cannot be silenced (no comment is read in a file that does not parse): "
            "fix the syntax error."
        )
    if rule.id == "blanket-nosec":
        return (
            "Say what the `# nosec` is for: name the rule it silences (`# nosec shell-injection`) "
            "or give a reason (`# nosec - the command is fixed`)."
        )
    text = (
        f"When the code is right as it is, add `# nosec {rule.id}` with the reason "
        f"(`# nosec {rule.id} - <why>`) on the first or the last line of the flagged "
        f"statement; flake8 users may write `# noqa: {code_for(rule.id)}` instead."
    )
    if rule.bandit_ids:
        ids = ", ".join(f"`{b}`" for b in rule.bandit_ids)
        text += f" It overlaps Bandit's {ids}: `# nosec {rule.bandit_ids[0]}` silences it too."
    else:
        text += " No Bandit check overlaps it."
    return text


def _rule_section(rule: Rule) -> str:
    origin, code, is_test, finding, line = _example(rule)
    module = rule.module.replace(".", "/") + ".py" if rule.module else ""
    declared = f"declared in `{module}`" if module else "reported by the engine itself"
    pillars = ", ".join(f"CWE-{p}" for p in rule.pillars)
    lines = [
        f"## `{rule.id}`",
        "",
        f"**{rule.title}** · code `{code_for(rule.id)}` · "
        f"CWE-{rule.cwe} {rule.cwe_name} (pillar {pillars}) · "
        f"severity {_severity(rule)} · confidence {rule.confidence} · {declared}",
        "",
        f"**What it catches.** {_reflow(rule.catches)}",
        "",
        f"**Why it matters.** {rule.rationale}",
        "",
        f"**Example** ({origin}, analysed as {'test code' if is_test else 'code outside tests'}):",
        "",
        "```python",
        code,
        "```",
        "",
    ]
    if finding is not None:
        lines += [
            f"The bot reports line {line}:",
            "",
            _quote(f"{finding.message}\n\n{finding.recommendation}"),
            "",
        ]
    if rule.fixes:
        lines += [f"**Fixable** (`security-bot analyze --fix`; SARIF `fixes`): {rule.fixes}.", ""]
    lines += [f"**How to silence it.** {_silence(rule)}", ""]
    return "\n".join(lines)


def rules_doc() -> str:
    rules = all_rules()
    globs = ", ".join(f"`{g}`" for g in TestPathMatcher().globs)
    head = [
        "# Rules",
        "",
        "<!-- Generated by tools/update_rule_docs.py from the rule registry and tests/corpus;",
        "     do not edit by hand: change the rule's metadata or corpus and regenerate. -->",
        "",
        f"The bot has {len(rules)} rules. Each finding carries its CWE and CWE-1000 pillar, a",
        "severity (only medium and high make a review say that defects were found) and a",
        "confidence. Several rules judge test code differently from other code; a path is",
        f"test code when it matches one of the `review.test_globs` (by default {globs}).",
        "",
        "Silencing: `# nosec <rule-id>` on the first or last line of a flagged statement",
        "silences that rule there, and so do the Bandit ids a rule overlaps",
        "(`# nosec B602`); several ids may be listed (`# nosec B602, sql-injection`) and a",
        "reason may follow (`# nosec B602 - the command is fixed`). A bare `# nosec` silences",
        "every rule on the line and is itself reported as `blanket-nosec`. flake8's",
        "`# noqa: GSB502` (codes or code prefixes, on any line of the statement) silences",
        "too; a bare `# noqa` does not. Suppressed findings are counted in the review's",
        "footer and on the dashboard.",
        "",
        "Each example is the shortest file of the rule's corpus (`tests/corpus/<rule-id>/`);",
        "its `# expect:` comments mark the lines the corpus test expects the rule to flag.",
        "",
        "Every rule also has a short code in flake8's form (`GSB101`), for `# noqa: GSB101`,",
        "`--select`/`--ignore` and project settings; a code never changes. The hundreds",
        "digit is the rule's family: "
        + ", ".join(f"`{p}` {f.replace('_', ' ')}" for p, f in FAMILY_PREFIXES.items())
        + ".",
        "",
        "| rule | code | what it finds | severity (tests / other) |",
        "|---|---|---|---|",
    ]
    head += [
        f"| [`{r.id}`](#{r.id}) | `{code_for(r.id)}` | {r.title} | "
        f"{r.severity_test.value} / {r.severity_other.value} |"
        for r in rules
    ]
    sections = [_rule_section(rule) for rule in rules]
    return "\n".join(head) + "\n\n" + "\n".join(sections)


# -------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a document is stale")
    args = parser.parse_args(argv)
    readme = README.read_text(encoding="utf-8")
    wanted = {
        README: render_readme(readme, readme_block()),
        RULES_DOC: rules_doc(),
    }
    stale = [
        path
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run tools/update_rule_docs.py")
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
