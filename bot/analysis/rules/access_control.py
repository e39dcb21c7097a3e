"""Access control (RULES.md family, CWE-284)."""

from __future__ import annotations

import ast
import base64
import binascii
import json
import math
import re
from collections import Counter

from bot.analysis.engine import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import keyword, mock_name

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


def _binding(node: ast.Constant, ctx: Context) -> str | None:
    """The name, key or keyword the literal is bound to or compared with."""
    parent = ctx.parent
    if isinstance(parent, ast.Assign) and parent.value is node:
        for target in parent.targets:
            name = _name_of(target)
            if name is not None:
                return name
        return None
    if isinstance(parent, ast.AnnAssign) and parent.value is node:
        return _name_of(parent.target)
    if isinstance(parent, ast.keyword):
        return parent.arg
    if isinstance(parent, ast.Dict):
        for key, value in zip(parent.keys, parent.values, strict=False):
            if value is node and isinstance(key, ast.Constant) and isinstance(key.value, str):
                return key.value
        return None
    if isinstance(parent, ast.Compare):
        for side in (parent.left, *parent.comparators):
            if side is not node:
                name = _name_of(side)
                if name is not None:
                    return name
        return None
    if isinstance(parent, ast.Call) and len(parent.args) >= 2 and parent.args[1] is node:
        first = parent.args[0]  # conf.set_override('password', '...'), environ.setdefault
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        return None
    if isinstance(parent, ast.arguments):
        positional = [*parent.posonlyargs, *parent.args]
        offset = len(positional) - len(parent.defaults)
        for i, default in enumerate(parent.defaults):
            if default is node:
                return positional[offset + i].arg
        for arg, kw_default in zip(parent.kwonlyargs, parent.kw_defaults, strict=False):
            if kw_default is node:
                return arg.arg
    return None


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
    value = node.value
    if value.__class__ is not str or len(value) < 16:
        return
    name = _binding(node, ctx)
    if name is not None and _FAKE_NAME.search(name):
        return  # fake_private_key, TEST_TOKEN…: a declared test fixture
    label = real_format(value)
    if label is not None:
        where = f" in `{name}`" if name else ""
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
            where=f" as `{name}`",
        )


# ---------------------------------------------------------- tls-verification-disabled

_HTTP_CALLS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "Session",
     "session", "Client", "AsyncClient", "urlopen", "stream", "send", "HTTPSConnection",
     "HTTPSConnectionPool", "PoolManager", "Request", "ClientSession", "TCPConnector"}
)  # fmt: skip
_LOCAL_TARGET = re.compile(
    r"localhost|127\.0\.0\.1|\[::1\]|::1|fake|example|test|mock|stub|\.local\b|"
    r"^/|^[a-z_]+$",
    re.IGNORECASE,
)


def _local_target(node: ast.Call) -> bool:
    url = node.args[0] if node.args else None
    for kw in node.keywords:
        if kw.arg in ("url", "endpoint", "host", "base_url"):
            url = kw.value
    value = url.value if isinstance(url, ast.Constant) else None
    if isinstance(url, ast.JoinedStr) and url.values and isinstance(url.values[0], ast.Constant):
        value = url.values[0].value
    return isinstance(value, str) and bool(_LOCAL_TARGET.search(value))


def _tls_report(ctx: Context, node: ast.AST, what: str, call: ast.Call | None = None) -> None:
    if ctx.is_test and call is not None and _local_target(call):
        return
    ctx.report(node, what=what)


@register(
    id="tls-verification-disabled",
    title="TLS certificate verification disabled",
    cwe=295,
    severity=Severity.HIGH,
    severity_test=Severity.LOW,
    message="`{code}` {what}, so anyone on the network path can impersonate the server and "
    "read or change the traffic (credentials included).",
    recommendation="Keep verification on; point `verify=`/`cafile=` at the CA bundle that "
    "signs the server's certificate instead.",
    bandit_ids=("B501", "B323", "B507"),
    node_types=(ast.Call, ast.Assign, ast.Attribute),
)
def check_tls_verification(node: ast.AST, ctx: Context) -> None:
    if isinstance(node, ast.Attribute):
        if node.attr != "CERT_NONE" or ctx.qualname(node) != "ssl.CERT_NONE":
            return
        if isinstance(ctx.parent, ast.Compare):
            return  # reading the mode, not setting it
        _tls_report(ctx, node, "turns certificate checking off (`ssl.CERT_NONE`)")
        return
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "check_hostname"
                and isinstance(node.value, ast.Constant)
                and node.value.value is False
            ):
                _tls_report(ctx, node, "turns host-name checking off")
                return
        return
    assert isinstance(node, ast.Call)
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    dotted = ctx.qualname(func) or ""
    if dotted == "ssl._create_unverified_context":
        _tls_report(ctx, node, "creates an SSL context that verifies nothing")
        return
    if name == "disable_warnings" and any(
        "InsecureRequestWarning" in ctx.segment(a) for a in node.args
    ):
        _tls_report(ctx, node, "hides the warning urllib3 gives for unverified HTTPS requests")
        return
    if name == "set_missing_host_key_policy" and node.args:
        policy = ctx.qualname(node.args[0].func if isinstance(node.args[0], ast.Call)
                              else node.args[0]) or ""  # fmt: skip
        if policy.endswith(("AutoAddPolicy", "WarningPolicy")):
            _tls_report(ctx, node, "accepts any SSH host key")
        return
    if name in _HTTP_CALLS or dotted.startswith(("requests.", "httpx.", "urllib3.")):
        for kw in node.keywords:
            if (
                kw.arg in ("verify", "verify_ssl", "ssl_verify")
                and isinstance(kw.value, ast.Constant)
                and kw.value.value is False
            ):
                _tls_report(ctx, node, f"passes `{kw.arg}=False`", node)
                return
            if kw.arg == "cert_reqs" and "CERT_NONE" in ctx.segment(kw.value):
                return  # the ssl.CERT_NONE attribute is reported itself


