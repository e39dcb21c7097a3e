"""Small AST helpers shared by the rule modules."""

from __future__ import annotations

import ast

__all__ = [
    "NESTED_SCOPES",
    "PATCHERS",
    "assertion_call",
    "bound_name",
    "call_name",
    "contains_call",
    "is_assertion",
    "is_literal",
    "is_literal_str",
    "keyword",
    "literal_truth",
    "mock_name",
    "root_name",
    "str_const",
    "target_name",
    "terminal_name",
]

#: the ``mock.patch`` family, as ``mock_name`` spells it
PATCHERS = frozenset({"mock.patch", "mock.patch.object", "mock.patch.dict", "mock.patch.multiple"})
#: nodes that open a new scope: a check looking at "this function's body" stops there
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


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


def is_literal(node: ast.AST) -> bool:
    """A value fixed when the code is written: constants and containers of constants."""
    if isinstance(node, ast.Constant):
        return node.value is not Ellipsis
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return all(is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and is_literal(k) for k in node.keys) and all(
            is_literal(v) for v in node.values
        )
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd | ast.Not):
        return is_literal(node.operand)
    return False


def literal_truth(node: ast.AST) -> bool | None:
    """The truth value of a literal, or None when it is not a literal."""
    if not is_literal(node):
        return None
    try:
        return bool(ast.literal_eval(node))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def root_name(node: ast.AST) -> ast.Name | None:
    """``a`` for ``a.b.c``, ``a[1].b`` and ``a().b``."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node if isinstance(node, ast.Name) else None


def assertion_call(node: ast.AST) -> bool:
    """``self.assertX(...)``, ``self.fail(...)``, ``m.assert_called…()``, ``pytest.fail``."""
    if not isinstance(node, ast.Call):
        return False
    name = call_name(node)
    if name is None:
        return False
    return name.startswith(("assert", "fail")) or name in ("expectThat",)


def is_assertion(stmt: ast.stmt) -> bool:
    """A statement that checks something: ``assert``, or an assertion call on its own."""
    if isinstance(stmt, ast.Assert):
        return True
    return isinstance(stmt, ast.Expr) and assertion_call(stmt.value)


def contains_call(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) for n in ast.walk(node))


def str_const(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def target_name(node: ast.AST) -> str | None:
    """The name a value is bound to: ``x``, ``self.x``, ``d['x']``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return str_const(node.slice)
    return None


def bound_name(node: ast.AST, parent: ast.AST | None) -> str | None:
    """The name, keyword or dict key that the expression ``node`` is bound to."""
    if isinstance(parent, ast.Assign) and parent.value is node:
        for target in parent.targets:
            name = target_name(target)
            if name:
                return name
    elif isinstance(parent, ast.AnnAssign | ast.AugAssign) and parent.value is node:
        return target_name(parent.target)
    elif isinstance(parent, ast.keyword):
        return parent.arg
    elif isinstance(parent, ast.Dict):
        for key, value in zip(parent.keys, parent.values, strict=False):
            if value is node:
                return str_const(key)
    return None
