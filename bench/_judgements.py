# ruff: noqa: E501 - recorded judgements: one long line each
"""Judgements of the findings bench/precision.py lists, each made by reading the code.

``JUDGEMENTS[project]`` maps ``(rule, path, line)`` in the pinned wheel of each project; a finding without a
judgement counts as a false alarm until someone reads it.
"""

from __future__ import annotations

T = "nova/tests/"
# Each was judged by reading the code.

# nova's earlier judgements (kept where the finding is still reported)
NOVA_EARLIER: dict[tuple[str, str, int], tuple[bool, str]] = {
    ("unbounded-wait-loop", "nova/tests/functional/regressions/test_bug_2160224.py", 74): (
        True,
        "`while not get_server_volumes(...)`: time.sleep(0.1)` has no attempt count or deadline; only the global test timeout stops it if the attachment never appears.",
    ),
    ("assertions-after-raise", "nova/tests/functional/test_servers.py", 1156): (
        True,
        "`self.assertEqual(400, cm.exception...)` is inside the `assertRaisesRegex` block after `_create_server`, which raises: the status code is never checked.",
    ),
    ("assertions-after-raise", "nova/tests/functional/test_servers.py", 1163): (
        True,
        "Same helper pattern for update: the status assertion never runs.",
    ),
    ("assertions-after-raise", "nova/tests/functional/test_servers.py", 1170): (
        True,
        "Same helper pattern for rebuild: the status assertion never runs.",
    ),
    ("assertions-after-raise", "nova/tests/unit/image/test_glance.py", 1398): (
        True,
        "Four mock assertions sit inside `testtools.ExpectedException` after `service.show()`, which raises: none of them runs.",
    ),
    ("assert-second-arg-not-message", "nova/tests/unit/compute/test_compute.py", 1653): (
        True,
        "`assertTrue(mock_attachment_delete.call_count, 1)` only checks the count is non-zero; `assertEqual(1, ...)` was meant.",
    ),
    ("assert-second-arg-not-message", "nova/tests/unit/objects/test_request_spec.py", 702): (
        True,
        "`assertIsNone(req_obj.instance_group, objects.InstanceGroup)`: the class is passed as the failure message; the intent (a type check) is not asserted.",
    ),
    ("assert-raises-too-broad", "nova/tests/unit/compute/test_compute_mgr.py", 9201): (
        True,
        "`assertRaises(Exception, ...)` (with `# noqa` for hacking's H202): any error, including a TypeError from a wrong signature, passes the test.",
    ),
    ("assert-raises-too-broad", "nova/tests/unit/virt/vmwareapi/test_driver_api.py", 117): (
        True,
        "`assertRaises(Exception, driver.VMwareVCDriver, None)`: any failure to build the driver passes; the message is checked afterwards but only loosely.",
    ),
    ("global-state-not-restored", "nova/tests/unit/compute/test_host_api.py", 513): (
        False,
        "`compute.CELLS = [...]` leaks, but nova's `test.TestCase.setUp` resets `nova.compute.api.CELLS = []` before every test, so no later test sees it.",
    ),
    ("global-state-not-restored", "nova/tests/unit/limit/test_placement.py", 306): (
        True,
        "`placement_limits._ENFORCER = mock.Mock(...)` in setUp replaces a module global and nothing restores it; later tests in the worker get the mock enforcer.",
    ),
    ("global-state-not-restored", "nova/tests/unit/objects/test_flavor.py", 284): (
        True,
        "`objects.Flavor._get_projects_from_db = mock_get_projects` replaces a class attribute for the rest of the worker's run (stub_out/mock.patch would restore it).",
    ),
    ("global-state-not-restored", "nova/tests/unit/scheduler/test_host_manager.py", 1085): (
        True,
        "`host_manager.LOG.debug = host_manager.LOG.error` rebinds the module logger's debug method permanently.",
    ),
    ("global-state-not-restored", "nova/tests/unit/test_metadata.py", 1451): (
        True,
        "`handler.MAX_QUERY_NETWORKS = 10` changes a module constant for every later test.",
    ),
    ("global-state-not-restored", "nova/tests/unit/test_versions.py", 40): (
        True,
        "`version.loaded = False` under a patched release file: the module then caches the fake ACME vendor strings for later tests.",
    ),
    ("global-state-not-restored", "nova/tests/unit/virt/libvirt/test_imagebackend.py", 1360): (
        True,
        "`rbd_utils.rados = mock.Mock()` in setUp replaces the module's rados binding and never puts it back.",
    ),
    ("unreachable-assertion", "nova/tests/unit/virt/libvirt/test_driver.py", 7533): (
        True,
        "A test body (flags, driver, 17 assertions) was pasted after the `return` of `_get_guest_config_via_fake_api`; none of it ever runs.",
    ),
}

