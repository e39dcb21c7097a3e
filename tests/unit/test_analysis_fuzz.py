"""No input makes analyze_source raise (bounded hypothesis run)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.analysis import FileResult, analyze_source

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEEDS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*/*/*.py"))]
FRAGMENTS = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "\n",
    "    ",
    "\t",
    "'",
    '"',
    '"""',
    "#",
    "# nosec",
    "\\",
    "mock.patch('x').start()",
    "os.system(x)",
    "shell=True",
    "lambda",
    "yield",
    "async ",
    "await ",
    "\x00",
    "\ufeff",
    "\r",
    "\x0c",
    "\u00e9",
    "\U0001d518",
    "# -*- coding: latin-1 -*-\n",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        pos = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:pos] + draw(st.sampled_from(FRAGMENTS)) + text[pos:]
        else:
            text = text[:pos] + text[pos + draw(st.integers(1, 40)) :]
    return text


def _check(result: FileResult) -> None:
    assert isinstance(result, FileResult)
    for f in result.findings:
        assert 1 <= f.line <= f.end_line


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated(), st.sampled_from([None, {1, 2, 3}, set()]))
def test_mutated_source_never_raises(source: str, changed: set[int] | None) -> None:
    _check(analyze_source("pkg/tests/test_x.py", source, changed_lines=changed))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check(analyze_source("x.py", data))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(FRAGMENTS + list("abcxyz=+.,0 ")), max_size=40))
def test_random_text_never_raises(parts: list[str]) -> None:
    _check(analyze_source("tests/a.py", "".join(parts), is_test=None))
