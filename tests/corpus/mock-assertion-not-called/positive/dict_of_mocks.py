from unittest import mock

from nova import test


class TestSync(test.NoDBTestCase):
    def setUp(self):
        super().setUp()
        self.mocks = {}
        for name in ('update', 'delete'):
            patcher = mock.patch.object(self.api, name)
            self.mocks[name] = patcher.start()
            self.addCleanup(patcher.stop)

    def test_sync(self):
        self.api.sync()
        self.mocks['update'].assert_called_once  # expect: mock-assertion-not-called
        self.mocks['delete'].assert_not_called()
