"""State that leaks between tests (RULES.md family, CWE-664)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from bot.analysis.engine import Context, Site
from bot.analysis.model import Severity
from bot.analysis.registry import register
from bot.analysis.rules._util import (
    call_name,
    keyword,
    mock_name,
    root_name,
    str_const,
)
from bot.markdown import md_code

RULE_ID = "patcher-not-stopped"
PATCH_FUNCS = frozenset(
    {"mock.patch", "mock.patch.object", "mock.patch.dict", "mock.patch.multiple"}
)
# Bases known not to register mock.patch.stopall themselves. A class deriving from
# anything else (a project's own base TestCase) may stop every patch for us.
_PLAIN_BASES = frozenset(
    {
        "object",
        "unittest.TestCase",
        "unittest.IsolatedAsyncioTestCase",
        "testtools.TestCase",
        "absl.testing.absltest.TestCase",
    }
)

Key = tuple[str, int, str]  # ("local"|"attr", id(scope node), name)


@dataclass
class _Start:
    site: Site
    node: ast.Call
    key: Key | None  # None for mock.patch(...).start() chained
    cls: ast.ClassDef | None


@dataclass
class _Facts:
    patchers: set[Key] = field(default_factory=set)
    handled: set[Key] = field(default_factory=set)
    starts: list[_Start] = field(default_factory=list)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    stopall: bool = False
    names: set[str] = field(default_factory=set)  # names/attributes bound to patchers so far


def _facts(ctx: Context) -> _Facts:
    facts = ctx.state.get(RULE_ID)
    if facts is None:
        facts = ctx.state[RULE_ID] = _Facts()
    return facts


def _key(node: ast.AST, ctx: Context) -> Key | None:
    """Identify a patcher variable: a local name, or ``self.x`` / ``cls.x`` in a class."""
    if isinstance(node, ast.Name):
        scope = ctx.enclosing_function()
        return ("local", id(scope) if scope is not None else 0, node.id)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    ):
        klass = ctx.enclosing_class()
        if klass is not None:
            return ("attr", id(klass), node.attr)
    return None


def _is_patch_call(node: ast.AST, ctx: Context) -> bool:
    return isinstance(node, ast.Call) and mock_name(ctx.qualname(node.func)) in PATCH_FUNCS


def _escapes(values: list[ast.expr], facts: _Facts, ctx: Context) -> None:
    """A patcher passed on, returned or stored elsewhere is someone else's to stop."""
    for value in values:
        items = value.elts if isinstance(value, ast.List | ast.Tuple | ast.Set) else [value]
        for item in items:
            if isinstance(item, ast.Starred):
                item = item.value
            if isinstance(item, ast.Name):
                if item.id not in facts.names:
                    continue
            elif not (isinstance(item, ast.Attribute) and item.attr in facts.names):
                continue
            key = _key(item, ctx)
            if key is not None:
                facts.handled.add(key)


def _finish(ctx: Context) -> None:
    facts: _Facts | None = ctx.state.get(RULE_ID)
    if facts is None or facts.stopall:
        return
    for start in facts.starts:
        plain = start.cls is None or _plain_class(start.cls, facts.classes, ctx, set())
        if start.key is None:
            if not plain:
                continue  # a project base class may register mock.patch.stopall
            ctx.report(start.node, site=start.site, how="the patcher is not kept")
            continue
        if start.key not in facts.patchers or start.key in facts.handled:
            continue
        ctx.report(
            start.node,
            site=start.site,
            # A project base class (oslotest's BaseTestCase and everything built on it)
            # registers mock.patch.stopall, which stops it: an observation only.
            severity=None if plain else Severity.LOW,
            confidence="high" if plain else "medium",
            how="nothing calls its `stop()`",
        )


def _plain_class(
    cls: ast.ClassDef, classes: dict[str, ast.ClassDef], ctx: Context, seen: set[str]
) -> bool:
    if cls.name in seen:
        return True
    seen.add(cls.name)
    for base in cls.bases:
        name = ctx.qualname(base)
        if name is None:
            return False
        if name in _PLAIN_BASES:
            continue
        local = classes.get(name)
        if local is None or not _plain_class(local, classes, ctx, seen):
            return False
    return True