JUDGEMENTS: dict[str, dict[tuple[str, str, int], tuple[bool, str]]] = {
    "glance": {
        ("shell-injection", "glance/tests/functional/v2/test_images.py", 373): (
            False,
            "`qemu-img create ... %s` with a path from `tempfile.mkstemp()` in the test's own helper: no outside input reaches the shell.",
        ),
        ("unbounded-wait-loop", "glance/tests/functional/v2/test_images_import_locking.py", 59): (
            True,
            "A polling loop with a sleep and no attempt count or deadline: if the awaited state never comes the test hangs until the global timeout.",
        ),
        ("global-state-not-restored", "glance/tests/unit/base.py", 77): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/base.py", 78): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/base.py", 79): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/base.py", 82): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/base.py", 83): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/base.py", 84): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/base.py", 85): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 102): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 108): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 115): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 123): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 131): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 139): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 147): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 154): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 607): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 613): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 620): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 628): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 636): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 644): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 652): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 660): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 668): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "glance/tests/unit/test_manage.py", 675): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("test-never-collected", "glance/tests/unit/v2/test_image_data_resource.py", 768): (
            True,
            "Asserts, has no `test` prefix, takes no argument a runner could not give, and its name appears nowhere else in the project: the test body never runs.",
        ),
        ("test-never-collected", "glance/tests/unit/v2/test_image_data_resource.py", 791): (
            True,
            "Asserts, has no `test` prefix, takes no argument a runner could not give, and its name appears nowhere else in the project: the test body never runs.",
        ),
        ("test-never-collected", "glance/tests/unit/v2/test_image_data_resource.py", 805): (
            True,
            "Asserts, has no `test` prefix, takes no argument a runner could not give, and its name appears nowhere else in the project: the test body never runs.",
        ),
    },
    "keystone": {
        ("global-state-not-restored", "keystone/tests/unit/test_cli.py", 276): (
            True,
            "Sets an environment variable with no fixture, cleanup or patch undoing it; later tests in the worker run with it.",
        ),
    },
    "ironic": {
        ("test-never-collected", "ironic/tests/unit/common/test_pxe_utils.py", 1431): (
            True,
            "Asserts, has no `test` prefix, takes no argument a runner could not give, and its name appears nowhere else in the project: the test body never runs.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/common/test_rpc.py", 76): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/common/test_rpc.py", 117): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/common/test_rpc.py", 124): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/common/test_rpc.py", 134): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/common/test_rpc.py", 140): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/console/container/test_console_container.py",
            79,
        ): (
            True,
            "Sets an environment variable with no fixture, cleanup or patch undoing it; later tests in the worker run with it.",
        ),
        ("sql-injection", "ironic/tests/unit/db/sqlalchemy/test_migrations.py", 1628): (
            False,
            "The SQL is built from the migration test's own fixture row (`data['uuid']`, a uuid it inserted): no outside input reaches it; a test-data convenience, not an injection.",
        ),
        ("sql-injection", "ironic/tests/unit/db/sqlalchemy/test_migrations.py", 1644): (
            False,
            "The SQL is built from the migration test's own fixture row (`data['uuid']`, a uuid it inserted): no outside input reaches it; a test-data convenience, not an injection.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            228,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            238,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            247,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            256,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            264,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            272,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            280,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            289,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            313,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/redfish/test_utils.py",
            322,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/test_boot_mode_utils.py",
            53,
        ): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/test_boot_mode_utils.py",
            66,
        ): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        (
            "global-state-not-restored",
            "ironic/tests/unit/drivers/modules/test_boot_mode_utils.py",
            79,
        ): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/drivers/modules/test_ipmitool.py", 131): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/drivers/modules/test_ipmitool.py", 152): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/drivers/modules/test_ipmitool.py", 173): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/drivers/modules/test_ipmitool.py", 193): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/drivers/modules/test_ipmitool.py", 1017): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/drivers/modules/test_ipmitool.py", 2083): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/networking/test_driver_adapter.py", 412): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/networking/test_driver_adapter.py", 413): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/networking/test_driver_adapter.py", 424): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
    },
    "manila": {
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 108): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 118): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 160): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 161): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 162): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 171): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 179): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 180): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 191): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 192): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 194): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 216): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 217): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 219): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 319): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 322): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/api/v2/test_security_service.py", 330): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/cmd/test_api.py", 28): (
            True,
            "Replaces `sys.argv` for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/cmd/test_data.py", 28): (
            True,
            "Replaces `sys.argv` for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/cmd/test_manage.py", 42): (
            True,
            "Replaces `sys.argv` for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/cmd/test_manage.py", 423): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/cmd/test_scheduler.py", 29): (
            True,
            "Replaces `sys.argv` for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/cmd/test_share.py", 44): (
            True,
            "Replaces `sys.argv` for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/data/test_helper.py", 126): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/data/test_helper.py", 127): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/data/test_helper.py", 128): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/data/test_helper.py", 157): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/scheduler/test_host_manager.py", 180): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/scheduler/test_host_manager.py", 315): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/scheduler/test_host_manager.py", 532): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/scheduler/test_host_manager.py", 644): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/scheduler/weighers/test_netapp_aiq.py", 45): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/scheduler/weighers/test_netapp_aiq.py", 46): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/cephfs/test_driver.py", 149): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/cephfs/test_driver.py", 1245): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/cephfs/test_driver.py", 1606): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/cephfs/test_driver.py", 1940): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/cephfs/test_driver.py", 2264): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("assert-always-true", "manila/tests/share/drivers/container/test_driver.py", 260): (
            True,
            "`assertEqual(1, 1)`: the test calls nothing of the code under test and always passes.",
        ),
        ("assert-always-true", "manila/tests/share/drivers/container/test_driver.py", 286): (
            True,
            "`assertEqual(1, 1)`: the test calls nothing of the code under test and always passes.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/glusterfs/test_common.py", 797): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/glusterfs/test_layout_directory.py",
            179,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/glusterfs/test_layout_directory.py",
            186,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "mock-assertion-not-called",
            "manila/tests/share/drivers/glusterfs/test_layout_directory.py",
            365,
        ): (
            True,
            "The assertion method is referenced (or assigned) but never called: it checks nothing.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/hdfs/test_hdfs_native.py", 63): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/hdfs/test_hdfs_native.py", 64): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            205,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            206,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            207,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            208,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            209,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            210,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            211,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            212,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            213,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            215,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hnas/test_driver.py",
            216,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hsp/test_driver.py",
            41,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hsp/test_driver.py",
            42,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hsp/test_driver.py",
            43,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hsp/test_driver.py",
            44,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hitachi/hsp/test_driver.py",
            46,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hpe/test_hpe_3par_driver.py",
            203,
        ): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/hpe/test_hpe_3par_mediator.py",
            1781,
        ): (
            True,
            "Changes an entry of a module-level dict shared by later tests; nothing restores it.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/huawei/test_huawei_nas.py",
            1481,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/ibm/test_gpfs.py", 1299): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/maprfs/test_maprfs.py", 395): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/maprfs/test_maprfs.py", 630): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/maprfs/test_maprfs.py", 636): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/netapp/dataontap/cluster_mode/test_lib_base.py",
            1381,
        ): (
            True,
            "Changes an entry of a module-level dict shared by later tests; nothing restores it.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/netapp/dataontap/cluster_mode/test_lib_base.py",
            1446,
        ): (
            True,
            "Changes an entry of a module-level dict shared by later tests; nothing restores it.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/netapp/dataontap/cluster_mode/test_lib_base.py",
            1491,
        ): (
            True,
            "Changes an entry of a module-level dict shared by later tests; nothing restores it.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/netapp/dataontap/cluster_mode/test_lib_base.py",
            8756,
        ): (
            True,
            "Changes an entry of a module-level dict shared by later tests; nothing restores it.",
        ),
        (
            "mock-assertion-not-called",
            "manila/tests/share/drivers/netapp/dataontap/cluster_mode/test_lib_multi_svm.py",
            3939,
        ): (
            True,
            "The assertion method is referenced (or assigned) but never called: it checks nothing.",
        ),
        (
            "mock-assertion-not-called",
            "manila/tests/share/drivers/netapp/dataontap/cluster_mode/test_lib_multi_svm.py",
            3941,
        ): (
            True,
            "The assertion method is referenced (or assigned) but never called: it checks nothing.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/test_glusterfs.py", 370): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/test_lvm.py", 106): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/test_lvm.py", 134): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/test_lvm.py", 183): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/test_lvm.py", 213): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/test_lvm.py", 255): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/test_lvm.py", 278): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("mock-class-as-replacement", "manila/tests/share/drivers/test_lvm.py", 308): (
            False,
            "`mock.patch.object(driver, '_stats', mock.Mock)` uses the class as a sentinel value that `get_share_stats()` must return (`assertEqual(stats, ...)`): deliberate, the test checks identity with it.",
        ),
        ("mock-class-as-replacement", "manila/tests/share/drivers/test_lvm.py", 314): (
            False,
            "`mock.patch.object(driver, '_stats', mock.Mock)` uses the class as a sentinel value that `get_share_stats()` must return (`assertEqual(stats, ...)`): deliberate, the test checks identity with it.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/test_lvm.py", 379): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/test_lvm.py", 613): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 4117): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 4138): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 4205): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 4245): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 4267): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 4295): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 4324): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 4373): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 4418): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("test-never-collected", "manila/tests/share/test_manager.py", 4658): (
            True,
            "Asserts, has no `test` prefix, takes no argument a runner could not give, and its name appears nowhere else in the project: the test body never runs.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 8250): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 8292): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("global-state-not-restored", "manila/tests/share/test_manager.py", 8686): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
        ("test-never-collected", "manila/tests/share/test_manager.py", 8973): (
            True,
            "Asserts, has no `test` prefix, takes no argument a runner could not give, and its name appears nowhere else in the project: the test body never runs.",
        ),
        ("test-never-collected", "manila/tests/share/test_manager.py", 9005): (
            True,
            "Asserts, has no `test` prefix, takes no argument a runner could not give, and its name appears nowhere else in the project: the test body never runs.",
        ),
        ("test-never-collected", "manila/tests/share/test_manager.py", 9063): (
            True,
            "Asserts, has no `test` prefix, takes no argument a runner could not give, and its name appears nowhere else in the project: the test body never runs.",
        ),
        ("global-state-not-restored", "manila/tests/utils.py", 142): (
            True,
            "Sets an attribute on the `ConfigOpts` object itself (oslo.config 10.7.0 defines no `__setattr__`): `reset()` never removes it, so it shadows the option and every later override of it for the rest of the worker's run.",
        ),
    },
    "octavia": {
        (
            "global-state-not-restored",
            "octavia/tests/functional/amphorae/backend/agent/api_server/test_server.py",
            820,
        ): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        (
            "global-state-not-restored",
            "octavia/tests/functional/amphorae/backend/agent/api_server/test_server.py",
            2863,
        ): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "octavia/tests/unit/cmd/test_driver_agent.py", 193): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "octavia/tests/unit/cmd/test_driver_agent.py", 205): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("global-state-not-restored", "octavia/tests/unit/cmd/test_driver_agent.py", 218): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "octavia/tests/unit/common/jinja/lvs/test_jinja_cfg.py",
            372,
        ): (
            True,
            "Changes an entry of a module-level dict shared by later tests; nothing restores it.",
        ),
        (
            "global-state-not-restored",
            "octavia/tests/unit/common/jinja/lvs/test_jinja_cfg.py",
            781,
        ): (
            True,
            "Changes an entry of a module-level dict shared by later tests; nothing restores it.",
        ),
        (
            "global-state-not-restored",
            "octavia/tests/unit/controller/worker/v2/tasks/test_compute_tasks.py",
            94,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "assert-second-arg-not-message",
            "octavia/tests/unit/controller/worker/v2/tasks/test_compute_tasks.py",
            616,
        ): (
            False,
            "`assertFalse(mock.called, sg_id)` with `sg_id = None`: the call check is complete; the second argument is a (useless) message, nothing was meant to be compared.",
        ),
        (
            "global-state-not-restored",
            "octavia/tests/unit/controller/worker/v2/tasks/test_network_tasks.py",
            85,
        ): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
    },
    "nova": {
        ("global-state-not-restored", "nova/tests/functional/libvirt/test_server_shares.py", 310): (
            True,
            "Sets an environment variable with no fixture, cleanup or patch undoing it; later tests in the worker run with it.",
        ),
        ("global-state-not-restored", "nova/tests/functional/libvirt/test_server_shares.py", 415): (
            True,
            "Sets an environment variable with no fixture, cleanup or patch undoing it; later tests in the worker run with it.",
        ),
        ("global-state-not-restored", "nova/tests/functional/libvirt/test_server_shares.py", 454): (
            True,
            "Sets an environment variable with no fixture, cleanup or patch undoing it; later tests in the worker run with it.",
        ),
        (
            "unbounded-wait-loop",
            "nova/tests/functional/regressions/test_bug_2160224.py",
            74,
        ): NOVA_EARLIER[
            ("unbounded-wait-loop", "nova/tests/functional/regressions/test_bug_2160224.py", 74)
        ],
        ("assertions-after-raise", "nova/tests/functional/test_servers.py", 1156): NOVA_EARLIER[
            ("assertions-after-raise", "nova/tests/functional/test_servers.py", 1156)
        ],
        ("assertions-after-raise", "nova/tests/functional/test_servers.py", 1163): NOVA_EARLIER[
            ("assertions-after-raise", "nova/tests/functional/test_servers.py", 1163)
        ],
        ("assertions-after-raise", "nova/tests/functional/test_servers.py", 1170): NOVA_EARLIER[
            ("assertions-after-raise", "nova/tests/functional/test_servers.py", 1170)
        ],
        (
            "assert-second-arg-not-message",
            "nova/tests/unit/compute/test_compute.py",
            1653,
        ): NOVA_EARLIER[
            ("assert-second-arg-not-message", "nova/tests/unit/compute/test_compute.py", 1653)
        ],
        (
            "assert-raises-too-broad",
            "nova/tests/unit/compute/test_compute_mgr.py",
            9201,
        ): NOVA_EARLIER[
            ("assert-raises-too-broad", "nova/tests/unit/compute/test_compute_mgr.py", 9201)
        ],
        ("global-state-not-restored", "nova/tests/unit/compute/test_compute_mgr.py", 9237): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        ("assertions-after-raise", "nova/tests/unit/image/test_glance.py", 1398): NOVA_EARLIER[
            ("assertions-after-raise", "nova/tests/unit/image/test_glance.py", 1398)
        ],
        ("global-state-not-restored", "nova/tests/unit/limit/test_placement.py", 306): NOVA_EARLIER[
            ("global-state-not-restored", "nova/tests/unit/limit/test_placement.py", 306)
        ],
        (
            "assert-second-arg-not-message",
            "nova/tests/unit/objects/test_request_spec.py",
            702,
        ): NOVA_EARLIER[
            ("assert-second-arg-not-message", "nova/tests/unit/objects/test_request_spec.py", 702)
        ],
        (
            "global-state-not-restored",
            "nova/tests/unit/scheduler/test_host_manager.py",
            1085,
        ): NOVA_EARLIER[
            ("global-state-not-restored", "nova/tests/unit/scheduler/test_host_manager.py", 1085)
        ],
        ("global-state-not-restored", "nova/tests/unit/test_metadata.py", 1451): NOVA_EARLIER[
            ("global-state-not-restored", "nova/tests/unit/test_metadata.py", 1451)
        ],
        ("global-state-not-restored", "nova/tests/unit/test_utils.py", 252): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "nova/tests/unit/test_utils.py", 262): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "nova/tests/unit/test_utils.py", 277): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "nova/tests/unit/test_versions.py", 40): NOVA_EARLIER[
            ("global-state-not-restored", "nova/tests/unit/test_versions.py", 40)
        ],
        ("test-never-collected", "nova/tests/unit/virt/libvirt/test_config.py", 2843): (
            True,
            "Asserts, has no `test` prefix, takes no argument a runner could not give, and its name appears nowhere else in the project: the test body never runs.",
        ),
        (
            "unreachable-assertion",
            "nova/tests/unit/virt/libvirt/test_driver.py",
            7533,
        ): NOVA_EARLIER[
            ("unreachable-assertion", "nova/tests/unit/virt/libvirt/test_driver.py", 7533)
        ],
        ("global-state-not-restored", "nova/tests/unit/virt/libvirt/test_guest.py", 981): (
            True,
            "Changes a module-level attribute and nothing restores it (no cleanup, `finally`, patch or base-class set-up reset); later tests in the worker see the changed value.",
        ),
        ("global-state-not-restored", "nova/tests/unit/virt/libvirt/test_imagebackend.py", 1359): (
            True,
            "Replaces a module-level function or object with a mock for good (no `mock.patch`, cleanup or base-class reset; the project's restoring helper is not used): later tests in the worker call the mock.",
        ),
        (
            "global-state-not-restored",
            "nova/tests/unit/virt/libvirt/test_imagebackend.py",
            1360,
        ): NOVA_EARLIER[
            ("global-state-not-restored", "nova/tests/unit/virt/libvirt/test_imagebackend.py", 1360)
        ],
        ("global-state-not-restored", "nova/tests/unit/virt/vmwareapi/test_vmops.py", 195): (
            True,
            "Changes an entry of a module-level dict shared by later tests; nothing restores it.",
        ),
    },
}

