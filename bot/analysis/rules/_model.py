"""Questions rules ask the project model about the code around the node being checked."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.project import ClassRef
from bot.analysis.summary import dotted

__all__ = ["UNKNOWN_BASE", "enclosing_class_ref", "every_use_fact"]

#: appended to a message when the model cannot see a base class that may decide it
UNKNOWN_BASE = (
    " (unless a base class from a package outside this project {does}, which the bot cannot see)"
)


def enclosing_class_ref(ctx: Context) -> tuple[ast.ClassDef | None, ClassRef | None]:
    """The innermost class around the node and its model reference (None inside a
    function-local class)."""
    klass = ctx.enclosing_class()
    if klass is None:
        return None, None
    ancestors = list(ctx.ancestors)
    return klass, ctx.project.class_ref(klass, ancestors[: ancestors.index(klass)])


def every_use_fact(ctx: Context, fact: str) -> bool | None:
    """Does every test class that runs the code around the node have ``fact`` (itself,
    through a base across files, or -- for a mixin -- every concrete test class built
    from it)? None when an unknown base might. Code outside any class is judged by the
    classes of its file."""
    project = ctx.project
    klass, ref = enclosing_class_ref(ctx)
    if klass is None:
        tree = ctx.tree
        classes = [] if tree is None else [s for s in tree.body if isinstance(s, ast.ClassDef)]
        refs = [project.class_ref(c, []) for c in classes]
        values = [None if r is None else project.every_use(r, fact) for r in refs]
        if values and all(values):
            return True
        return False if any(v is False for v in values) or not values else None
    if ref is None:  # a class defined inside a function: judge its bases
        return project.bases_fact([dotted(b) or "?" for b in klass.bases], fact)
    return project.every_use(ref, fact)
