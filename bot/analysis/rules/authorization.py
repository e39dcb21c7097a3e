"""authorization-always-allows: an authorization check replaced by one that allows everything."""

from __future__ import annotations

import ast
import re

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import keyword, mock_name

_AUTHZ_NAME = re.compile(
    r"^(?:authorize|enforce|can|check_is_admin|is_admin|check_policy|check|allowed|"
    r"is_allowed|has_permission|check_permission|.*polic(?:y|ies).*)$",
    re.IGNORECASE,
)

_ALWAYS_MOCKS = frozenset({"mock.Mock", "mock.MagicMock"})


def _always_allows(value: ast.AST, ctx: Context) -> bool:
    if isinstance(value, ast.Lambda):
        body = value.body
        return isinstance(body, ast.Constant) and (body.value is None or body.value is True)
    if isinstance(value, ast.Call):
        name = mock_name(ctx.qualname(value.func))
        if name in _ALWAYS_MOCKS:
            if keyword(value, "side_effect") is not None:
                return False
            rv = keyword(value, "return_value")
            return rv is None or (isinstance(rv.value, ast.Constant) and rv.value.value in
                                  (True, None))  # fmt: skip
    return False


@register(
    id="authorization-always-allows",
    title="Authorization check replaced by one that always allows",
    family="access_control",
    rationale=(
        "Replacing a policy or permission check with one that always allows disables "
        "authorization. In production code every caller becomes authorised; in a test "
        "that does not restore it, every later test in the same process runs with "
        "authorization off and can no longer catch an access-control bug."
    ),
    cwe=285,
    severity=Severity.HIGH,
    message="`{code}` replaces the authorization check `{name}` with one that always allows, "
    "{scope}.",
    recommendation="Scope the replacement to one test: `self.stub_out(...)`, "
    "`mock.patch(...)` as a decorator/context manager, or a policy fixture; never in "
    "production code.",
    node_types=(ast.Assign,),
)
def check_authorization_always_allows(node: ast.Assign, ctx: Context) -> None:
    """An authorization function (``authorize``, ``enforce``, ``check_policy``, ``is_admin``...)
    of an imported object replaced by a lambda returning ``True``/``None`` or a ``Mock`` that
    returns a true value.

    In test code the assignment passes when the function registers a cleanup (``addCleanup``,
    ``useFixture``) or the target is the test's own object.
    """
    if not _always_allows(node.value, ctx):
        return
    for target in node.targets:
        if not isinstance(target, ast.Attribute) or not _AUTHZ_NAME.match(target.attr):
            continue
        root = target.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            continue
        if not ctx.is_test:
            ctx.report(node, name=target.attr, scope="so every caller is authorised")
            return
        if root.id in ("self", "cls") or root.id not in ctx.imports:
            continue  # an object the test owns
        func = ctx.enclosing_function()
        if func is not None and ctx.scope_names(func) & {"addCleanup", "useFixture"}:
            continue
        scope = (
            "for the rest of the test run (module level)"
            if func is None
            else "and nothing restores it, so later tests run with authorization off"
        )
        ctx.report(node, name=target.attr, scope=scope)
        return
