from unittest import mock

from nova import test



import fixtures


class TestX(test.NoDBTestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MockPatch('os.sched_setaffinity', create=True))  # expect: patch-create-true
