"""hardcoded-credential: secrets written into the source.

Two ways to recognise one: a well-known credential format (PEM private key, AWS key
id, GitHub/Slack/Google tokens, a signed JWT) wherever the literal sits, or a
high-entropy string bound to a name that says it is secret."""

from __future__ import annotations

import ast
import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.markdown import md_code

# Formats that identify a real credential wherever the literal sits.
_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a PEM private key",
        re.compile(
            r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
            r"\s*(?:[A-Za-z0-9-]+:[^\n]*\n\s*)*[A-Za-z0-9+/=\s]{64,}"
        ),
    ),
    ("an AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b")),
    ("a GitHub token", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{60,255}")),
    ("a Slack token", re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])")),
)

_FORMAT_HINT = re.compile(r"PRIVATE KEY|AKIA|ASIA|gh[pousr]_|github_pat_|xox[baprs]-|AIza|eyJ")

_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")

SECRET_NAME = re.compile(
    r"pass(?:wd|word|phrase)|pwd|secret|token|api_?key|apikey|private_?key|credential"
    r"|access_?key|auth_?key",
    re.IGNORECASE,
)

# Names that mention a secret but hold something else (where to find it, its kind…).
_NOT_SECRET_NAME = re.compile(
    r"url|uri|path|file|dir|name|type|field|header|prefix|format|pattern|regex|policy"
    r"|endpoint|length|len$|expir|method|hint|label|count|option|opt$|column|table|env"
    r"|required|enabled|prompt|param|attr|_re$",
    re.IGNORECASE,
)

PLACEHOLDER = re.compile(
    r"fake|test|dummy|example|sample|changeme|change_me|secret|passw|admin|placeholder"
    r"|redacted|mock|stub|xxx|notreal|not_real|insecure|default|your|token|foo|bar|baz"
    r"|todo|fixme|invalid|bogus|random",
    re.IGNORECASE,
)

_TOKEN_PLACEHOLDER = re.compile(
    r"fake|dummy|example|sample|test|xxxx|placeholder|redacted|changeme", re.IGNORECASE
)

_FAKE_NAME = re.compile(r"fake|test|dummy|example|sample|mock|stub|bogus", re.IGNORECASE)

_UUID = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)

_HEX = re.compile(r"[0-9a-fA-F]+")

_REPEATED = re.compile(r"(.)\1{3,}")

_FORMAT_STRING = re.compile(r"%[-+ #0-9.]*[sdifrx]|%\(\w+\)|\{[\w.\[\]!:]*\}")

MIN_LENGTH = 20

# Shannon entropy in bits per character. A random string over [A-Za-z0-9] of 20+
# characters measures about 4.0-4.3 (it is capped by log2(length)); English words,
# camelCase phrases and keyboard walks measure roughly 2.5-3.4. 3.5 keeps the former
# and drops the latter; mixed character classes (3 of lower/upper/digit/symbol) are
# required as well, so long lowercase identifiers and hex digests never qualify.
MIN_ENTROPY = 3.5


def entropy(value: str) -> float:
    n = len(value)
    if not n:
        return 0.0
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _classes(value: str) -> int:
    return (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )


def looks_placeholder(value: str) -> bool:
    if PLACEHOLDER.search(value) or _REPEATED.search(value) or _FORMAT_STRING.search(value):
        return True
    if _UUID.fullmatch(value):
        return True
    if _HEX.fullmatch(value) and len(value) in (32, 40, 56, 64, 96, 128):
        return True  # a digest used as a checksum
    return len(set(value)) < 8


def high_entropy_secret(value: str) -> bool:
    if len(value) < MIN_LENGTH or len(value) > 512:
        return False
    if any(c.isspace() for c in value) or "://" in value or value.startswith(("/", "./", "~")):
        return False
    if looks_placeholder(value):
        return False
    return _classes(value) >= 3 and entropy(value) >= MIN_ENTROPY


def _b64json(part: str) -> object:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _jwt(value: str) -> bool:
    m = _JWT.search(value)
    if m is None:
        return False
    header_b64, payload_b64, _sig = m.group(0).split(".")
    header = _b64json(header_b64)
    if not isinstance(header, dict) or "alg" not in header:
        return False
    if str(header.get("alg", "")).lower() == "none":
        return False  # unsigned: carries no secret
    payload = _b64json(payload_b64)
    # jwt.io's documentation sample token is public.
    return not (isinstance(payload, dict) and payload.get("name") == "John Doe")


def real_format(value: str) -> str | None:
    """Which well-known credential format ``value`` contains, if any."""
    if _FORMAT_HINT.search(value) is None:
        return None
    for label, pattern in _FORMATS:
        m = pattern.search(value)
        if m is None:
            continue
        token = m.group(0)
        if token.startswith("-----"):
            # a key body is long random base64: short words occur by chance, so only
            # obvious filler ("AAAA…", "xxxx…", few distinct characters) marks a fake
            body = re.sub(r"\s", "", token.split("-----", 2)[-1])
            if len(set(body)) >= 20 and not re.search(r"(.)\1{7,}", body):
                return label
            continue
        if not _TOKEN_PLACEHOLDER.search(token) and not _REPEATED.search(token):
            return label
    if _jwt(value):
        return "a signed JWT"
    return None


def _name_of(target: ast.AST) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript):
        key = target.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _first_name(targets: list[ast.expr]) -> str | None:
    for target in targets:
        name = _name_of(target)
        if name is not None:
            return name
    return None


