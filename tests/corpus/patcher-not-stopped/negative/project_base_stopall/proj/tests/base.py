import testtools
from unittest import mock


class BaseTest(testtools.TestCase):
    def setUp(self):
        super(BaseTest, self).setUp()
        self.addCleanup(mock.patch.stopall)
