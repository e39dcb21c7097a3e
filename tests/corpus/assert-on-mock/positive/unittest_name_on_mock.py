from unittest import mock

from manila import exception
from manila import test


class TestShareAPI(test.TestCase):
    def setUp(self):
        super().setUp()
        self.plugin = mock.Mock()
        self.mgr = mock.MagicMock()

    def test_delete(self):
        self.plugin.assertRaises(exception.NotFound, self.api.delete, 'id')  # expect: assert-on-mock
        self.mgr.x.assertEqual(1, self.api.count())  # expect: assert-on-mock

    def test_local(self):
        with mock.patch.object(self.api, 'db') as db:
            self.api.get('id')
            db.share_get.assertIsNotNone()  # expect: assert-on-mock
