"""Small AST helpers shared by the rule modules."""

from __future__ import annotations

import ast

__all__ = [
    "call_name",
    "is_literal_str",
    "keyword",
    "mock_name",
    "terminal_name",
]


def call_name(node: ast.Call) -> str | None:
    """The attribute or function name called: ``a.b.c(...)`` -> ``c``."""
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def terminal_name(node: ast.AST) -> str | None:
    """``x`` for ``x``, ``self.x`` and ``a.b.x``; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def keyword(node: ast.Call, name: str) -> ast.keyword | None:
    for kw in node.keywords:
        if kw.arg == name:
            return kw
    return None


def mock_name(qualname: str | None) -> str | None:
    """Normalise ``unittest.mock.x`` / ``mock.x`` to ``mock.x``; None when not from mock."""
    if qualname is None:
        return None
    if qualname.startswith("unittest.mock"):
        return "mock" + qualname[len("unittest.mock") :]
    if qualname == "mock" or qualname.startswith("mock."):
        return qualname
    return None


def is_literal_str(node: ast.AST) -> bool:
    """A string built only from literals (constants, literal concatenation, plain f-string)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | bytes)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_literal_str(node.left) and is_literal_str(node.right)
    return False
