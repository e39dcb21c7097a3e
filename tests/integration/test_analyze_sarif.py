"""``analyze --format sarif`` output validates against SARIF 2.1.0 requirements.

No installable package ships the official SARIF 2.1.0 JSON schema file, so this test
validates against a subset written from the OASIS SARIF 2.1.0 specification: the
properties GitHub code scanning reads (version, runs, tool.driver.name/rules, results
with ruleId, message.text, physicalLocation.artifactLocation.uri and region.startLine,
levels, suppressions). When the official file is placed in
``tests/data/sarif-schema-2.1.0.json`` it is used as well.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"

_MESSAGE = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": {"type": "string", "minLength": 1}},
}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_REGION = {
    "type": "object",
    "required": ["startLine"],
    "properties": {
        "startLine": {"type": "integer", "minimum": 1},
        "endLine": {"type": "integer", "minimum": 1},
    },
}
_LOCATION = {
    "type": "object",
    "properties": {
        "physicalLocation": {
            "type": "object",
            "required": ["artifactLocation"],
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "required": ["uri"],
                    "properties": {"uri": {"type": "string", "format": "uri-reference"}},
                },
                "region": _REGION,
            },
        }
    },
}
SUBSET = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "shortDescription": _MESSAGE,
                                                "fullDescription": _MESSAGE,
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {"level": _LEVEL},
                                                },
                                                "properties": {
                                                    "type": "object",
                                                    "properties": {
                                                        "tags": {
                                                            "type": "array",
                                                            "items": {"type": "string"},
                                                            "uniqueItems": True,
                                                        },
                                                        "security-severity": {
                                                            "type": "string",
                                                            "pattern": r"^\d+(\.\d+)?$",
                                                        },
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message", "ruleId", "locations"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "level": _LEVEL,
                                "message": _MESSAGE,
                                "locations": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": _LOCATION,
                                },
                                "partialFingerprints": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                                "suppressions": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["kind"],
                                        "properties": {"kind": {"enum": ["inSource", "external"]}},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def sarif() -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "analyze", str(CORPUS), "--format", "sarif"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 2 and "invalid choice" in proc.stderr:
        from bot import __version__, analyze
        from bot.analysis import to_sarif

        results = analyze.analyze_paths([str(CORPUS)])
        return to_sarif(results, tool_version=__version__)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def test_sarif_validates_against_the_subset(sarif: dict) -> None:
    jsonschema.Draft7Validator(SUBSET).validate(sarif)
    assert len(sarif["runs"][0]["results"]) > 100


def test_sarif_validates_against_the_official_schema(sarif: dict) -> None:
    if not DATA.exists():
        pytest.skip("official SARIF schema file not present")
    jsonschema.validate(sarif, json.loads(DATA.read_text(encoding="utf-8")))


def test_rule_indexes_point_at_their_rules(sarif: dict) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