# --------------------------------------------------------------- permissive-file-mode

_MODE_POSITION = {
    "os.chmod": 1, "os.fchmod": 1, "os.lchmod": 1, "os.open": 2, "os.mkdir": 1,
    "os.makedirs": 1, "os.mkfifo": 1, "os.mknod": 1,
}  # fmt: skip
_STAT_OTHER_WRITE = frozenset({"S_IWOTH", "S_IRWXO"})


def _other_writable(node: ast.AST, ctx: Context) -> bool:
    if isinstance(node, ast.Constant):
        v = node.value
        return isinstance(v, int) and not isinstance(v, bool) and bool(v & 0o002) and v < 0o10000
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr | ast.Add):
        return _other_writable(node.left, ctx) or _other_writable(node.right, ctx)
    if isinstance(node, ast.Attribute | ast.Name):
        return (ctx.qualname(node) or "").rsplit(".", 1)[-1] in _STAT_OTHER_WRITE
    return False


@register(
    id="permissive-file-mode",
    title="File or directory writable by every user",
    cwe=732,
    severity=Severity.MEDIUM,
    message="`{code}` sets mode `{mode}`, which lets every local user write to it (replace "
    "its contents, plant files or links).",
    recommendation="Use the narrowest mode that works: `0o600`/`0o644` for files, "
    "`0o700`/`0o755` for directories.",
    bandit_ids=("B103",),
    node_types=(ast.Call,),
    call_names=frozenset({"chmod", "fchmod", "lchmod", "open", "mkdir", "makedirs", "mkfifo",
                          "mknod"}),
)  # fmt: skip
def check_permissive_mode(node: ast.Call, ctx: Context) -> None:
    dotted = ctx.qualname(node.func) or ""
    pos = _MODE_POSITION.get(dotted)
    mode: ast.AST | None = None
    if pos is not None:
        mode = node.args[pos] if len(node.args) > pos else None
    elif isinstance(node.func, ast.Attribute) and node.func.attr in ("chmod", "mkdir"):
        if dotted.startswith(("os.", "shutil.")) or not isinstance(node.func.value, ast.Call):
            return  # only Path(...).chmod(mode) / Path(...).mkdir(mode)
        if not (ctx.qualname(node.func.value.func) or "").endswith("Path"):
            return
        mode = node.args[0] if node.args else None
    else:
        return
    for kw in node.keywords:
        if kw.arg == "mode":
            mode = kw.value
    if mode is None or not _other_writable(mode, ctx):
        return
    if dotted and ctx.is_patched(dotted):
        return
    ctx.report(node, mode=ctx.segment(mode, 40))


# -------------------------------------------------------- authorization-always-allows

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


# ----------------------------------------------------------------- debug-mode-enabled


@register(
    id="debug-mode-enabled",
    title="Web application debug mode enabled",
    cwe=489,
    severity=Severity.MEDIUM,
    message="`{code}` turns on the framework's debug mode, which shows stack traces and "
    "(Werkzeug) an interactive console that runs arbitrary code for anyone who reaches it.",
    recommendation="Take debug from configuration, off by default; never enable it in code "
    "that ships.",
    bandit_ids=("B201",),
    node_types=(ast.Call, ast.Assign),
)
def check_debug_mode(node: ast.AST, ctx: Context) -> None:
    if ctx.is_test:
        return
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("run", "run_simple"):
            kw = keyword(node, "debug") or keyword(node, "use_debugger")
            if kw is not None and isinstance(kw.value, ast.Constant) and kw.value.value is True:
                ctx.report(node)
        return
    assert isinstance(node, ast.Assign)
    if not (isinstance(node.value, ast.Constant) and node.value.value is True):
        return
    for target in node.targets:
        if isinstance(target, ast.Attribute) and target.attr == "debug":  # noqa: SIM102
            if isinstance(target.value, ast.Name) and target.value.id in ("app", "application"):
                ctx.report(node)
                return
        if isinstance(target, ast.Subscript) and target.slice.__class__ is ast.Constant:
            key = getattr(target.slice, "value", None)
            if key == "DEBUG" and ctx.segment(target.value).endswith("config"):
                ctx.report(node)
                return
