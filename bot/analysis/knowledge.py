"""What the project model knows about classes that are not in the tree under review.

Test classes derive from the standard library's and OpenStack's test bases, which are
installed packages, not files of the change's repository. What each of them does in
``setUp`` was read from its released source, not guessed; the versions read are named
per entry. A base that is neither in the tree nor here is *unknown*: the rules that
depend on it say less (drop to ``low``) instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KNOWN", "KnownClass", "known_class"]


@dataclass(frozen=True)
class KnownClass:
    """The facts of one third-party class, as its source shows them."""

    bases: tuple[str, ...] = ()
    #: registers ``mock.patch.stopall`` for every test
    stopall: bool = False
    #: a config fixture: resets every ``set_override`` at cleanup
    resets_config: bool = False
    #: every test gets a fresh private temporary directory (``tempfile.tempdir`` or
    #: ``TMPDIR`` pointed at it), removed at cleanup
    private_tmpdir: bool = False
    #: its ``setUp``/``tearDown`` do work a subclass must not skip (fixtures, cleanups,
    #: the upcall check); False for ``unittest.TestCase``, whose are empty
    setup_matters: bool = False
    #: the root of unittest's test cases (methods named ``test*`` are collected)
    test_case: bool = False
    #: a thread, process or service: its ``run``/``start`` loop is meant to run until stopped
    runs_forever: bool = False
    #: a fixture (``fixtures.Fixture``): its set-up runs inside the tests that use it
    fixture: bool = False


_UNITTEST = KnownClass(test_case=True)
# testtools 2.9.1, testtools/testcase.py: TestCase(unittest.TestCase).setUp sets
# ``__setup_called`` and the run fails with "TestCase.setUp was not called" otherwise;
# useFixture/addCleanup run fixtures' cleanups. No stopall, no temp dir.
_TESTTOOLS = KnownClass(bases=("unittest.TestCase",), setup_matters=True, test_case=True)
# oslotest 6.1.1, oslotest/base.py: BaseTestCase(testtools.TestCase). ``addCleanup`` is
# overridden to register ``mock.patch.stopall`` before the first cleanup, and setUp always
# adds cleanups (``useFixture`` of Timeout, CaptureOutput, ConfigureLogging,
# ``fixtures.NestedTempfile()`` -- which points ``tempfile.tempdir`` at a fresh TempDir --
# and ``fixtures.TempHomeDir()``), so every patch is stopped and every test has a private
# temporary directory.
_OSLOTEST = KnownClass(
    bases=("testtools.TestCase",), stopall=True, private_tmpdir=True, setup_matters=True,
    test_case=True,
)  # fmt: skip
# fixtures 4.3.2, fixtures/fixture.py: Fixture.setUp runs ``_setUp`` and manages the
# fixture's cleanups; fixtures/testcase.py: TestWithFixtures(unittest.TestCase) only adds
# useFixture.
_FIXTURE = KnownClass(setup_matters=True, fixture=True)
# fixtures 4.3.2, fixtures/_fixtures/tempdir.py: NestedTempfile._setUp makes a TempDir and
# ``MonkeyPatch("tempfile.tempdir", ...)``; TempDir removes its directory at cleanup.
# temphomedir.py: TempHomeDir(TempDir) only sets ``HOME`` to its directory.
_NESTED_TEMPFILE = KnownClass(
    bases=("fixtures.Fixture",), private_tmpdir=True, setup_matters=True, fixture=True
)
# oslo.config 10.7.0, oslo_config/fixture.py: Config(fixtures.Fixture).setUp registers
# ``self.conf.reset`` (and the unregistering of its options) as cleanups: every override
# and default set through it (or through CONF.set_override) is undone after the test.
# Direct attribute assignments on CONF are not overrides and are not undone.
_CONFIG_FIXTURE = KnownClass(
    bases=("fixtures.Fixture",), resets_config=True, setup_matters=True, fixture=True
)
_THREAD = KnownClass(runs_forever=True)

KNOWN: dict[str, KnownClass] = {
    "object": KnownClass(),
    "unittest.TestCase": _UNITTEST,
    "unittest.case.TestCase": _UNITTEST,
    "unittest.IsolatedAsyncioTestCase": KnownClass(bases=("unittest.TestCase",), test_case=True),
    "unittest.async_case.IsolatedAsyncioTestCase": KnownClass(
        bases=("unittest.TestCase",), test_case=True
    ),
    "testtools.TestCase": _TESTTOOLS,
    "testtools.testcase.TestCase": _TESTTOOLS,
    "oslotest.base.BaseTestCase": _OSLOTEST,
    "fixtures.Fixture": _FIXTURE,
    "fixtures.fixture.Fixture": _FIXTURE,
    "fixtures.TestWithFixtures": KnownClass(bases=("unittest.TestCase",), test_case=True),
    "fixtures.testcase.TestWithFixtures": KnownClass(bases=("unittest.TestCase",), test_case=True),
    "fixtures.NestedTempfile": _NESTED_TEMPFILE,
    "fixtures._fixtures.tempdir.NestedTempfile": _NESTED_TEMPFILE,
    "fixtures.TempDir": KnownClass(bases=("fixtures.Fixture",), setup_matters=True, fixture=True),
    "fixtures.TempHomeDir": KnownClass(
        bases=("fixtures.TempDir",), setup_matters=True, fixture=True
    ),
    "oslo_config.fixture.Config": _CONFIG_FIXTURE,
    # oslo.service 3.x, oslo_service/service.py: Service/ServiceBase are daemons whose
    # work runs until ``stop()``.
    "oslo_service.service.Service": _THREAD,
    "oslo_service.service.ServiceBase": _THREAD,
    "threading.Thread": _THREAD,
    "multiprocessing.Process": _THREAD,
    "socketserver.BaseRequestHandler": _THREAD,
    "socketserver.StreamRequestHandler": _THREAD,
    "http.server.BaseHTTPRequestHandler": _THREAD,
    "eventlet.greenthread.GreenThread": _THREAD,
}

#: packages whose classes are all plain, fact-free classes for these rules (the standard
#: library beyond the entries above, typing): a base from them is known, not unknown
_PLAIN_PACKAGES = frozenset(
    {
        "abc", "collections", "enum", "typing", "dict", "list", "str", "int", "Exception",
        "BaseException", "ValueError", "RuntimeError", "TypeError", "KeyError",
        "tuple", "set", "json", "io", "logging", "contextlib", "dataclasses",
    }
)  # fmt: skip


def known_class(dotted: str) -> KnownClass | None:
    """The knowledge about ``dotted`` (``testtools.TestCase``…), or None when unknown."""
    found = KNOWN.get(dotted)
    if found is not None:
        return found
    if dotted.split(".", 1)[0] in _PLAIN_PACKAGES:
        return KNOWN["object"]
    return None
