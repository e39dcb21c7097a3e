"""Judgements of the findings bench/precision.py lists, each made by reading the code.

Keys are ``(rule, path, line)`` in the pinned wheel of each project; a finding without a
judgement counts as a false alarm until someone reads it.
"""

from __future__ import annotations

T = "nova/tests/"
# Each was judged by reading the code.
NOVA: dict[tuple[str, str, int], tuple[bool, str]] = {
    ("unbounded-wait-loop", T + "functional/regressions/test_bug_2160224.py", 74): (
        True,
        "`while not get_server_volumes(...)`: time.sleep(0.1)` has no attempt count or "
        "deadline; only the global test timeout stops it if the attachment never appears.",
    ),
    ("assertions-after-raise", T + "functional/test_servers.py", 1156): (
        True,
        "`self.assertEqual(400, cm.exception...)` is inside the `assertRaisesRegex` block "
        "after `_create_server`, which raises: the status code is never checked.",
    ),
    ("assertions-after-raise", T + "functional/test_servers.py", 1163): (
        True,
        "Same helper pattern for update: the status assertion never runs.",
    ),
    ("assertions-after-raise", T + "functional/test_servers.py", 1170): (
        True,
        "Same helper pattern for rebuild: the status assertion never runs.",
    ),
    ("assertions-after-raise", T + "unit/image/test_glance.py", 1398): (
        True,
        "Four mock assertions sit inside `testtools.ExpectedException` after "
        "`service.show()`, which raises: none of them runs.",
    ),
    ("assert-second-arg-not-message", T + "unit/compute/test_compute.py", 1653): (
        True,
        "`assertTrue(mock_attachment_delete.call_count, 1)` only checks the count is "
        "non-zero; `assertEqual(1, ...)` was meant.",
    ),
    ("assert-second-arg-not-message", T + "unit/objects/test_request_spec.py", 702): (
        True,
        "`assertIsNone(req_obj.instance_group, objects.InstanceGroup)`: the class is "
        "passed as the failure message; the intent (a type check) is not asserted.",
    ),
    ("assert-raises-too-broad", T + "unit/compute/test_compute_mgr.py", 9201): (
        True,
        "`assertRaises(Exception, ...)` (with `# noqa` for hacking's H202): any error, "
        "including a TypeError from a wrong signature, passes the test.",
    ),
    ("assert-raises-too-broad", T + "unit/virt/vmwareapi/test_driver_api.py", 117): (
        True,
        "`assertRaises(Exception, driver.VMwareVCDriver, None)`: any failure to build "
        "the driver passes; the message is checked afterwards but only loosely.",
    ),
    ("global-state-not-restored", T + "unit/compute/test_host_api.py", 513): (
        False,
        "`compute.CELLS = [...]` leaks, but nova's `test.TestCase.setUp` resets "
        "`nova.compute.api.CELLS = []` before every test, so no later test sees it.",
    ),
    ("global-state-not-restored", T + "unit/limit/test_placement.py", 306): (
        True,
        "`placement_limits._ENFORCER = mock.Mock(...)` in setUp replaces a module global "
        "and nothing restores it; later tests in the worker get the mock enforcer.",
    ),
    ("global-state-not-restored", T + "unit/objects/test_flavor.py", 284): (
        True,
        "`objects.Flavor._get_projects_from_db = mock_get_projects` replaces a class "
        "attribute for the rest of the worker's run (stub_out/mock.patch would restore it).",
    ),
    ("global-state-not-restored", T + "unit/scheduler/test_host_manager.py", 1085): (
        True,
        "`host_manager.LOG.debug = host_manager.LOG.error` rebinds the module logger's "
        "debug method permanently.",
    ),
    ("global-state-not-restored", T + "unit/test_metadata.py", 1451): (
        True,
        "`handler.MAX_QUERY_NETWORKS = 10` changes a module constant for every later test.",
    ),
    ("global-state-not-restored", T + "unit/test_versions.py", 40): (
        True,
        "`version.loaded = False` under a patched release file: the module then caches "
        "the fake ACME vendor strings for later tests.",
    ),
    ("global-state-not-restored", T + "unit/virt/libvirt/test_imagebackend.py", 1360): (
        True,
        "`rbd_utils.rados = mock.Mock()` in setUp replaces the module's rados binding "
        "and never puts it back.",
    ),
    ("unreachable-assertion", T + "unit/virt/libvirt/test_driver.py", 7533): (
        True,
        "A test body (flags, driver, 17 assertions) was pasted after the `return` of "
        "`_get_guest_config_via_fake_api`; none of it ever runs.",
    ),
}



BANDIT_NOTES = {
    "B108": "a `/tmp` string in fake data passed to mocks: no file is created",
    "B306": "mktemp in a test: a real, if minor, race (we report it too)",
    "B310": "urlopen on a fixed URL in a test: not a defect",
    "B324": "md5/sha1 as a checksum in test data: not a security use",
    "B602": "subprocess with shell=True on a fixed test command",
    "B604": "a mocked call with shell=True: data, not execution",
    "B605": "os.system on a fixed string in a test",
    "B104": "`0.0.0.0` as a fake config value: data, not a bind",
    "B301": "pickle round-trip of the test's own objects",
    "B506": "yaml.load on a literal test document",
    "B113": "requests in a test against a fake server",
    "B314": "ElementTree on literal XML built by the test",
    "B318": "minidom on literal XML built by the test",
    "B320": "lxml on literal XML built by the test",
    "B410": "lxml import in tests",
    "B102": "exec of a literal in a test",
    "B307": "eval of test data",
    "B501": "verify=False against a fake endpoint",
    "B105": "fake password literal",
    "B106": "fake password literal",
    "B311": "random for test names",
    "B608": "table name from the test's own schema, not input (we report it as low)",
    "B103": "a privsep wrapper under `mock.patch('os.chmod')`: nothing is chmod-ed",
}

