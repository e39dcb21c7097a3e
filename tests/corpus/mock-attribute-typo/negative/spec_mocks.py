from unittest import mock

from nova.compute import manager
from nova import test


class TestSpecMocks(test.NoDBTestCase):
    # spec, spec_set, autospec and create_autospec: a misspelt attribute raises
    @mock.patch('nova.objects.Instance.save', autospec=True)
    def test_autospec(self, mock_save):
        self.assertFalse(mock_save.called_once)

    def test_spec(self):
        compute = mock.Mock(spec=manager.ComputeManager)
        also = mock.MagicMock(manager.ComputeManager)
        strict = mock.NonCallableMock(spec_set=['host'])
        auto = mock.create_autospec(manager.ComputeManager)
        self.assertEqual(0, compute.call_counts)
        self.assertEqual(0, also.call_counts)
        self.assertIsNone(strict.retun_value)
        self.assertIsNone(auto.retun_value)

    def test_patch_spec(self):
        with mock.patch.object(manager, 'LOG', spec_set=['warning']) as log:
            self.assertFalse(log.called_once)
