"""The rendered review: verdict sentence, grouping, inline comments, escaping, size caps."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.analysis.model import Finding, Severity
from bot.review.report import (
    CLEAN_VERDICT,
    MESSAGE_LIMIT_BYTES,
    Renderer,
    ReviewContext,
    Unanalysed,
    find_run_marker,
    md_code,
    md_text,
)

MARKER = "0123456789abcdef0123456789abcdef"


def finding(
    rule: str = "shell-injection",
    *,
    severity: Severity = Severity.HIGH,
    line: int = 3,
    path: str = "pkg/tests/test_a.py",
    cwe: int = 78,
    fingerprint: str = "fp1",
    code: str = 'subprocess.call("ls %s" % d, shell=True)',
) -> Finding:
    return Finding(
        rule=rule,
        cwe=cwe,
        cwe_name="OS Command Injection",
        pillars=(707,),
        severity=severity,
        confidence="high",
        path=path,
        line=line,
        end_line=line,
        message=f"`{code}` runs a shell command built from a variable.",
        recommendation="Pass an argument list without shell=True.",
        code=code,
        fingerprint=fingerprint,
        function="TestA.test_x",
        title="Shell injection",
    )


def ctx(findings: list[Finding], **kw) -> ReviewContext:
    base = dict(
        project="openstack/nova",
        change=12,
        patchset=3,
        findings=findings,
        run_marker=MARKER,
        files_analysed=2,
        lines_changed=40,
        rules_run=5,
        duration_s=0.12,
    )
    base.update(kw)
    return ReviewContext(**base)


def test_clean_review_states_the_exact_verdict() -> None:
    out = Renderer().render(ctx([]))
    assert out.verdict == "clean"
    assert CLEAN_VERDICT in out.message.splitlines()
    assert out.comments == {}
    assert "patch set 3" in out.message
    assert find_run_marker(out.message) == MARKER
    # Zuul's check pipeline matches comments starting with "recheck"; ours never does.
    assert not out.message.lower().startswith("recheck")


def test_low_findings_do_not_change_the_verdict_and_are_marked_as_needing_no_action() -> None:
    low = finding("patch-create-true", severity=Severity.LOW, cwe=436, fingerprint="fp-low")
    out = Renderer().render(ctx([low]))
    assert out.verdict == "clean"
    assert CLEAN_VERDICT in out.message.splitlines()
    assert "no action needed" in out.message
    assert "patch-create-true" in out.message


def test_defects_are_listed_with_cwe_pillar_line_and_fix() -> None:
    f = finding()
    out = Renderer().render(ctx([f]))
    assert out.verdict == "defects"
    assert CLEAN_VERDICT not in out.message
    assert "1 security defect found (1 high)" in out.message
    assert "### CWE-78: OS Command Injection" in out.message
    assert "Pillar: CWE-707 Improper Neutralization" in out.message
    assert "`pkg/tests/test_a.py` line 3" in out.message
    assert "**Fix:** Pass an argument list" in out.message
    assert out.comments == {
        "pkg/tests/test_a.py": [
            {
                "line": 3,
                "message": out.comments["pkg/tests/test_a.py"][0]["message"],
                "unresolved": False,
            }
        ]
    }
    assert "CWE-78" in out.comments["pkg/tests/test_a.py"][0]["message"]


def test_findings_posted_on_earlier_patch_sets_are_counted_but_not_commented_again() -> None:
    old, new = finding(fingerprint="old", line=3), finding(fingerprint="new", line=9)
    out = Renderer().render(ctx([old, new], already_posted=frozenset({"old"})))
    assert [c["line"] for c in out.comments["pkg/tests/test_a.py"]] == [9]
    assert "2 security defects found" in out.message
    assert "already reported on an earlier patch set" in out.message
    full = Renderer().render(ctx([old, new], already_posted=frozenset({"old"}), full_review=True))
    assert [c["line"] for c in full.comments["pkg/tests/test_a.py"]] == [3, 9]


def test_inline_comments_are_capped_and_the_summary_says_how_many_more() -> None:
    many = [finding(line=i, fingerprint=f"fp{i}") for i in range(1, 8)]
    out = Renderer().render(ctx(many, max_inline_comments=5))
    assert sum(len(v) for v in out.comments.values()) == 5
    assert "2 more findings are listed above without an inline comment" in out.message


def test_comments_only_on_paths_the_patch_set_changed() -> None:
    f = finding(path="pkg/other.py")
    out = Renderer().render(ctx([f], commentable_paths=frozenset({"pkg/tests/test_a.py"})))
    assert out.comments == {}
    assert "pkg/other.py" in out.message


def test_unanalysed_files_and_recheck_requester_are_named() -> None:
    out = Renderer().render(
        ctx(
            [],
            unanalysed=[Unanalysed("pkg/tests/test_b.py", "does not parse")],
            recheck_by="Jane Roe",
        )
    )
    assert "### Not analysed" in out.message
    assert "`pkg/tests/test_b.py`" in out.message
    assert "answering the `recheck-security` request by Jane Roe" in out.message


def test_hostile_paths_and_code_stay_literal() -> None:
    evil = finding(
        path="pkg/tests/`x` **bold** [link](http://e).py",
        code="x = '```' # {{ 7 * 7 }} <script>alert(1)</script>",
    )
    evil = dataclasses.replace(evil, message="quoted")
    out = Renderer().render(ctx([evil]))
    assert "{{ 7 * 7 }}" in out.message  # the code is quoted, not evaluated as a template
    assert "``" + "`" in out.message  # the code sits inside a longer fence
    assert md_code("a`b") == "``a`b``"
    assert md_text("**x** <b>") == r"\*\*x\*\* \<b\>"


def test_message_is_capped_below_gerrit_limit_and_keeps_the_run_marker() -> None:
    big = [finding(line=i, fingerprint=f"fp{i}", code="x" * 400) for i in range(1, 200)]
    out = Renderer().render(ctx(big))
    assert len(out.message.encode()) <= MESSAGE_LIMIT_BYTES
    assert "truncated" in out.message
    assert find_run_marker(out.message) == MARKER


def test_operator_templates_override_the_shipped_ones(tmp_path: Path) -> None:
    (tmp_path / "message.md.j2").write_text(
        "Custom {{ verdict }} {{ ctx.patchset }}\nsecurity-bot run {{ ctx.run_marker }}"
    )
    out = Renderer(tmp_path).render(ctx([]))
    assert out.message.startswith("Custom clean 3")
    assert find_run_marker(out.message) == MARKER


def test_nothing_found_but_a_file_not_analysed_is_incomplete_never_clean() -> None:
    out = Renderer().render(
        ctx([], unanalysed=[Unanalysed("pkg/tests/test_b.py", "does not parse")])
    )
    assert out.verdict == "incomplete"
    assert CLEAN_VERDICT not in out.message
    assert out.message.splitlines()[2].startswith(
        "Analysis incomplete: 1 changed Python file could not be analysed"
    )


def test_low_findings_and_two_unanalysed_files_are_still_incomplete() -> None:
    low = finding("patch-create-true", severity=Severity.LOW, cwe=436, fingerprint="fp-low")
    out = Renderer().render(
        ctx(
            [low],
            unanalysed=[Unanalysed("a.py", "binary file"), Unanalysed("b.py", "a rule failed")],
        )
    )
    assert out.verdict == "incomplete"
    assert "2 changed Python files could not be analysed" in out.message
    assert CLEAN_VERDICT not in out.message
