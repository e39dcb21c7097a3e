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
LOW_JUDGEMENTS: dict[str, dict[tuple[str, str, int], tuple[bool, str]]] = {}

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
