import testtools
from unittest.mock import patch


class TestChained(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.mock_get = patch('requests.get').start()  # expect: patcher-not-stopped
        patch.object(os, 'listdir', return_value=[]).start()  # expect: patcher-not-stopped


def test_module_level():
    patch.multiple('nova.virt.driver', spawn=mock.DEFAULT).start()  # expect: patcher-not-stopped