@register(
    id=RULE_ID,
    title="mock patcher started but never stopped",
    cwe=772,
    severity=Severity.HIGH,
    message=(
        "`{code}` starts a patch but {how}, so the patched object stays replaced after "
        "this test and later tests in the same worker run against the mock."
    ),
    recommendation=(
        "Register the stop right after starting: `patcher = mock.patch(...)`, "
        "`patcher.start()`, `self.addCleanup(patcher.stop)` (or use `mock.patch` as a "
        "decorator or context manager, or `self.useFixture(fixtures.MockPatch(...))`)."
    ),
    node_types=(
        ast.Call, ast.Assign, ast.AnnAssign, ast.Attribute, ast.Return, ast.ClassDef,
    ),
    finish=_finish,
)  # fmt: skip
def check_patcher(node: ast.AST, ctx: Context) -> None:
    if node.__class__ is ast.Attribute:
        attr = node.attr
        if attr == "stop":
            key = _key(node.value, ctx)
            if key is not None:
                _facts(ctx).handled.add(key)
        elif attr == "stopall" and mock_name(ctx.qualname(node)) == "mock.patch.stopall":
            _facts(ctx).stopall = True
        return
    facts = _facts(ctx)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "start" and not node.args:
            receiver = func.value
            if _is_patch_call(receiver, ctx):
                facts.starts.append(_Start(ctx.site(node), node, None, ctx.enclosing_class()))
            else:
                key = _key(receiver, ctx)
                if key is not None:
                    facts.starts.append(_Start(ctx.site(node), node, key, ctx.enclosing_class()))
        if facts.names and (node.args or node.keywords):
            _escapes([*node.args, *(kw.value for kw in node.keywords)], facts, ctx)
        return
    if isinstance(node, ast.Assign | ast.AnnAssign):
        value = node.value
        if value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if _is_patch_call(value, ctx):
            for target in targets:
                key = _key(target, ctx)
                if key is not None:
                    facts.patchers.add(key)
                    facts.names.add(key[2])
        elif facts.names:
            _escapes([value], facts, ctx)
        return
    if isinstance(node, ast.Return):
        if node.value is not None and facts.names:
            _escapes([node.value], facts, ctx)
        return
    if isinstance(node, ast.ClassDef):
        facts.classes.setdefault(node.name, node)


# ---------------------------------------------------------- global-state-not-restored

_CLEANUP_NAMES = frozenset({"addCleanup", "addClassCleanup", "useFixture", "enter_context"})
_ENV_CALLS = {"os.environ.update", "os.environ.setdefault", "os.putenv", "os.environ.pop"}


def _func_restores(func: ast.AST | None, ctx: Context) -> bool:
    if func is None:
        return False
    if ctx.scope_names(func) & _CLEANUP_NAMES:
        return True
    return any(isinstance(n, ast.Try) and n.finalbody for n in ast.walk(func))


def _class_restores(name: str, ctx: Context) -> bool:
    """Another method of the class (tearDown, cleanUp, a fixture's _reset) names it."""
    klass = ctx.enclosing_class()
    current = ctx.enclosing_function()
    if klass is None:
        return False
    for stmt in klass.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt is not current:  # noqa: SIM102
            if name in ctx.scope_names(stmt):
                return True
    return False


def _conf_managed(ctx: Context) -> bool:
    """A project base class (nova's test.TestCase…) or a config fixture in ``setUp``
    resets CONF overrides after each test."""
    klass = ctx.enclosing_class()
    if klass is None:
        return False
    setup = ctx.class_method("setUp")
    if setup is not None and any("Conf" in n for n in ctx.scope_names(setup)):
        return True
    facts = _facts(ctx)
    return _mixin(klass) or not _plain_class(klass, facts.classes, ctx, set())


def _mixin(klass: ast.ClassDef) -> bool:
    """``class _Base(object)`` / ``FooMixin``: combined with a project base class later."""
    return klass.name.startswith("_") or klass.name.endswith("Mixin")


_RESTORING_FUNCS = re.compile(r"^(?:tearDown\w*|cleanUp|_?clean_?up\w*|_?restore\w*|_?reset\w*)$")


