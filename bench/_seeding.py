"""Seeded defects for bench/fix_safety.py: the inverse of each fix, put into real code.

Released OpenStack test trees hold few of the defects the fixes repair (review and CI catch
them), so applying the fixes found there proves little. Seeding turns correct statements of
those trees into the defect a fix repairs (``self.assertEqual(`` → ``self.assertEquals(``,
``m.assert_called_once_with(`` → ``m.called_once_with(``, ``m.assert_not_called()`` →
``m.assert_not_called``, ``x == 'a'`` → ``x is 'a'``, ``self.assertEqual(2, n)`` →
``self.assertTrue(n, 2)``), one per line and never changing the number of lines, so that
after ``--fix`` every seeded line can be compared with the line it came from: restored
exactly, left as seeded (no fix offered), or anything else (a wrong fix).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from bot.analysis.fixes import char_col

_MISSING = ("assert_called_once_with", "assert_called_with", "assert_has_calls")
_NO_ARGS = ("assert_called_once", "assert_called", "assert_not_called")


@dataclass(frozen=True)
class Seed:
    line: int  # 1-based
    kind: str  # the rule whose fix should undo it
    original: str
    seeded: str


def _one_line(node: ast.AST) -> bool:
    return getattr(node, "lineno", 0) == getattr(node, "end_lineno", -1)


def _cols(lines: list[str], node: ast.AST) -> tuple[int, int]:
    line = node.lineno  # type: ignore[attr-defined]
    return (char_col(lines, line, node.col_offset),  # type: ignore[attr-defined]
            char_col(lines, line, node.end_col_offset or 0))  # type: ignore[attr-defined]  # fmt: skip


def _exact_literal(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str | int)
        and not isinstance(node.value, bool)
    )


def _candidates(tree: ast.AST, lines: list[str]) -> list[tuple[int, str, str]]:
    """(line, rule, new line text) for each statement that can be seeded."""
    out: list[tuple[int, str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and _one_line(node):
            seeded = _seed_call(node.value, lines)
            if seeded:
                out.append((node.lineno, *seeded))
        elif isinstance(node, ast.Compare) and _one_line(node) and len(node.ops) == 1:
            seeded = _seed_compare(node, lines)
            if seeded:
                out.append((node.lineno, "is-literal-comparison", seeded))
    return out


def _seed_call(call: ast.Call, lines: list[str]) -> tuple[str, str] | None:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    text = lines[call.lineno - 1]
    _, func_end = _cols(lines, func)
    name_at = func_end - len(func.attr)
    receiver_self = isinstance(func.value, ast.Name) and func.value.id == "self"
    if func.attr == "assertEqual" and receiver_self:
        if (
            len(call.args) == 2 and not call.keywords
            and isinstance(call.args[0], ast.Constant) and type(call.args[0].value) is int
            and isinstance(call.args[1], ast.Name | ast.Attribute | ast.Call | ast.Subscript)
        ):  # fmt: skip
            (a0, a1), (b0, b1) = _cols(lines, call.args[0]), _cols(lines, call.args[1])
            swapped = text[:a0] + text[b0:b1] + text[a1:b0] + text[a0:a1] + text[b1:]
            new = swapped[:name_at] + "assertTrue" + swapped[func_end:]
            return "assert-second-arg-not-message", new
        return "removed-assert-alias", text[:name_at] + "assertEquals" + text[func_end:]
    if func.attr in _MISSING and not receiver_self:
        return "mock-nonexistent-assertion", text[:name_at] + func.attr[7:] + text[func_end:]
    if func.attr in _NO_ARGS and not receiver_self and not call.args and not call.keywords:
        _, call_end = _cols(lines, call)
        if text[func_end:call_end] == "()":
            return "mock-assertion-not-called", text[:func_end] + text[call_end:]
    return None


def _seed_compare(node: ast.Compare, lines: list[str]) -> str | None:
    op = node.ops[0]
    right = node.comparators[0]
    if not isinstance(op, ast.Eq | ast.NotEq) or not (
        _exact_literal(node.left) or _exact_literal(right)
    ):
        return None
    text = lines[node.lineno - 1]
    _, left_end = _cols(lines, node.left)
    right_start, _ = _cols(lines, right)
    gap = text[left_end:right_start]
    want, seeded = (" == ", " is ") if isinstance(op, ast.Eq) else (" != ", " is not ")
    if gap != want:
        return None
    return text[:left_end] + seeded + text[right_start:]


def seed(text: str) -> tuple[str, list[Seed]]:
    """``text`` with every seedable statement seeded (one per line), and the seeds."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text, []
    lines = text.split("\n")
    seeds: dict[int, Seed] = {}
    for line, kind, new in _candidates(tree, lines):
        if line not in seeds and new != lines[line - 1]:
            seeds[line] = Seed(line, kind, lines[line - 1], new)
    for s in seeds.values():
        lines[s.line - 1] = s.seeded
    return "\n".join(lines), sorted(seeds.values(), key=lambda s: s.line)
