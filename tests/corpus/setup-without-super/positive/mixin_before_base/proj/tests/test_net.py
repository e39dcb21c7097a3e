from oslotest import base

from proj.tests.mixins import NetworkMixin


class TestNetwork(NetworkMixin, base.BaseTestCase):
    def test_id(self):
        self.assertEqual('net-1', self.network['id'])