def _local_names(func: ast.AST | None, ctx: Context) -> frozenset[str]:
    """Parameters and names bound inside ``func`` (they shadow module imports)."""
    if func is None:
        return frozenset()
    cache: dict[int, frozenset[str]] = ctx.state.setdefault("_local_names", {})
    found = cache.get(id(func))
    if found is None:
        names: set[str] = set()
        for sub in ast.walk(func):
            if isinstance(sub, ast.arg):
                names.add(sub.arg)
            elif isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                names.add(sub.id)
        found = cache[id(func)] = frozenset(names)
    return found


def _saved_first(func: ast.AST | None, target: ast.AST, ctx: Context) -> bool:
    """The function also reads the same attribute (``orig = mod.X`` … ``mod.X = orig``)."""
    if func is None:
        return False
    dotted = ctx.qualname(target)
    for sub in ast.walk(func):
        if (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.ctx, ast.Load)
            and sub.attr == getattr(target, "attr", None)
            and ctx.qualname(sub) == dotted
        ):
            return True
    return False


def _trailing_reset(node: ast.AST, func: ast.AST | None) -> bool:
    """``mod.CACHE = False`` as one of the last statements of a test: a reset."""
    if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or not isinstance(
        node, ast.Assign
    ):
        return False
    if not isinstance(node.value, ast.Constant) or node.value.value:
        return False  # a reset puts back a falsy default (False, 0, None, "")
    return any(node is stmt for stmt in func.body[-2:])


def _global_target(target: ast.AST, ctx: Context) -> str | None:
    """What global state an assignment target is, or None for local state."""
    if isinstance(target, ast.Subscript):
        if ctx.qualname(target.value) == "os.environ":
            return "os.environ"
        return None
    if not isinstance(target, ast.Attribute):
        return None
    dotted = ctx.qualname(target)
    root = root_name(target)
    if dotted is None or root is None or root.id in ("self", "cls"):
        return None
    if root.id == "CONF" or ".CONF." in f".{dotted}":
        return "CONF"
    if root.id in ctx.imports and root.id not in _local_names(ctx.enclosing_function(), ctx):
        return "module"
    return None


@register(
    id="global-state-not-restored",
    title="Global state changed by a test and not restored",
    cwe=459,
    severity=Severity.MEDIUM,
    message="`{code}` changes {what} and nothing restores it, so every later test in the same "
    "worker process sees the changed value and may pass or fail depending on test order.",
    recommendation="{fix}",
    node_types=(ast.Assign, ast.Call),
    call_names=frozenset({"update", "setdefault", "putenv", "set_override", "pop"}),
)
def check_global_state(node: ast.AST, ctx: Context) -> None:
    if not ctx.is_test:
        return
    if isinstance(node, ast.Assign):
        for target in node.targets:
            kind = _global_target(target, ctx)
            if kind is not None:
                break
        else:
            return
        name = target_attr = getattr(target, "attr", None) or "environ"
    else:
        assert isinstance(node, ast.Call)
        dotted = ctx.qualname(node.func) or ""
        if dotted in _ENV_CALLS:
            if dotted.endswith("pop"):
                return
            kind, name = "os.environ", "environ"
        elif dotted.endswith("set_override") and (
            dotted.startswith("CONF") or ".CONF." in f".{dotted}"
        ):
            kind, name = "CONF", str_const(node.args[0]) if node.args else "set_override"
            name = name or "set_override"
        else:
            return
        target_attr = name
    func = ctx.enclosing_function()
    if func is not None and (func.name == "setUpModule" or _RESTORING_FUNCS.match(func.name)):
        return
    if _func_restores(func, ctx) or _class_restores(target_attr, ctx):
        return
    if isinstance(node, ast.Assign):
        if isinstance(node.value, ast.Constant) and node.value.value is None:
            return  # resetting a lazily filled cache to its initial state
        if _saved_first(func, target, ctx) or _trailing_reset(node, func):
            return
    if kind == "CONF" and _conf_managed(ctx):
        return
    what = {
        "os.environ": "the process environment",
        "CONF": "a global configuration option",
        "module": "an attribute of an imported module or class",
    }[kind]
    fix = {
        "os.environ": "Use `self.useFixture(fixtures.EnvironmentVariable('NAME', value))` or "
        "`mock.patch.dict(os.environ, {...})`.",
        "CONF": "Use `self.flags(option=value, group=...)` or the oslo.config fixture's "
        "`config(...)`, which undo the override after the test.",
        "module": "Use `self.stub_out('module.attr', value)`, `mock.patch('module.attr', value)` "
        "or `self.useFixture(fixtures.MonkeyPatch(...))`, which restore the original.",
    }[kind]
    ctx.report(node, what=what, fix=fix)


