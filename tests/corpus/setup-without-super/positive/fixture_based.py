import fixtures
from oslotest import base


class TestImages(base.BaseTestCase):
    def setUp(self):  # expect: setup-without-super
        self.store = {}

    def tearDown(self):  # expect: setup-without-super
        self.store.clear()


class FakeDriverFixture(fixtures.Fixture):
    def setUp(self):  # expect: setup-without-super
        self.driver = object()
