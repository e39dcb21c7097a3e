from unittest import mock

from proj.tests import base
from proj.tests.unit import mixins


class TestDriver(mixins.DriverMixin, base.TestCase):
    def test_connect(self):
        self.assertTrue(self.get_conn.called is False)


class TestDriverMore(mixins.DriverMixin, base.TestCase):
    def setUp(self):
        super().setUp()
        mixins.start_common_patches(self)
        p = mock.patch('proj.driver.LOG')
        p.start()