# Low findings sampled by bench/precision.py (30 per project); unjudged ones are shown as
# such and left out of the rate.
#: the judged sample of 30 low findings per project (all of them where there are fewer)
LOW_JUDGEMENTS: dict[str, dict[tuple[str, str, int], tuple[bool, str]]] = {
    "nova": {
        ("temp-not-cleaned", "nova/tests/fixtures/nova.py", 93): (
            False,
            "The helper's docstring requires `fixtures.NestedTempfile()`, which the fixtures using it install: the file lives in a per-test directory removed at test end.",
        ),
        ("global-state-not-restored", "nova/tests/fixtures/policy.py", 52): (
            False,
            "`RealPolicyFixture.setUp` runs under nova's base test class, whose oslo.config fixture resets every override at cleanup.",
        ),
        ("sleep-synchronization", "nova/tests/functional/test_servers.py", 6358): (
            True,
            "A blind one-second wait for an asynchronous cleanup, as its comment admits: on a slow node it may not be long enough.",
        ),
        ("patch-create-true", "nova/tests/unit/compute/test_compute_mgr.py", 9569): (
            False,
            "The test case itself stands in for the decorated object (`some_image_related_op(self, ...)`): there is no real object whose attribute could differ.",
        ),
        ("exception-swallowed", "nova/tests/unit/conductor/tasks/test_base.py", 43): (
            False,
            "The exception is the expected outcome of the wrapper under test and the next line asserts the rollback it triggers: nothing is lost.",
        ),
        ("float-exact-equality", "nova/tests/unit/console/securityproxy/test_rfb.py", 115): (
            False,
            "`_parse_version` turns '012.034' into the same literal 12.34: the exact comparison is of the same parsed value.",
        ),
        ("float-exact-equality", "nova/tests/unit/objects/test_compute_node.py", 643): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        (
            "float-exact-equality",
            "nova/tests/unit/scheduler/filters/test_numa_topology_filters.py",
            144,
        ): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        ("float-exact-equality", "nova/tests/unit/scheduler/test_utils.py", 2214): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        (
            "float-exact-equality",
            "nova/tests/unit/scheduler/weights/test_weights_affinity.py",
            160,
        ): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        (
            "float-exact-equality",
            "nova/tests/unit/scheduler/weights/test_weights_affinity.py",
            257,
        ): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        ("float-exact-equality", "nova/tests/unit/scheduler/weights/test_weights_cpu.py", 189): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        (
            "float-exact-equality",
            "nova/tests/unit/scheduler/weights/test_weights_ioopsweight.py",
            106,
        ): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        (
            "float-exact-equality",
            "nova/tests/unit/scheduler/weights/test_weights_metrics.py",
            221,
        ): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        ("float-exact-equality", "nova/tests/unit/scheduler/weights/test_weights_pci.py", 208): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        ("float-exact-equality", "nova/tests/unit/scheduler/weights/test_weights_ram.py", 147): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        ("hardcoded-credential", "nova/tests/unit/test_crypto.py", 47): (
            False,
            "A throwaway RSA key made for the crypto unit tests, not a credential of anything.",
        ),
        ("sleep-synchronization", "nova/tests/unit/test_thread_pool_factory.py", 858): (
            True,
            "`time.sleep(1)` waits for a worker thread to pick a task up, then asserts on the queue: a fixed wait for an event in another thread.",
        ),
        ("sleep-synchronization", "nova/tests/unit/test_thread_pool_factory.py", 1001): (
            True,
            "Same fixed wait for the executor thread to pick the task up before asserting.",
        ),
        ("sleep-synchronization", "nova/tests/unit/test_thread_pool_factory.py", 1186): (
            True,
            "Same fixed wait for the wrapper to start waiting on the deadline before asserting.",
        ),
        ("float-exact-equality", "nova/tests/unit/virt/libvirt/test_driver.py", 3122): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        ("patch-create-true", "nova/tests/unit/virt/libvirt/test_driver.py", 10201): (
            False,
            "fakelibvirt lacks the constant the real libvirt has: the optional-platform-attribute use `create=True` is for.",
        ),
        ("global-state-not-restored", "nova/tests/unit/virt/libvirt/test_driver.py", 10962): (
            False,
            "`create_fake_libvirt_mock` replaced `LibvirtDriver._conn` with a fake through `stub_out`; the attribute is set on that fake, which is discarded when the stub is undone.",
        ),
        ("global-state-not-restored", "nova/tests/unit/virt/libvirt/test_driver.py", 18082): (
            False,
            "Set on the fake `_conn` installed by `stub_out` (undone at cleanup).",
        ),
        ("global-state-not-restored", "nova/tests/unit/virt/libvirt/test_driver.py", 18169): (
            False,
            "Set on the fake `_conn` installed by `stub_out` (undone at cleanup).",
        ),
        ("global-state-not-restored", "nova/tests/unit/virt/libvirt/test_driver.py", 18201): (
            False,
            "Set on the fake `_conn` installed by `stub_out` (undone at cleanup).",
        ),
        ("thread-not-joined", "nova/tests/unit/virt/libvirt/test_driver.py", 33234): (
            False,
            "The helper returns the thread and its caller joins it (`thread.join()`).",
        ),
        ("patch-create-true", "nova/tests/unit/virt/libvirt/test_host.py", 1833): (
            False,
            "`builtins.open` exists: `create=True` is redundant but no attribute is invented.",
        ),
        ("patch-create-true", "nova/tests/unit/virt/libvirt/test_host.py", 1851): (
            False,
            "`builtins.open` exists: `create=True` is redundant but no attribute is invented.",
        ),
        ("global-state-not-restored", "nova/tests/unit/virt/libvirt/test_imagebackend.py", 1489): (
            False,
            "`rbd_utils.rbd` is the Mock the class's setUp put there (that leak is the medium finding at line 1359); setting a constant on it changes nothing else.",
        ),
    },
    "glance": {
        ("exception-swallowed", "glance/tests/__init__.py", 48): (
            False,
            "Best-effort shutdown of executor pools at interpreter teardown: ignoring a failure there is deliberate.",
        ),
        ("exception-swallowed", "glance/tests/functional/__init__.py", 464): (
            False,
            "tearDown terminating a cache worker best-effort before clearing it.",
        ),
        ("exception-swallowed", "glance/tests/functional/__init__.py", 479): (
            False,
            "tearDown shutting pools down best-effort before the base tearDown.",
        ),
        ("thread-not-joined", "glance/tests/functional/__init__.py", 539): (
            True,
            "A daemon thread running the staging cleaner is started and never joined; its comment says it may still be running at shutdown, so it can outlive the test.",
        ),
        ("exception-swallowed", "glance/tests/functional/serial/test_scrubber.py", 58): (
            False,
            "Stopping a scrubber process at cleanup; errors when it already exited are ignored on purpose.",
        ),
        ("sleep-synchronization", "glance/tests/functional/serial/test_scrubber.py", 228): (
            True,
            "`time.sleep(5)` to 'give the scrubber some time to start': a fixed wait for a daemon to come up.",
        ),
        ("exception-swallowed", "glance/tests/functional/test_staging_cleanup.py", 89): (
            False,
            "A bounded polling loop waiting for the API to answer: the exception means 'not up yet' and the loop retries.",
        ),
        ("thread-not-joined", "glance/tests/functional/v2/test_image_decompression.py", 142): (
            False,
            "The helper returns the server and its thread; the tests call `httpd.shutdown()`, which ends `serve_forever`.",
        ),
        ("temp-not-cleaned", "glance/tests/functional/v2/test_images.py", 368): (
            False,
            "The caller removes the file (`os.remove(fn)`) after uploading it.",
        ),
        (
            "patch-create-true",
            "glance/tests/unit/async_/flows/plugins/test_image_decompression.py",
            183,
        ): (
            False,
            "`lhafile` is an optional import that exists only when the library is installed: the optional-attribute case `create=True` is for.",
        ),
        (
            "patch-create-true",
            "glance/tests/unit/async_/flows/plugins/test_image_decompression.py",
            234,
        ): (
            False,
            "Optional `lhafile` import, as above.",
        ),
        (
            "patch-create-true",
            "glance/tests/unit/async_/flows/plugins/test_image_decompression.py",
            275,
        ): (
            False,
            "Optional `lhafile` import, as above.",
        ),
        (
            "patch-create-true",
            "glance/tests/unit/async_/flows/plugins/test_image_decompression.py",
            310,
        ): (
            False,
            "Optional `lhafile` import, as above.",
        ),
        (
            "patch-create-true",
            "glance/tests/unit/async_/flows/plugins/test_image_decompression.py",
            342,
        ): (
            False,
            "Optional `lhafile` import, as above.",
        ),
        ("patch-create-true", "glance/tests/unit/common/scripts/test_scripts_utils.py", 317): (
            False,
            "`builtins.open` exists: `create=True` is redundant but no attribute is invented.",
        ),
        ("thread-not-joined", "glance/tests/utils.py", 538): (
            False,
            "The helper returns the server and thread; callers shut the server down, which ends the thread.",
        ),
        ("thread-not-joined", "glance/tests/utils.py", 679): (
            False,
            "Same helper pattern: the callers call `httpd.shutdown()`.",
        ),
        ("thread-not-joined", "glance/tests/utils.py", 706): (
            False,
            "Same helper pattern: the callers call `httpd.shutdown()`.",
        ),
    },
    "keystone": {
        ("weak-random-secret", "keystone/tests/unit/common/test_password_hashing.py", 42): (
            False,
            "`random.randint` only picks the length of a test input whose characters come from `secrets`: nothing secret is made.",
        ),
        ("weak-random-secret", "keystone/tests/unit/common/test_password_hashing.py", 57): (
            False,
            "`random.randint` only picks the length of a test input whose characters come from `secrets`: nothing secret is made.",
        ),
        ("weak-random-secret", "keystone/tests/unit/common/test_password_hashing.py", 72): (
            False,
            "`random.randint` only picks the length of a test input whose characters come from `secrets`: nothing secret is made.",
        ),
        ("weak-random-secret", "keystone/tests/unit/common/test_password_hashing.py", 87): (
            False,
            "`random.randint` only picks the length of a test input whose characters come from `secrets`: nothing secret is made.",
        ),
        ("unsafe-deserialization", "keystone/tests/unit/fakeldap.py", 268): (
            False,
            "The fake LDAP backend opens a shelve file named by the test's own configuration: no outside data.",
        ),
        ("unsafe-deserialization", "keystone/tests/unit/fakeldap.py", 685): (
            False,
            "Same fake LDAP pool backend opening the test's own shelve file.",
        ),
        ("weak-hash-security", "keystone/tests/unit/receipt/test_fernet_provider.py", 291): (
            False,
            "SHA1 reproduces keystone's key-repository thumbprint, an identifier, not a security use.",
        ),
        ("global-state-not-restored", "keystone/tests/unit/server/test_keystone_flask.py", 725): (
            False,
            "`flask.request` inside `test_request_context()` is request-local: the attribute goes with the context.",
        ),
        ("exception-swallowed", "keystone/tests/unit/test_v3.py", 1047): (
            False,
            "An assertion helper that tries each listed role and counts matches: the failure of a non-matching one is the expected answer.",
        ),
        ("exception-swallowed", "keystone/tests/unit/test_v3.py", 1140): (
            False,
            "Same matching helper for role assignments.",
        ),
        ("global-state-not-restored", "keystone/tests/unit/test_v3_trust.py", 1109): (
            False,
            "`flask.request.environ` inside `app.test_request_context()` is per request, discarded at the end of the `with`.",
        ),
        ("global-state-not-restored", "keystone/tests/unit/test_v3_trust.py", 1112): (
            False,
            "Same request-local environ.",
        ),
        ("weak-hash-security", "keystone/tests/unit/token/test_fernet_provider.py", 812): (
            False,
            "SHA1 thumbprint of the key repository, as in the receipt test.",
        ),
    },
    "ironic": {
        ("global-state-not-restored", "ironic/tests/unit/api/test_method.py", 45): (
            False,
            "`api.response` is pecan's per-request proxy, set inside a test controller's exposed method.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/api/test_method.py", 51): (
            False,
            "Same per-request response proxy.",
        ),
        ("patch-create-true", "ironic/tests/unit/command/test_dbsync.py", 96): (
            False,
            "`create=True` adds stand-in migration functions that the mocked migration list names on purpose: there is no real attribute to drift from.",
        ),
        ("patch-create-true", "ironic/tests/unit/command/test_dbsync.py", 110): (
            False,
            "`create=True` adds stand-in migration functions that the mocked migration list names on purpose: there is no real attribute to drift from.",
        ),
        ("patch-create-true", "ironic/tests/unit/command/test_dbsync.py", 126): (
            False,
            "`create=True` adds stand-in migration functions that the mocked migration list names on purpose: there is no real attribute to drift from.",
        ),
        ("patch-create-true", "ironic/tests/unit/command/test_dbsync.py", 141): (
            False,
            "`create=True` adds stand-in migration functions that the mocked migration list names on purpose: there is no real attribute to drift from.",
        ),
        ("patch-create-true", "ironic/tests/unit/command/test_dbsync.py", 156): (
            False,
            "`create=True` adds stand-in migration functions that the mocked migration list names on purpose: there is no real attribute to drift from.",
        ),
        ("patch-create-true", "ironic/tests/unit/command/test_dbsync.py", 157): (
            False,
            "`create=True` adds stand-in migration functions that the mocked migration list names on purpose: there is no real attribute to drift from.",
        ),
        ("patch-create-true", "ironic/tests/unit/command/test_dbsync.py", 174): (
            False,
            "`create=True` adds stand-in migration functions that the mocked migration list names on purpose: there is no real attribute to drift from.",
        ),
        ("patch-create-true", "ironic/tests/unit/common/test_glance_service.py", 266): (
            False,
            "Patching `<module>.open` (shadowing the builtin for that module only) needs `create=True`; the builtin it stands for exists.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/common/test_neutron.py", 1075): (
            True,
            "Rebinds the tenacity stop condition of the module-level `wait_for_host_agent` and never restores it: later tests get at most 3 attempts.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/common/test_neutron.py", 1086): (
            True,
            "Same unrestored change to `wait_for_host_agent.retry.stop`.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/common/test_neutron.py", 1124): (
            True,
            "Same unrestored change to `wait_for_port_status.retry.stop`.",
        ),
        ("tls-verification-disabled", "ironic/tests/unit/common/test_oci_registry.py", 1400): (
            False,
            "`ssl.CERT_NONE` is the expected value in an `assertEqual` checking the code's context: nothing is turned off by the test.",
        ),
        ("unsafe-deserialization", "ironic/tests/unit/common/test_service.py", 79): (
            False,
            "`pickle.loads` of the bytes the test pickled one line above.",
        ),
        (
            "sleep-synchronization",
            "ironic/tests/unit/common/trait_based_networking/test_loader.py",
            73,
        ): (
            False,
            "The sleep makes the file's mtime change (one-second granularity), it does not wait for another thread: deterministic.",
        ),
        ("unsafe-deserialization", "ironic/tests/unit/conductor/test_rpc_service.py", 485): (
            False,
            "`pickle.loads` of data the test itself produced.",
        ),
        ("unsafe-deserialization", "ironic/tests/unit/conductor/test_rpc_service.py", 534): (
            False,
            "`pickle.loads` of data the test itself produced.",
        ),
        ("patch-create-true", "ironic/tests/unit/drivers/modules/ansible/test_deploy.py", 544): (
            False,
            "Patching `<module>.open` (shadowing the builtin for that module only) needs `create=True`; the builtin it stands for exists.",
        ),
        ("patch-create-true", "ironic/tests/unit/drivers/modules/ansible/test_deploy.py", 647): (
            False,
            "Patching `<module>.open` (shadowing the builtin for that module only) needs `create=True`; the builtin it stands for exists.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/drivers/modules/drac/test_raid.py", 160): (
            True,
            "Sets `retry.stop` on the module-level retrying function and never puts it back.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/drivers/modules/drac/test_raid.py", 173): (
            True,
            "Replaces `retry.sleep` of the module-level retrying function with a Mock for good.",
        ),
        ("global-state-not-restored", "ironic/tests/unit/drivers/modules/drac/test_raid.py", 187): (
            True,
            "Same unrestored `retry.sleep` replacement.",
        ),
        (
            "patch-create-true",
            "ironic/tests/unit/drivers/modules/redfish/test_firmware_utils.py",
            193,
        ): (
            False,
            "Patching `<module>.open` (shadowing the builtin for that module only) needs `create=True`; the builtin it stands for exists.",
        ),
        (
            "patch-create-true",
            "ironic/tests/unit/drivers/modules/redfish/test_firmware_utils.py",
            215,
        ): (
            False,
            "Patching `<module>.open` (shadowing the builtin for that module only) needs `create=True`; the builtin it stands for exists.",
        ),
        ("weak-random-secret", "ironic/tests/unit/drivers/modules/test_console_utils.py", 216): (
            False,
            "A random test password written to a temp file by the code under test: no secret is protected by it.",
        ),
        ("patch-create-true", "ironic/tests/unit/drivers/modules/test_deploy_utils.py", 3615): (
            False,
            "`create=True` gives the fake driver classes a `capabilities` attribute for this test: deliberate stand-ins, no real attribute.",
        ),
        ("patch-create-true", "ironic/tests/unit/drivers/modules/test_deploy_utils.py", 3647): (
            False,
            "`create=True` gives the fake driver classes a `capabilities` attribute for this test: deliberate stand-ins, no real attribute.",
        ),
        ("patch-create-true", "ironic/tests/unit/drivers/modules/test_deploy_utils.py", 3677): (
            False,
            "`create=True` gives the fake driver classes a `capabilities` attribute for this test: deliberate stand-ins, no real attribute.",
        ),
        ("patch-create-true", "ironic/tests/unit/drivers/test_utils.py", 473): (
            False,
            "Patching `<module>.open` (shadowing the builtin for that module only) needs `create=True`; the builtin it stands for exists.",
        ),
    },
    "manila": {
        ("float-exact-equality", "manila/tests/scheduler/evaluator/test_evaluator.py", 34): (
            False,
            "The expected values are exact binary fractions (2.5, 4.25, 5.25, 15.625) of exact arithmetic: no rounding can differ.",
        ),
        ("float-exact-equality", "manila/tests/scheduler/evaluator/test_evaluator.py", 38): (
            False,
            "The expected values are exact binary fractions (2.5, 4.25, 5.25, 15.625) of exact arithmetic: no rounding can differ.",
        ),
        ("float-exact-equality", "manila/tests/scheduler/evaluator/test_evaluator.py", 39): (
            False,
            "The expected values are exact binary fractions (2.5, 4.25, 5.25, 15.625) of exact arithmetic: no rounding can differ.",
        ),
        ("float-exact-equality", "manila/tests/scheduler/evaluator/test_evaluator.py", 40): (
            False,
            "The expected values are exact binary fractions (2.5, 4.25, 5.25, 15.625) of exact arithmetic: no rounding can differ.",
        ),
        ("float-exact-equality", "manila/tests/scheduler/evaluator/test_evaluator.py", 50): (
            False,
            "The expected values are exact binary fractions (2.5, 4.25, 5.25, 15.625) of exact arithmetic: no rounding can differ.",
        ),
        ("float-exact-equality", "manila/tests/share/drivers/cephfs/test_driver.py", 1169): (
            False,
            "The driver rounds to two decimals (`round(..., 2)`): the literal is the rounded value.",
        ),
        ("float-exact-equality", "manila/tests/share/drivers/cephfs/test_driver.py", 1170): (
            False,
            "Rounded to two decimals by the driver, as above.",
        ),
        ("global-state-not-restored", "manila/tests/share/drivers/ganesha/test_manager.py", 1089): (
            False,
            "`manager.rados` is the test's own fake `MockRadosModule` (installed with `mock_object`); the change is to a test fake.",
        ),
        (
            "global-state-not-restored",
            "manila/tests/share/drivers/glusterfs/test_layout_directory.py",
            365,
        ): (
            False,
            "`privsep_os.mkdir` is a mock installed by the test, so nothing global changes; the line is a different defect (an assignment where `assert_called_once_with(...)` was meant), not a leak.",
        ),
        ("float-exact-equality", "manila/tests/share/drivers/hitachi/hnas/test_ssh.py", 1405): (
            False,
            "0.01953125 is 20/1024, exact in binary: the computation gives exactly it.",
        ),
        (
            "float-exact-equality",
            "manila/tests/share/drivers/infortrend/test_infortrend_nas.py",
            426,
        ): (
            False,
            "The code under test rounds to two decimals (`round(..., 2)`).",
        ),
        (
            "float-exact-equality",
            "manila/tests/share/drivers/netapp/dataontap/cluster_mode/test_data_motion.py",
            662,
        ): (
            False,
            "`wait_time / 5` compared with an integer count for multiples of 5: exact.",
        ),
        ("float-exact-equality", "manila/tests/share/drivers/vastdata/test_driver.py", 128): (
            False,
            "The same deterministic computation always gives the same double: the full-precision literal cannot differ.",
        ),
        ("float-exact-equality", "manila/tests/share/drivers/vastdata/test_driver.py", 129): (
            False,
            "Deterministic computation, as above.",
        ),
        ("float-exact-equality", "manila/tests/share/drivers/vastdata/test_driver.py", 146): (
            False,
            "The float is stored and read back (or parsed from the same literal), not computed: the exact comparison cannot differ by rounding.",
        ),
        ("float-exact-equality", "manila/tests/share/drivers/vastdata/test_driver.py", 147): (
            False,
            "Deterministic computation, as above.",
        ),
        ("unsafe-deserialization", "manila/tests/share/drivers/vastdata/test_driver_util.py", 79): (
            False,
            "`pickle.loads` of the bytes the test pickled one line above.",
        ),
        ("int-of-true-division", "manila/tests/share/drivers/veritas/test_veritas_isa.py", 153): (
            False,
            "`int(len(name) / 2)` on a short name length: far from 2**53.",
        ),
        ("global-state-not-restored", "manila/tests/wsgi/test_wsgi.py", 31): (
            True,
            "`wsgi.sys` is the `sys` module: `sys.argv` is replaced for the whole process and never restored.",
        ),
    },
    "octavia": {
        (
            "patch-create-true",
            "octavia/tests/functional/amphorae/backend/agent/api_server/test_keepalivedlvs.py",
            117,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/functional/amphorae/backend/agent/api_server/test_server.py",
            862,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/functional/amphorae/backend/agent/api_server/test_server.py",
            1354,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/functional/amphorae/backend/agent/api_server/test_server.py",
            1724,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/functional/amphorae/backend/agent/api_server/test_server.py",
            2082,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/functional/amphorae/backend/agent/api_server/test_server.py",
            2512,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/agent/api_server/test_amphora_info.py",
            516,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/agent/api_server/test_plug.py",
            76,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/agent/api_server/test_plug.py",
            119,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/agent/api_server/test_plug.py",
            150,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/agent/api_server/test_plug.py",
            207,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/agent/api_server/test_plug.py",
            261,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/agent/api_server/test_plug.py",
            413,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            331,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            458,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            462,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            592,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            595,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            663,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            667,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            860,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            863,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            867,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            933,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            1055,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            1059,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            1207,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            1210,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            1280,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
        (
            "patch-create-true",
            "octavia/tests/unit/amphorae/backends/utils/test_interface.py",
            1284,
        ): (
            False,
            "pyroute2 builds `NetNS`/`IPRoute` and their methods lazily at run time, so `mock.patch` cannot see them without `create=True`; they exist on the real object.",
        ),
    },
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
