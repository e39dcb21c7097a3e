"""Code from a change cannot break out of a rule's message (issue 17 #5).

Gerrit renders review messages as Markdown. Every piece of change content in a rule's
message or recommendation must go through ``md_code`` (the `` `{field}` `` template
mechanism of ``findings.render``); these tests put hostile code through every rule and read
the result with a CommonMark parser: no link, image or HTML may appear, and the hostile text
may appear only inside code spans.
"""

from __future__ import annotations

import io
import re
import string
import tokenize
from collections import defaultdict
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.analysis import Finding, all_rules, analyze_source
from bot.analysis.findings import render, template_problems

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# No quote, backslash or brace: it can be pasted into any string literal, f-strings too.
HOSTILE = (
    "`](javascript:alert(1)) ![x](http://evil.invalid/i.png) "
    "<img src=x onerror=alert(1)> [y](http://evil.invalid/) ``` <b>bold</b> *em* ~~s~~"
)
MARKERS = ("evil.invalid", "javascript:", "<img", "<b>")
_MD = MarkdownIt("commonmark")
_FIELD = re.compile(r"\{(\w+)[^{}]*\}")


def _tokens(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.children:
            out.extend(_tokens(token.children))
    return out


def markdown_problems(text: str) -> list[str]:
    """What in ``text`` renders as something other than text and code spans, or shows a
    hostile marker outside a code span."""
    problems = []
    for token in _tokens(_MD.parse(text)):
        if token.type in ("link_open", "image", "html_inline", "html_block", "fence"):
            problems.append(f"{token.type}: {token.content or token.attrs}")
        elif token.type == "text" and any(m in token.content for m in MARKERS):
            problems.append(f"hostile text outside a code span: {token.content!r}")
    return problems


def test_the_checker_sees_what_a_naive_template_lets_out() -> None:
    """The test's own detector: a field pasted into a longer code span escapes."""
    naive = f"Call it: `{HOSTILE}.assert_called_once_with(...)`."
    assert markdown_problems(naive)
    assert markdown_problems(render("`{code}`", {"code": HOSTILE})) == []


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_no_template_puts_a_field_inside_a_longer_code_span(rule) -> None:
    assert template_problems(rule.message) == []
    assert template_problems(rule.recommendation) == []


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_code_field_of_every_rule_is_quoted(rule) -> None:
    """Every field a template quotes as code, filled with hostile code, stays code."""
    for template in (rule.message, rule.recommendation):
        fields = {name: "x" for name in _FIELD.findall(template)}
        for name in re.findall(r"`\{(\w+)\}`", template):
            fields[name] = HOSTILE
        text = render(template, fields)
        assert markdown_problems(text) == [], (rule.id, text)


# ------------------------------------------------ end to end: hostile code through every rule


def hostile_variant(source: str) -> str:
    """``source`` with the hostile text appended inside every string literal."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out = []
    for tok in tokens:
        if tok.type == tokenize.STRING:
            tok = tok._replace(string=_inject(tok.string))
        out.append(tok)
    return tokenize.untokenize(out)


def _inject(literal: str) -> str:
    prefix = literal[: len(literal) - len(literal.lstrip(string.ascii_letters))]
    body = literal[len(prefix) :]
    quote = body[:3] if body[:3] in ('"""', "'''") else body[0]
    if "b" in prefix.lower():
        return literal  # bytes: the payload is ASCII, but some rules read bytes exactly
    return f"{prefix}{body[: -len(quote)]} {HOSTILE}{quote}"


def _hostile_findings() -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = defaultdict(list)
    for path in sorted(CORPUS.glob("*/positive/*.py")):
        text = path.read_text(encoding="utf-8")
        is_test = not text.startswith("# corpus: not-test")
        result = analyze_source(f"corpus/{path.name}", hostile_variant(text), is_test=is_test)
        for finding in result.findings:
            found[finding.rule].append(finding)
    return found


FOUND = _hostile_findings()


@pytest.mark.parametrize("rule_id", sorted(FOUND))
def test_hostile_code_stays_in_code_spans(rule_id: str) -> None:
    for finding in FOUND[rule_id]:
        for text in (finding.message, finding.recommendation):
            assert markdown_problems(text) == [], (finding.path, finding.line, text)


def test_the_hostile_code_reaches_the_messages_of_most_rules() -> None:
    """The attack is real: the hostile text is quoted in the messages of most rules (the
    others quote no string of the change, or their positives hold none)."""
    quoted = {
        rule_id
        for rule_id, findings in FOUND.items()
        if any("evil.invalid" in f.message + f.recommendation for f in findings)
    }
    assert len(quoted) >= len(all_rules()) // 2, sorted(quoted)
    # the rules whose templates quoted code inside a longer span before the fix
    assert {
        "assert-second-arg-not-message",
        "mock-nonexistent-assertion",
        "mock-assertion-not-called",
        "hardcoded-credential",
    } <= quoted


def test_a_hostile_dictionary_key_is_quoted_in_the_credential_message() -> None:
    src = "CONFIG = {'password `](javascript:x)': 'Zq8!pW3#rT6$yU9^iO2&'}\n"
    (finding,) = analyze_source("app/settings.py", src).findings
    assert finding.rule == "hardcoded-credential"
    assert "javascript:" in finding.message
    assert markdown_problems(finding.message) == []


def test_a_syntax_error_quoting_the_source_is_quoted() -> None:
    res = analyze_source("a.py", "x = 1\ny = `](javascript:alert(1))\n")
    (finding,) = res.findings
    assert finding.rule == "unparsable-file"
    assert markdown_problems(finding.message) == []
