"""template-autoescape-off: HTML templating without autoescaping (cross-site scripting)."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import is_literal_str, keyword

_MARKUPS = frozenset({"markupsafe.Markup", "jinja2.Markup", "flask.Markup"})


@register(
    id="template-autoescape-off",
    title="HTML templates without autoescaping",
    family="neutralisation",
    rationale=(
        "Without autoescaping, every value rendered into an HTML template is markup: a "
        "name or comment containing `<script>` runs in the viewer's browser (cross-site "
        "scripting), with access to their session."
    ),
    cwe=79,
    severity=Severity.MEDIUM,
    message="`{code}` {detail}, so a value containing `<script>` is rendered as markup "
    "(cross-site scripting).",
    recommendation="Use `jinja2.Environment(autoescape=jinja2.select_autoescape())`; pass "
    "untrusted text through escaping instead of `Markup(...)`.",
    bandit_ids=("B701", "B704"),
    node_types=(ast.Call,),
    call_names=frozenset({"Environment", "Markup"}),
    files="code",
)
def check_template_autoescape_off(node: ast.Call, ctx: Context) -> None:
    """Outside tests: ``jinja2.Environment()`` without ``autoescape`` or with it false, and
    ``Markup(...)`` of a value that is not a literal.
    """
    if ctx.is_test:
        return
    dotted = ctx.qualname(node.func) or ""
    if dotted in ("jinja2.Environment", "jinja2.environment.Environment"):
        kw = keyword(node, "autoescape")
        if any(k.arg is None for k in node.keywords):
            return
        if kw is None:
            ctx.report(node, detail="creates a Jinja2 environment without `autoescape`")
        elif isinstance(kw.value, ast.Constant) and not kw.value.value:
            ctx.report(node, detail="turns Jinja2 autoescaping off")
    elif dotted in _MARKUPS and node.args and not is_literal_str(node.args[0]):
        ctx.report(node, detail="marks a run-time value as safe HTML")
