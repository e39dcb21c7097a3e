"""Weak cryptography: broken ciphers and clear-text protocols, MD5/SHA-1 for security,
``random`` for secrets."""

from __future__ import annotations

import ast
import re

from bot.analysis.context import Context
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import bound_name, keyword, str_const

_SECRETISH = re.compile(
    r"pass(?:wd|word|phrase)|pwd|secret|token|salt|nonce|otp|api_?key|private_?key|"
    r"secret_?key|encryption_?key|auth_?key|session_?key|csrf|signing_?key",
    re.IGNORECASE,
)

_NOT_SECRET = re.compile(r"name|type|len|size|count|url|path|file|id$|index|_ids?$", re.I)

_RANDOM_FUNCS = frozenset(
    {"random", "randint", "choice", "choices", "sample", "getrandbits", "randrange",
     "uniform", "randbytes", "shuffle"}
)  # fmt: skip


def _binding(ctx: Context, node: ast.AST) -> str | None:
    """The name the enclosing expression of ``node`` is bound to (climbing expressions)."""
    child = node
    for anc in reversed(ctx.ancestors):
        name = bound_name(child, anc)
        if name is not None:
            return name
        if isinstance(anc, ast.stmt):
            if isinstance(anc, ast.Return):
                func = ctx.enclosing_function()
                return func.name if func is not None else None
            return None
        child = anc
    return None


def _secret_binding(ctx: Context, node: ast.AST) -> str | None:
    name = _binding(ctx, node)
    if name and _SECRETISH.search(name) and not _NOT_SECRET.search(name):
        return name
    return None


# ------------------------------------------------------------------ weak-crypto-protocol

_WEAK_ATTRS = {
    "ssl.PROTOCOL_SSLv2": "SSLv2",
    "ssl.PROTOCOL_SSLv3": "SSLv3",
    "ssl.PROTOCOL_TLSv1": "TLS 1.0",
    "ssl.PROTOCOL_TLSv1_1": "TLS 1.1",
    "OpenSSL.SSL.SSLv2_METHOD": "SSLv2",
    "OpenSSL.SSL.SSLv3_METHOD": "SSLv3",
    "OpenSSL.SSL.TLSv1_METHOD": "TLS 1.0",
    "OpenSSL.SSL.TLSv1_1_METHOD": "TLS 1.1",
    "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES": "Triple DES",
    "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish": "Blowfish",
    "cryptography.hazmat.primitives.ciphers.algorithms.ARC4": "RC4",
    "cryptography.hazmat.primitives.ciphers.algorithms.IDEA": "IDEA",
    "cryptography.hazmat.primitives.ciphers.modes.ECB": "ECB mode",
    "Crypto.Cipher.DES.new": "DES",
    "Crypto.Cipher.DES3.new": "Triple DES",
    "Crypto.Cipher.ARC4.new": "RC4",
    "Crypto.Cipher.Blowfish.new": "Blowfish",
    "Crypto.Cipher.AES.MODE_ECB": "ECB mode",
    "Cryptodome.Cipher.DES.new": "DES",
    "Cryptodome.Cipher.ARC4.new": "RC4",
    "Cryptodome.Cipher.AES.MODE_ECB": "ECB mode",
    "telnetlib.Telnet": "telnet (clear text)",
    "ftplib.FTP": "FTP (clear text)",
}

_SHORT = {k.rsplit(".", 1)[-1] for k in _WEAK_ATTRS}


@register(
    id="weak-crypto-protocol",
    title="Broken cipher or clear-text protocol",
    family="protection",
    rationale=(
        "SSLv2/3, TLS 1.0/1.1, DES, RC4, Blowfish and ECB mode are broken, and telnet "
        "and FTP send everything, passwords included, in clear text. Traffic protected "
        "with them can be read or changed by anyone on the path."
    ),
    cwe=327,
    severity=Severity.MEDIUM,
    message="`{code}` uses {what}, which is broken or sends data (credentials included) in "
    "clear text.",
    recommendation="Use TLS 1.2+ (`ssl.create_default_context()`), AES-GCM or ChaCha20-Poly1305, "
    "and SSH/SFTP/HTTPS instead of telnet/FTP.",
    bandit_ids=("B304", "B305", "B321", "B401", "B402", "B502", "B503", "B504"),
    node_types=(ast.Attribute, ast.Name),
    files="code",
)
def check_weak_crypto_protocol(node: ast.Attribute | ast.Name, ctx: Context) -> None:
    """Outside tests: SSLv2/SSLv3/TLS 1.0/1.1 protocol constants, DES, Triple DES, RC4, Blowfish,
    IDEA and ECB mode from ``cryptography``/PyCrypto, and ``telnetlib.Telnet``/``ftplib.FTP``
    calls.
    """
    if ctx.is_test:
        return
    short = node.attr if isinstance(node, ast.Attribute) else node.id
    if short not in _SHORT or isinstance(ctx.parent, ast.Attribute):
        return  # only the outermost name of a chain
    dotted = ctx.qualname(node) or ""
    what = _WEAK_ATTRS.get(dotted)
    if what is None:
        return
    if isinstance(node, ast.Name) and node.id == dotted:
        return  # a local name, not an import
    if dotted.startswith(("telnetlib.", "ftplib.")) and not (
        isinstance(ctx.parent, ast.Call) and ctx.parent.func is node
    ):
        return
    ctx.report(node, what=what)


