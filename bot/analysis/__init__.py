"""Static analysis of Python source: pure functions, no I/O.

This is the face everyone outside ``bot.analysis`` imports from (the data types may
also come from ``bot.analysis.model``). ``analyze_source`` is the single entry point
the pipeline and the CLI use; the formatters turn results into text, JSON and SARIF.
"""

from bot.analysis.catalogue import all_rules, get_rule, rule_ids
from bot.analysis.context import Context, Site
from bot.analysis.cwe import cwe_name, pillars
from bot.analysis.engine import analyze_source
from bot.analysis.formatters import print_text, to_json, to_sarif
from bot.analysis.model import FileResult, Finding, RuleError, Severity, Suppression
from bot.analysis.project import ProjectModel
from bot.analysis.registry import Rule, register
from bot.analysis.summary import FileSummary, summarize
from bot.analysis.testpaths import DEFAULT_TEST_GLOBS, TestPathMatcher

__all__ = [
    "DEFAULT_TEST_GLOBS",
    "Context",
    "FileResult",
    "FileSummary",
    "Finding",
    "ProjectModel",
    "Rule",
    "RuleError",
    "Severity",
    "Site",
    "Suppression",
    "TestPathMatcher",
    "all_rules",
    "analyze_source",
    "cwe_name",
    "get_rule",
    "pillars",
    "print_text",
    "register",
    "rule_ids",
    "summarize",
    "to_json",
    "to_sarif",
]