def _assigned(node: ast.Constant, parent: ast.Assign) -> str | None:
    return _first_name(parent.targets) if parent.value is node else None


def _annotated(node: ast.Constant, parent: ast.AnnAssign) -> str | None:
    return _name_of(parent.target) if parent.value is node else None


def _keyword_arg(node: ast.Constant, parent: ast.keyword) -> str | None:
    return parent.arg


def _dict_key(node: ast.Constant, parent: ast.Dict) -> str | None:
    for key, value in zip(parent.keys, parent.values, strict=False):
        if value is node and isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _compared_with(node: ast.Constant, parent: ast.Compare) -> str | None:
    return _first_name([side for side in (parent.left, *parent.comparators) if side is not node])


def _call_key(node: ast.Constant, parent: ast.Call) -> str | None:
    """``conf.set_override('password', '...')``, ``environ.setdefault('TOKEN', '...')``."""
    if len(parent.args) < 2 or parent.args[1] is not node:
        return None
    first = parent.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def _parameter(node: ast.Constant, parent: ast.arguments) -> str | None:
    """The parameter whose default value the literal is."""
    positional = [*parent.posonlyargs, *parent.args]
    offset = len(positional) - len(parent.defaults)
    for i, default in enumerate(parent.defaults):
        if default is node:
            return positional[offset + i].arg
    for arg, kw_default in zip(parent.kwonlyargs, parent.kw_defaults, strict=False):
        if kw_default is node:
            return arg.arg
    return None


# parent node class -> how to find the name a literal directly under it is bound to
_BINDERS: dict[type[ast.AST], Callable[[ast.Constant, Any], str | None]] = {
    ast.Assign: _assigned,
    ast.AnnAssign: _annotated,
    ast.keyword: _keyword_arg,
    ast.Dict: _dict_key,
    ast.Compare: _compared_with,
    ast.Call: _call_key,
    ast.arguments: _parameter,
}


def _binding(node: ast.Constant, ctx: Context) -> str | None:
    """The name, key or keyword the literal is bound to or compared with."""
    parent = ctx.parent
    binder = _BINDERS.get(parent.__class__) if parent is not None else None
    return binder(node, parent) if binder is not None else None


def _fake_context(ctx: Context) -> bool:
    if _FAKE_NAME.search(ctx.path.rsplit("/", 1)[-1]):
        return True
    return any(
        _FAKE_NAME.search(n.name)
        for n in ctx.ancestors
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not n.name.startswith(("test_", "Test"))
    )


def _redact(value: str) -> str:
    """Quote a secret without repeating it in the review."""
    head = value.lstrip()[:4]
    return f"'{head}…'" if not head.startswith("-") else "'-----BEGIN … PRIVATE KEY-----…'"


def _secret_name(name: str | None) -> bool:
    return (
        bool(name)
        and bool(SECRET_NAME.search(name or ""))
        and not _NOT_SECRET_NAME.search(name or "")
    )


@register(
    id="hardcoded-credential",
    title="Hard-coded credential",
    family="access_control",
    rationale=(
        "A secret in the source is readable by everyone with access to the repository, "
        "its forks, mirrors and backups, and it stays in the history after it is "
        "deleted. It must be treated as leaked and revoked."
    ),
    cwe=798,
    severity=Severity.HIGH,
    message="`{code}` hard-codes {what}{where}; anyone with read access to the repository has it.",
    recommendation=(
        "Remove it from the source and revoke it (it stays in the history); read it from "
        "configuration or the environment. Tests should use an obvious placeholder such as "
        "`'fake-password'` or a generated key."
    ),
    bandit_ids=("B105", "B106", "B107"),
    node_types=(ast.Constant,),
)
def check_hardcoded_credential(node: ast.Constant, ctx: Context) -> None:
    """A string literal of 16+ characters that contains a well-known credential format (PEM
    private key, AWS access key id, GitHub/Slack/Google tokens, a signed JWT), or a
    high-entropy string bound to a name that says secret (``password``, ``token``,
    ``api_key``...).

    Placeholders (``fake``, ``example``, repeated characters, format strings, UUIDs, hex
    digests) and, in test code, fixtures in fake-named files, functions and classes are left
    alone; the secret is never quoted in full.
    """
    value = node.value
    if value.__class__ is not str or len(value) < 16:
        return
    name = _binding(node, ctx)
    if name is not None and _FAKE_NAME.search(name):
        return  # fake_private_key, TEST_TOKEN…: a declared test fixture
    label = real_format(value)
    if label is not None:
        where = f" in {md_code(name)}" if name else ""
        # In test code a private key is almost always a test vector for crypto code:
        # an observation (make sure it is used nowhere real), not a defect.
        severity = (
            Severity.LOW
            if ctx.is_test
            and "PRIVATE KEY" in label.upper() + value[:80]
            and label == "a PEM private key"
            else None
        )
        ctx.report(node, code=_redact(value), what=f"what looks like {label}", where=where,
                   severity=severity)  # fmt: skip
        return
    if ctx.is_test and _fake_context(ctx):
        return  # get_fake_token(), tests/fakes.py…: the author says it is fake
    if _secret_name(name) and high_entropy_secret(value):
        ctx.report(
            node,
            code=_redact(value),
            confidence="medium",
            what="a high-entropy string",
            where=f" as {md_code(name)}",
        )