# ------------------------------------------------------------------ insecure-temp-file

_FS_CALLS = frozenset(
    {
        "open", "io.open", "codecs.open", "os.open", "os.mkdir", "os.makedirs", "os.remove",
        "os.unlink", "os.rename", "os.replace", "os.chmod", "os.chown", "os.symlink",
        "os.link", "os.mkfifo", "os.mknod", "os.rmdir", "shutil.copy", "shutil.copyfile",
        "shutil.copy2", "shutil.move", "shutil.rmtree", "shutil.copytree",
    }
)  # fmt: skip
_PATH_WRITES = frozenset({"write_text", "write_bytes", "mkdir", "touch", "open", "symlink_to"})
_SHARED_TMP = ("/tmp/", "/var/tmp/", "/dev/shm/")  # noqa: S108 - the pattern to detect


def _shared_tmp(node: ast.AST | None) -> str | None:
    value = str_const(node)
    if value is None:
        return None
    if value.startswith(_SHARED_TMP) or value in ("/tmp", "/var/tmp"):  # noqa: S108
        return value
    return None


@register(
    id="insecure-temp-file",
    title="Predictable temporary file name",
    cwe=377,
    severity=Severity.MEDIUM,
    message="`{code}` {detail}; another local user can create that path first (or a symlink "
    "there) and make the code write where they choose.",
    recommendation="Use `tempfile.mkstemp()` / `tempfile.TemporaryDirectory()` (in a test, "
    "`self.useFixture(fixtures.TempDir())`) and build paths inside it.",
    bandit_ids=("B108", "B306"),
    node_types=(ast.Call,),
    call_names=frozenset({"mktemp", *(n.rsplit(".", 1)[-1] for n in _FS_CALLS), *_PATH_WRITES}),
)
def check_insecure_temp_file(node: ast.Call, ctx: Context) -> None:
    dotted = ctx.qualname(node.func)
    if dotted == "tempfile.mktemp":
        if not ctx.is_patched(dotted):
            ctx.report(node, detail="creates a name with `tempfile.mktemp()` without creating "
                       "the file")  # fmt: skip
        return
    if dotted in _FS_CALLS:
        args = [*node.args[:2], *(kw.value for kw in node.keywords if kw.arg in
                                   ("file", "path", "src", "dst", "name"))]  # fmt: skip
        path = next((p for p in map(_shared_tmp, args) if p), None)
        if path is not None and not ctx.is_patched(dotted):
            ctx.report(node, detail=f"uses the fixed shared path {md_code(path)}")
        return
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _PATH_WRITES:
        recv = func.value
        if isinstance(recv, ast.Call) and (ctx.qualname(recv.func) or "").endswith("Path"):
            path = _shared_tmp(recv.args[0]) if recv.args else None
            if path is not None:
                ctx.report(node, detail=f"writes to the fixed shared path {md_code(path)}")


# -------------------------------------------------------------------- temp-not-cleaned

_TEMP_CALLS = frozenset({"tempfile.mkdtemp", "tempfile.mkstemp", "tempfile.NamedTemporaryFile"})
_REMOVERS = frozenset(
    {"rmtree", "unlink", "remove", "removedirs", "rmdir", "addCleanup", "addClassCleanup",
     "useFixture", "cleanup", "cleanUp", "delete_if_exists", "enter_context"}
)  # fmt: skip


@register(
    id="temp-not-cleaned",
    title="Temporary file or directory never removed",
    cwe=459,
    severity=Severity.LOW,
    message="`{code}` creates a temporary {what} that nothing removes, so every run leaves it "
    "behind.",
    recommendation="Use `self.useFixture(fixtures.TempDir())` / `tempfile.TemporaryDirectory()`, "
    "or register `self.addCleanup(shutil.rmtree, path)` / `os.unlink` right after creating it.",
    node_types=(ast.Call,),
    call_names=frozenset({"mkdtemp", "mkstemp", "NamedTemporaryFile"}),
)
def check_temp_not_cleaned(node: ast.Call, ctx: Context) -> None:
    if not ctx.is_test:
        return
    dotted = ctx.qualname(node.func)
    if dotted not in _TEMP_CALLS or ctx.is_patched(dotted):
        return
    if dotted.endswith("NamedTemporaryFile"):
        kw = keyword(node, "delete")
        if kw is None or not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
            return
    if isinstance(ctx.parent, ast.Return):
        return  # a helper hands the path to its caller
    func = ctx.enclosing_function()
    if func is not None and ctx.scope_names(func) & _REMOVERS:
        return
    for method in ("tearDown", "tearDownClass", "cleanUp", "_cleanup"):
        m = ctx.class_method(method)
        if m is not None and ctx.scope_names(m) & _REMOVERS:
            return
    what = "directory" if dotted.endswith("mkdtemp") else "file"
    ctx.report(node, what=what)


