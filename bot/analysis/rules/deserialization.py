"""unsafe-deserialization: pickle, marshal, shelve, unsafe YAML and friends, which run code."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import keyword

_UNSAFE_LOADS = frozenset(
    {
        "pickle.loads", "pickle.load", "cPickle.loads", "cPickle.load", "_pickle.loads",
        "_pickle.load", "dill.loads", "dill.load", "shelve.open", "marshal.loads",
        "marshal.load", "yaml.unsafe_load", "yaml.unsafe_load_all", "jsonpickle.decode",
        "pickle.Unpickler", "six.moves.cPickle.loads", "six.moves.cPickle.load",
    }
)  # fmt: skip

_SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")

_UNTRUSTED_SOURCES = frozenset(
    {"read", "recv", "recvfrom", "urlopen", "get", "post", "read_bytes", "environ", "getenv",
     "readline", "readlines", "content"}
)  # fmt: skip


def _untrusted(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in _UNTRUSTED_SOURCES:
            return True
        if isinstance(sub, ast.Name) and sub.id == "open":
            return True
    return False


@register(
    id="unsafe-deserialization",
    title="Deserialisation that can run code",
    family="state_leaks",
    rationale=(
        "pickle, marshal, shelve, unsafe YAML loaders and jsonpickle can build "
        "arbitrary objects and run code while loading. Whoever controls the data being "
        "loaded controls the process."
    ),
    cwe=502,
    severity=Severity.MEDIUM,
    message="`{code}` deserialises with `{func}`, which can build arbitrary objects and run "
    "code chosen by whoever controls the data.",
    recommendation="Use a data-only format (`json`, `yaml.safe_load`, "
    "`oslo_serialization.jsonutils`), or sign and verify the data before loading it.",
    bandit_ids=("B301", "B302", "B403", "B506", "B614"),
    node_types=(ast.Call,),
    call_names=frozenset({"loads", "load", "open", "unsafe_load", "unsafe_load_all", "decode",
                          "Unpickler"}),
)  # fmt: skip
def check_unsafe_deserialization(node: ast.Call, ctx: Context) -> None:
    """``pickle``/``cPickle``/``dill``/``marshal`` loads, ``shelve.open``, ``yaml.unsafe_load``,
    ``yaml.load`` without a safe loader, ``jsonpickle.decode`` and ``torch.load`` without
    ``weights_only=True``.

    In test code, data the test built itself is reported at low severity.
    """
    dotted = ctx.qualname(node.func)
    if dotted is None:
        return
    if dotted in ("yaml.load", "yaml.load_all"):
        loader = keyword(node, "Loader")
        value = loader.value if loader is not None else (node.args[1] if len(node.args) > 1
                                                         else None)  # fmt: skip
        if value is not None and (ctx.qualname(value) or "").endswith(_SAFE_LOADERS):
            return
    elif dotted == "torch.load":
        kw = keyword(node, "weights_only")
        if kw is not None and isinstance(kw.value, ast.Constant) and kw.value.value is True:
            return
    elif dotted not in _UNSAFE_LOADS:
        return
    if ctx.is_patched(dotted):
        return
    severity = None
    if ctx.is_test and not any(_untrusted(a) for a in node.args):
        severity = Severity.LOW  # the test deserialises data it built itself
    ctx.report(node, severity=severity, func=dotted)
