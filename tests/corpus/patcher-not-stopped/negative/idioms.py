import fixtures
import mock

from nova import test


class TestIdioms(test.TestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MockPatch('nova.utils.execute'))
        self.flags(use_cow_images=False)
        self.stub_out('nova.db.api.instance_get', fake_get)
        self.patchers = [mock.patch('a.b'), mock.patch('c.d')]
        for p in self.patchers:
            p.start()
            self.addCleanup(p.stop)
        p2 = mock.patch('e.f')
        p2.start()
        self.addCleanup(lambda: p2.stop())

    @mock.patch('nova.compute.api.API.get')
    def test_decorator(self, mock_get):
        with mock.patch.object(self.api, 'stop') as mock_stop:
            self.api.stop()

    def _patch(self, target):
        patcher = mock.patch(target)
        patcher.start()
        return patcher

    def test_helper(self):
        p = self._patch('x.y')
        self.addCleanup(p.stop)
        thread.start()
        server = self.start_service('compute')
        server.start()
