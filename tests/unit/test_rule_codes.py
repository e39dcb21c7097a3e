"""Rule codes: every rule has one, codes are unique, and a code once given never changes."""

from __future__ import annotations

from pathlib import Path

from bot.analysis import all_rules
from bot.analysis.codes import CODE_PATTERN, CODES, FAMILY_PREFIXES, RETIRED, rule_for_code

GIVEN = Path(__file__).resolve().parent.parent / "data" / "rule_codes.txt"


def _given() -> list[tuple[str, str]]:
    rows = []
    for line in GIVEN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, rule = line.split()
            rows.append((code, rule))
    return rows


def test_every_rule_has_a_well_formed_code() -> None:
    missing = [r.id for r in all_rules() if r.id not in CODES]
    assert not missing, f"give these rules a code in bot/analysis/codes.py: {missing}"
    for rule, code in CODES.items():
        assert CODE_PATTERN.match(code), (rule, code)
        assert code[:4] in FAMILY_PREFIXES, (rule, code)


def test_codes_are_unique_and_never_reused() -> None:
    codes = list(CODES.values())
    assert len(codes) == len(set(codes))
    assert not set(codes) & set(RETIRED), "a retired code was given again"
    assert set(CODES) <= {r.id for r in all_rules()}, "a code names a rule that does not exist"


def test_a_code_once_given_never_changes() -> None:
    given = _given()
    for code, rule in given:
        if code in RETIRED:
            assert RETIRED[code] == rule, f"{code} was {rule}"
            continue
        assert CODES.get(rule) == code, f"{rule} was given {code}; codes never change"
    listed = {code for code, _ in given}
    unlisted = sorted(set(CODES.values()) - listed)
    assert not unlisted, f"append these codes to {GIVEN.name}: {unlisted}"


def test_lookup_by_code_is_case_insensitive() -> None:
    assert rule_for_code("gsb502") == "shell-injection"
    assert rule_for_code("GSB999") is None
