"""Inline comments carry a finding's fix in the server's form: Gerrit fix suggestions from
3.10 on, a fenced suggestion block before, nothing when switched off; and the block or the
ranges rebuild exactly the edit ``analyze --fix`` makes."""

from __future__ import annotations

import pytest

from bot.analysis.engine import analyze_source
from bot.analysis.fixes import apply_fixes
from bot.gerrit.server import takes_fix_suggestions
from bot.review.report import Renderer, ReviewContext
from bot.review.suggestions import fix_form, review_fix

MARKER = "0123456789abcdef0123456789abcdef"
PATH = "pkg/tests/test_a.py"
SOURCE = (
    "from unittest import mock\n"
    "\n"
    "\n"
    "class TestA:\n"
    "    def test_x(self):\n"
    "        m = mock.Mock()\n"
    "        m.called_once_with(1)  # keep this comment\n"
)


def findings(text: str = SOURCE):
    return analyze_source(PATH, text, is_test=True).findings


def ctx(found) -> ReviewContext:
    return ReviewContext(
        project="openstack/nova", change=1, patchset=1, findings=found, run_marker=MARKER
    )


def _comment(form: str, text: str = SOURCE) -> dict:
    rendered = Renderer(fixes=form).render(ctx(findings(text)))
    (comment,) = rendered.comments[PATH]
    return comment


@pytest.mark.parametrize(
    ("setting", "version", "form"),
    [
        ("auto", "3.10.0", "fix_suggestions"),
        ("auto", "3.13.1", "fix_suggestions"),
        ("auto", "3.9.8", "suggestion"),
        ("auto", "unreadable", "suggestion"),
        ("auto", None, "suggestion"),
        ("suggestion", "3.13.1", "suggestion"),
        ("off", "3.13.1", "off"),
        ("off", "3.8.0", "off"),
    ],
)
def test_fix_form_follows_the_setting_and_the_server_version(setting, version, form) -> None:
    assert fix_form(setting, version) == form


def test_fix_suggestions_since_3_10() -> None:
    assert not takes_fix_suggestions("3.9.99")
    assert takes_fix_suggestions("3.10.0-rc4")


def test_fix_suggestions_form_carries_gerrits_replacements() -> None:
    comment = _comment("fix_suggestions")
    assert comment["line"] == 7 and "range" not in comment
    assert comment["fix_suggestions"] == [
        {
            "description": "Call `assert_called_once_with` instead of `called_once_with`",
            "replacements": [
                {
                    "path": PATH,
                    "range": {
                        "start_line": 7,
                        "start_character": 10,
                        "end_line": 7,
                        "end_character": 26,
                    },
                    "replacement": "assert_called_once_with",
                }
            ],
        }
    ]
    assert "*Apply fix*" in comment["message"]
    assert "```suggestion" not in comment["message"]


def test_suggestion_form_puts_the_fixed_line_in_a_fenced_block() -> None:
    comment = _comment("suggestion")
    assert "fix_suggestions" not in comment
    assert comment["line"] == 7 and "range" not in comment
    assert (
        "```suggestion\n        m.assert_called_once_with(1)  # keep this comment\n```"
        in comment["message"]
    )


def test_off_form_carries_no_fix() -> None:
    comment = _comment("off")
    assert "fix_suggestions" not in comment
    assert "```suggestion" not in comment["message"]
    assert "*Apply fix*" not in comment["message"]


def test_a_finding_without_a_fix_gets_neither_form() -> None:
    text = (
        "import subprocess\n\n\ndef test_x(name):\n"
        "    subprocess.call('ls ' + name, shell=True)\n"
    )
    for form in ("fix_suggestions", "suggestion"):
        comment = _comment(form, text)
        assert "fix_suggestions" not in comment and "```suggestion" not in comment["message"]



def test_review_fix_rebuilds_the_local_edit_and_counts_utf16_for_gerrit() -> None:
    text = (
        "class TestA:\n    def test_x(self):\n"
        "        self.assertEquals('😀', x); self.assertEquals(1, y)\n"
    )
    found = [f for f in findings(text) if f.rule == "removed-assert-alias"]
    assert len(found) == 2
    second = max(found, key=lambda f: f.fix.replacements[0].start_col)
    fix = review_fix(second)
    assert fix is not None
    (replacement,) = fix.replacements
    python_col = second.fix.replacements[0].start_col
    # the emoji before it is one code point but two UTF-16 units in Gerrit's Java strings
    assert replacement["range"]["start_character"] == python_col + 1
    fixed, _ = apply_fixes(text, [second.fix])
    assert fix.new_text == fixed.splitlines()[2]


def test_suggestion_block_of_a_multi_line_fix_covers_the_lines_with_a_range() -> None:
    text = (
        "import testtools\n\n\nclass TestA(testtools.TestCase):\n    def test_x(self):\n"
        "        self.assertTrue(\n            len(x),\n            3)\n"
    )
    (found,) = [f for f in findings(text) if f.rule == "assert-second-arg-not-message"]
    fix = review_fix(found)
    assert fix is not None
    assert (fix.first_line, fix.last_line) == (6, 8)
    assert fix.new_text == "        self.assertEqual(\n            3,\n            len(x))"
    assert fix.comment_range() == {
        "start_line": 6, "start_character": 0, "end_line": 8, "end_character": 14,
    }  # fmt: skip
    # the local edit and the block agree
    fixed, _ = apply_fixes(text, [found.fix])
    assert "\n".join(fixed.splitlines()[5:8]) == fix.new_text


def test_a_block_that_would_close_its_own_fence_is_not_offered() -> None:
    text = "class TestA:\n    def test_x(self):\n        self.assertEquals('```', x)\n"
    (found,) = findings(text)
    fix = review_fix(found)
    assert fix is not None and fix.suggestion_block() is None
    comment = Renderer(fixes="suggestion").render(ctx([found])).comments[found.path][0]
    assert "```suggestion" not in comment["message"]


def test_a_block_over_gerrits_size_limit_is_left_out_not_cut() -> None:
    long_value = "x" * 17_000
    text = f"class TestA:\n    def test_x(self):\n        self.assertEquals('{long_value}', y)\n"
    (found,) = findings(text)
    assert review_fix(found) is not None
    comment = Renderer(fixes="suggestion").render(ctx([found])).comments[found.path][0]
    assert "```suggestion" not in comment["message"]
    assert len(comment["message"].encode()) <= 16_000
    assert "range" not in comment
