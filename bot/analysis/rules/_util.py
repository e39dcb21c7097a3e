"""Small AST helpers shared by the rule modules.

None of them recurses: one line of code can nest 2,000 expressions deep (a chain of
``+``, of ``not``, of calls), which CPython compiles and runs, and a recursive helper
would hit the interpreter's recursion limit on it. They walk with explicit stacks.
"""

from __future__ import annotations

import ast

from bot.analysis.context import subtree

__all__ = [
    "NESTED_SCOPES",
    "PATCHERS",
    "assertion_call",
    "binop_operands",
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
    "same_tree",
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


def binop_operands(node: ast.AST, ops: type | tuple[type, ...]) -> list[ast.AST]:
    """The operands of a chain of binary operations whose operators are ``ops``, left to
    right: ``[a, b, c]`` for ``a + b + c`` with ``ops=ast.Add``; ``[node]`` when ``node``
    is no such operation. An operand joined by another operator stays one operand."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.BinOp) and isinstance(current.op, ops):
            todo.append(current.right)
            todo.append(current.left)
        else:
            out.append(current)
    return out


def is_literal_str(node: ast.AST) -> bool:
    """A string built only from literals (constants, literal concatenation, plain f-string)."""
    for part in binop_operands(node, ast.Add):
        if isinstance(part, ast.Constant):
            if not isinstance(part.value, str | bytes):
                return False
        elif isinstance(part, ast.JoinedStr):
            if not all(isinstance(v, ast.Constant) for v in part.values):
                return False
        else:
            return False
    return True


def is_literal(node: ast.AST) -> bool:
    """A value fixed when the code is written: constants and containers of constants."""
    todo: list[ast.AST | None] = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.Constant):
            if current.value is Ellipsis:
                return False
        elif isinstance(current, ast.Tuple | ast.List | ast.Set):
            todo.extend(current.elts)
        elif isinstance(current, ast.Dict):
            if any(k is None for k in current.keys):
                return False  # ``{**other}``
            todo.extend(current.keys)
            todo.extend(current.values)
        elif isinstance(current, ast.UnaryOp) and isinstance(
            current.op, ast.USub | ast.UAdd | ast.Not
        ):
            todo.append(current.operand)
        else:
            return False
    return True


def literal_truth(node: ast.AST) -> bool | None:
    """The truth value of a literal, or None when it is not a literal.

    A chain of unary operators is peeled first (``not not … 1``, ``- - … 1``):
    ``ast.literal_eval`` would recurse once per operator.
    """
    if not is_literal(node):
        return None
    negate = False
    signed = False
    while isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            negate = not negate
        else:
            signed = True  # -x and +x keep a number's truth (and fail on anything else)
        node = node.operand
    if signed and not (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float | complex)
        and not isinstance(node.value, bool)
    ):
        return None
    try:
        value = bool(ast.literal_eval(node))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return value != negate


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
    return any(n.__class__ is ast.Call for n in subtree(node))


def same_tree(a: ast.AST, b: ast.AST) -> bool:
    """Structural equality of two expressions, ignoring positions: what comparing their
    ``ast.dump`` gives, without ``ast.dump``'s recursion."""
    todo: list[tuple[object, object]] = [(a, b)]
    while todo:
        x, y = todo.pop()
        if isinstance(x, ast.AST):
            if x.__class__ is not y.__class__:
                return False
            for name in x._fields:
                todo.append((getattr(x, name, None), getattr(y, name, None)))
        elif isinstance(x, list):
            if not isinstance(y, list) or len(x) != len(y):
                return False
            todo.extend(zip(x, y, strict=True))
        elif x.__class__ is not y.__class__ or x != y:
            return False
    return True


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
