"""``# noqa: GSBnnn`` silences a finding as flake8 would; a bare ``# noqa`` does not."""

from __future__ import annotations

from bot.analysis import analyze_source
from bot.analysis.noqa import noqa_rule_ids

SOURCE = (
    "import os\n"
    "\n"
    "\n"
    "def f(x):\n"
    "    os.system('ls ' + x)  # noqa: GSB502\n"  # 5: exact code
    "    os.system('ls ' + x)  # noqa: GSB5\n"  # 6: prefix
    "    os.system('ls ' + x)  # noqa: E501\n"  # 7: someone else's code
    "    os.system('ls ' + x)  # noqa\n"  # 8: bare: not for us
    "    os.system(\n"  # 9
    "        'ls ' + x\n"
    "    )  # noqa:GSB502,E501\n"  # on the statement's last line
    "    os.system('ls ' + x)  # noqa: gsb502\n"  # 12: flake8 compares case-sensitively
    "    s = '# noqa: GSB502'; os.system(s + x)\n"  # 13: in a string, not a comment
)


def test_noqa_codes_and_prefixes_silence_like_flake8() -> None:
    result = analyze_source("pkg/x.py", SOURCE, is_test=False)
    assert [(f.line, f.rule) for f in result.findings] == [
        (7, "shell-injection"),
        (8, "shell-injection"),
        (12, "shell-injection"),
        (13, "shell-injection"),
    ]
    assert [(s.finding.line, s.comment) for s in result.suppressed] == [
        (5, "# noqa: GSB502"),
        (6, "# noqa: GSB5"),
        (9, "# noqa:GSB502,E501"),
    ]


def test_noqa_names_only_our_codes() -> None:
    assert noqa_rule_ids("# noqa: E501, H301") == frozenset()
    assert noqa_rule_ids("# noqa: GSB101") == {"assert-always-true"}
    assert noqa_rule_ids("# noqa: GSB5") == {
        "code-injection",
        "shell-injection",
        "sql-injection",
        "template-autoescape-off",
        "xml-external-entities",
    }
    # flake8's pattern needs digits: "noqa: GSB" is a bare noqa to flake8, nothing to us
    assert noqa_rule_ids("# no" + "qa: GSB") == frozenset()
    assert noqa_rule_ids("# noqa") == frozenset()
