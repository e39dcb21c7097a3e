from oslotest import base

from proj.tests.unit import stats_checks


class TestLVMDriver(stats_checks.StatsChecksMixin, base.BaseTestCase):
    def setUp(self):
        super().setUp()
        self.driver = object()
