"""xml-external-entities: XML parsed with a parser that expands entities."""

from __future__ import annotations

import ast

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import is_literal_str, keyword

_XML_PARSERS = frozenset(
    {
        "xml.etree.ElementTree.parse", "xml.etree.ElementTree.fromstring",
        "xml.etree.ElementTree.XML", "xml.etree.ElementTree.iterparse",
        "xml.etree.cElementTree.parse", "xml.etree.cElementTree.fromstring",
        "xml.etree.cElementTree.XML", "xml.dom.minidom.parse", "xml.dom.minidom.parseString",
        "xml.dom.pulldom.parse", "xml.dom.pulldom.parseString", "xml.sax.parse",
        "xml.sax.parseString", "lxml.etree.parse", "lxml.etree.fromstring", "lxml.etree.XML",
    }
)  # fmt: skip


@register(
    id="xml-external-entities",
    title="XML parsed with entity expansion enabled",
    family="neutralisation",
    rationale=(
        "Parsers that expand entities let a crafted document read local files or "
        "internal URLs into the parsed result (XXE) or expand a few bytes into "
        "gigabytes (billion laughs), exhausting memory."
    ),
    cwe=611,
    severity=Severity.MEDIUM,
    message="`{code}` parses XML that comes from outside with a parser that expands entities: "
    "a crafted document can read local files (XXE) or exhaust memory (billion laughs).",
    recommendation="Parse with `defusedxml` (`defusedxml.ElementTree.fromstring(...)`), or an "
    "lxml parser built with `resolve_entities=False, no_network=True`.",
    bandit_ids=("B313", "B314", "B318", "B319", "B320", "B405", "B406", "B408", "B410"),
    node_types=(ast.Call,),
    call_names=frozenset({"parse", "fromstring", "XML", "iterparse", "parseString"}),
    files="code",
)
def check_xml_external_entities(node: ast.Call, ctx: Context) -> None:
    """Outside tests: ``xml.etree``, ``xml.dom.minidom``/``pulldom``, ``xml.sax`` and
    ``lxml.etree`` parsing of a non-literal document (lxml only without an explicit
    ``parser=``).
    """
    if ctx.is_test or not node.args:
        return
    dotted = ctx.qualname(node.func) or ""
    if dotted not in _XML_PARSERS or is_literal_str(node.args[0]):
        return
    if dotted.startswith("lxml") and keyword(node, "parser") is not None:
        return
    ctx.report(node)
