from proj.tests import base


class TestLibvirt(base.DriverTestBase):
    def test_spawn_qcow2(self):
        self._test_spawn('qcow2')
