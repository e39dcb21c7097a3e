from unittest import mock

from nova import test


class TestServerActions(test.NoDBTestCase):
    def test_reboot(self):
        self.compute.reboot(self.ctx, self.instance)
        self.assertEqual('REBOOT', self.instance.task_state)

    def test_rebuild(self):
        self.compute.rebuild(self.ctx, self.instance)

    def test_reboot(self):  # expect: duplicate-test-definition
        self.compute.reboot(self.ctx, self.instance, hard=True)
        self.assertEqual('REBOOT_HARD', self.instance.task_state)
