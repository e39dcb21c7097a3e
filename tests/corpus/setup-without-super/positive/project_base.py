import testtools


class TestCase(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.flags_fixture = self.useFixture(self.conf_fixture())


class TestComputeApi(TestCase):
    def setUp(self):  # expect: setup-without-super
        self.api = object()

    def test_api(self):
        self.assertIsNotNone(self.api)