# -------------------------------------------------------------------- weak-hash-security

_WEAK_HASHES = frozenset({"hashlib.md5", "hashlib.sha1", "Crypto.Hash.MD5.new",
                          "Crypto.Hash.SHA.new"})  # fmt: skip

_HASH_SECRET = re.compile(
    r"pass(?:wd|word)|pwd|token|sig(?:nature)?$|signature|secret|hmac|mac$|_key$|^key$|"
    r"digest_key|auth",
    re.IGNORECASE,
)


@register(
    id="weak-hash-security",
    title="MD5/SHA-1 used for a security purpose",
    family="protection",
    rationale=(
        "MD5 and SHA-1 collisions are cheap to compute and unsalted hashes are reversed "
        "with lookup tables, so signatures, tokens and password hashes built on them "
        "can be forged or cracked."
    ),
    cwe=328,
    severity=Severity.MEDIUM,
    # in tests a hash fingerprints test data (a key repository, a blob): no secret to protect
    severity_test=Severity.LOW,
    message="`{code}` derives `{name}` with {algo}, which is broken for security use "
    "(collisions are cheap; unsalted password hashes are cracked instantly).",
    recommendation="Use SHA-256 or better (`hashlib.sha256`), HMAC for signatures, and a "
    "password hash (`hashlib.scrypt`, bcrypt, argon2) for passwords; if this is not a security "
    "use, say so with `usedforsecurity=False`.",
    bandit_ids=("B303", "B324"),
    node_types=(ast.Call,),
    call_names=frozenset({"md5", "sha1", "new"}),
)
def check_weak_hash_security(node: ast.Call, ctx: Context) -> None:
    """``hashlib.md5``/``sha1`` (or ``hashlib.new('md5')``, PyCrypto's MD5/SHA) whose result is
    bound to a password, token, signature, key or HMAC name, unless ``usedforsecurity=False``
    is passed.
    """
    dotted = ctx.qualname(node.func) or ""
    if dotted in _WEAK_HASHES:
        algo = dotted.rsplit(".", 1)[-1].upper() if "hashlib" in dotted else "a weak hash"
    elif dotted == "hashlib.new" and (str_const(node.args[0]) if node.args else "") in (
        "md5", "sha1", "MD5", "SHA1"
    ):  # fmt: skip
        algo = str_const(node.args[0]) or ""
        algo = algo.upper()
    else:
        return
    kw = keyword(node, "usedforsecurity")
    if kw is not None and isinstance(kw.value, ast.Constant) and kw.value.value is False:
        return
    name = _binding(ctx, node)
    if name and _HASH_SECRET.search(name) and "checksum" not in name.lower():
        ctx.report(node, name=name, algo=algo)


# -------------------------------------------------------------------- weak-random-secret


@register(
    id="weak-random-secret",
    title="Predictable random value used as a secret",
    family="protection",
    rationale=(
        "The `random` module is a Mersenne Twister: after observing a few hundred "
        "outputs an attacker can predict all the following ones, so tokens, passwords "
        "and keys made with it can be guessed."
    ),
    cwe=338,
    severity=Severity.MEDIUM,
    severity_test=Severity.LOW,
    message="`{code}` makes `{name}` with the `random` module, whose output can be predicted "
    "from a few observed values.",
    recommendation="Use `secrets.token_urlsafe()` / `secrets.token_hex()` (or "
    "`random.SystemRandom()`) for anything secret.",
    bandit_ids=("B311",),
    node_types=(ast.Call,),
    call_names=_RANDOM_FUNCS,
)
def check_weak_random_secret(node: ast.Call, ctx: Context) -> None:
    """A ``random.*`` function (``random``, ``randint``, ``choice``, ``getrandbits``...) whose
    result is bound to a name that says secret (``password``, ``token``, ``salt``,
    ``nonce``...).
    """
    dotted = ctx.qualname(node.func) or ""
    if not dotted.startswith("random.") or dotted.count(".") != 1:
        return
    name = _secret_binding(ctx, node)
    if name is not None:
        ctx.report(node, name=name)