# ------------------------------------------------------------- unsafe-deserialization

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


# -------------------------------------------------------------------- thread-not-joined

_SPAWNERS = frozenset(
    {"threading.Thread", "threading.Timer", "eventlet.spawn", "eventlet.spawn_n",
     "eventlet.spawn_after", "eventlet.greenthread.spawn", "eventlet.greenthread.spawn_n",
     "eventlet.greenthread.spawn_after", "greenthread.spawn", "greenthread.spawn_n"}
)  # fmt: skip
_JOINERS = frozenset(
    {"join", "wait", "kill", "cancel", "addCleanup", "useFixture", "stop", "waitall",
     "link", "shutdown"}
)  # fmt: skip


@register(
    id="thread-not-joined",
    title="Thread started by a test and never joined",
    cwe=404,
    severity=Severity.LOW,
    message="`{code}` starts a thread that the test never joins, waits for or kills, so it can "
    "outlive the test and act on the next one.",
    recommendation="Join or kill it before the test ends: `self.addCleanup(thread.join)` (or "
    "`gt.kill`), or run the work synchronously in the test.",
    node_types=(ast.Call,),
    call_names=frozenset({"Thread", "Timer", "spawn", "spawn_n", "spawn_after"}),
)
def check_thread_not_joined(node: ast.Call, ctx: Context) -> None:
    if not ctx.is_test:
        return
    dotted = ctx.qualname(node.func)
    if dotted not in _SPAWNERS or ctx.is_patched(dotted):
        return
    func = ctx.enclosing_function()
    if func is None:
        return
    names = ctx.scope_names(func)
    if names & _JOINERS:
        return
    if dotted.startswith("threading.") and "start" not in names:
        return
    if isinstance(ctx.parent, ast.Return):
        return
    ctx.report(node)


# ------------------------------------------------------------------ bind-all-interfaces

_ALL_INTERFACES = frozenset({"0.0.0.0", "", "::", "[::]"})  # noqa: S104 - the pattern to detect
_BIND_CALLS = frozenset({"bind", "listen", "create_server", "HTTPServer", "ThreadingHTTPServer",
                         "TCPServer", "UDPServer", "ThreadingTCPServer", "make_server",
                         "WSGIServer", "StreamServer"})  # fmt: skip
_HOST_KW = ("host", "bind_host", "listen_host", "address", "bind_address")


def _all_interfaces_host(node: ast.Call) -> str | None:
    name = call_name(node)
    if name in _BIND_CALLS and node.args:
        first = node.args[0]
        if isinstance(first, ast.Tuple) and first.elts:
            host = str_const(first.elts[0])
            if host in _ALL_INTERFACES:
                return host or "''"
        if name in ("make_server", "create_server"):
            host = str_const(first)
            if host in _ALL_INTERFACES:
                return host or "''"
    for kw in node.keywords:
        if kw.arg in _HOST_KW:
            host = str_const(kw.value)
            if host in _ALL_INTERFACES and (host or name in _BIND_CALLS):
                return host or "''"
    return None


@register(
    id="bind-all-interfaces",
    title="Server bound to all network interfaces",
    cwe=1327,
    severity=Severity.MEDIUM,
    severity_test=Severity.LOW,
    message="`{code}` listens on `{host}`, i.e. on every network interface, so anything that "
    "can reach the machine can reach the service.",
    recommendation="Bind to `127.0.0.1` (tests) or to a configured address.",
    bandit_ids=("B104",),
    node_types=(ast.Call,),
    call_names=frozenset({*_BIND_CALLS, "run", "Server", "serve", "start_server"}),
)
def check_bind_all_interfaces(node: ast.Call, ctx: Context) -> None:
    host = _all_interfaces_host(node)
    if host is None:
        return
    dotted = ctx.qualname(node.func)
    if dotted and ctx.is_patched(dotted):
        return
    ctx.report(node, host=host)


