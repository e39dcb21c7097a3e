"""The posting policy: observations (low findings, rules below the precision bar) get no
inline comment, do not change the verdict, and are listed or only counted."""

from __future__ import annotations

from bot.analysis.model import Severity
from bot.config import load_config
from bot.review.report import CLEAN_VERDICT, Renderer
from tests.unit.test_report import ctx, finding


def test_observation_rules_are_not_posted_inline_and_do_not_change_the_verdict() -> None:
    weak = finding("sql-injection", severity=Severity.MEDIUM, fingerprint="fp-sql")
    low = finding("patch-create-true", severity=Severity.LOW, fingerprint="fp-low", line=9)
    out = Renderer().render(
        ctx([weak, low], observation_rules=frozenset({"sql-injection"}), list_observations=False)
    )
    assert out.verdict == "clean"
    assert CLEAN_VERDICT in out.message.splitlines()
    assert out.comments == {} and out.inline == []
    assert "2 observations" in out.message and "withheld" in out.message
    assert "sql-injection" not in out.message


def test_listed_observations_stay_in_the_summary_without_inline_comments() -> None:
    weak = finding("sql-injection", severity=Severity.MEDIUM, fingerprint="fp-sql")
    real = finding("assertions-after-raise", severity=Severity.MEDIUM, fingerprint="fp-r", line=5)
    out = Renderer().render(ctx([weak, real], observation_rules=frozenset({"sql-injection"})))
    assert out.verdict == "defects"
    assert [f.rule for f in out.inline] == ["assertions-after-raise"]
    assert "### Observations" in out.message and "sql-injection" in out.message
    assert "withheld" not in out.message


def test_the_shipped_policy_follows_the_measurement() -> None:
    review = load_config().review
    assert review.list_observations is False
    assert "assert-second-arg-not-message" in review.observation_rules
    assert "global-state-not-restored" not in review.observation_rules
