"""Static analysis of Python source: pure functions, no I/O.

``analyze_source`` is the single entry point the pipeline and the CLI use.
"""

from bot.analysis.cwe import cwe_name, pillars
from bot.analysis.engine import Context, analyze_source
from bot.analysis.model import FileResult, Finding, Severity, Suppression
from bot.analysis.registry import Rule, all_rules, get_rule, register
from bot.analysis.testpaths import DEFAULT_TEST_GLOBS, TestPathMatcher

__all__ = [
    "DEFAULT_TEST_GLOBS",
    "Context",
    "FileResult",
    "Finding",
    "Rule",
    "Severity",
    "Suppression",
    "TestPathMatcher",
    "all_rules",
    "analyze_source",
    "cwe_name",
    "get_rule",
    "pillars",
    "register",
]
