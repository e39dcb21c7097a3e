from unittest import mock

import fixtures

from manila import test


class TestShareManager(test.TestCase):
    def test_create(self):
        driver = mock.Mock(retun_value=None)  # expect: mock-attribute-typo
        with mock.patch.object(self.share_manager, 'db') as mock_db:
            mock_db.share_get.side_effet = [self.share]  # expect: mock-attribute-typo
            self.share_manager.create_share(self.context, 'id', driver=driver)
        mock_db.reset_mocks()  # expect: mock-attribute-typo

    def test_fixture(self):
        m = self.useFixture(fixtures.MockPatch('manila.utils.execute')).mock
        self.share_manager.delete_share(self.context, 'id')
        self.assertEqual([], m.call_arg_list)  # expect: mock-attribute-typo