# --------------------------------------------------------------- request-without-timeout

_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
_SESSIONS = "request-without-timeout:sessions"


@register(
    id="request-without-timeout",
    title="HTTP request without a timeout",
    cwe=1088,
    severity=Severity.LOW,
    message="`{code}` has no `timeout=`, so an unresponsive server blocks this call forever.",
    recommendation="Pass `timeout=` (seconds, or a `(connect, read)` tuple) from configuration.",
    bandit_ids=("B113",),
    node_types=(ast.Call, ast.Assign),
)
def check_request_timeout(node: ast.AST, ctx: Context) -> None:
    if ctx.is_test:
        return
    if isinstance(node, ast.Assign):
        if isinstance(node.value, ast.Call) and ctx.qualname(node.value.func) in (
            "requests.Session", "requests.session", "requests.sessions.Session"
        ):  # fmt: skip
            for target in node.targets:
                if isinstance(target, ast.Name | ast.Attribute):
                    ctx.state.setdefault(_SESSIONS, set()).add(ctx.segment(target))
        return
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in _HTTP_VERBS:
        return
    if keyword(node, "timeout") is not None or any(kw.arg is None for kw in node.keywords):
        return
    dotted = ctx.qualname(func) or ""
    if (dotted.startswith("requests.") and dotted.count(".") == 1) or ctx.segment(
        func.value
    ) in ctx.state.get(_SESSIONS, ()):
        ctx.report(node)


# ------------------------------------------------------------- archive-path-traversal

_ARCHIVES = "archive-path-traversal:names"
_OPENERS = {"tarfile.open": "tar", "tarfile.TarFile": "tar", "tarfile.TarFile.open": "tar",
            "zipfile.ZipFile": "zip"}  # fmt: skip


def _archive_kind(node: ast.AST, ctx: Context) -> str | None:
    if isinstance(node, ast.Call):
        return _OPENERS.get(ctx.qualname(node.func) or "")
    if isinstance(node, ast.Name | ast.Attribute):
        return ctx.state.get(_ARCHIVES, {}).get(ctx.segment(node))
    return None


@register(
    id="archive-path-traversal",
    title="Archive extracted without checking member paths",
    cwe=22,
    severity=Severity.MEDIUM,
    message="`{code}` extracts {kind} archive without checking its members: a member named "
    "`../../etc/cron.d/x` or an absolute path (or a link) writes outside the target directory.",
    recommendation="{fix}",
    bandit_ids=("B202",),
    node_types=(ast.Call, ast.Assign, ast.withitem),
)
def check_archive_traversal(node: ast.AST, ctx: Context) -> None:
    if isinstance(node, ast.Assign | ast.withitem):
        value = node.value if isinstance(node, ast.Assign) else node.context_expr
        targets = node.targets if isinstance(node, ast.Assign) else [node.optional_vars]
        kind = _archive_kind(value, ctx) if isinstance(value, ast.Call) else None
        if kind is not None:
            for target in targets:
                if isinstance(target, ast.Name | ast.Attribute):
                    ctx.state.setdefault(_ARCHIVES, {})[ctx.segment(target)] = kind
        return
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in ("extractall", "extract"):
        return
    kind = _archive_kind(func.value, ctx)
    if kind is None:
        return
    if kind == "tar":
        if keyword(node, "filter") is not None or keyword(node, "members") is not None:
            return
        fix = (
            "Pass `filter='data'` (Python 3.12+, backported to 3.8.17+), or check every "
            "member's name and type before extracting."
        )
    else:
        if func.attr == "extract":
            return
        scope = ctx.enclosing_function()
        if scope is not None and ctx.scope_names(scope) & {"namelist", "infolist"}:
            return
        fix = "Check each name from `namelist()` (no absolute paths, no `..`) before extracting."
    dotted = ctx.qualname(func)
    if dotted and ctx.is_patched(dotted):
        return
    ctx.report(node, kind="a tar" if kind == "tar" else "a zip", fix=fix)
