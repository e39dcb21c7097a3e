from unittest import mock

from nova import exception
from nova import test


class TestResize(test.NoDBTestCase):
    @mock.patch('nova.compute.api.API._record_action_start')
    @mock.patch('nova.objects.Instance.save')
    def test_resize_fails(self, mock_save, mock_record):
        mock_save.side_effects = exception.InstanceNotFound(instance_id='x')  # expect: mock-attribute-typo
        self.compute_api.resize(self.context, self.instance)
        self.assertTrue(mock_record.called_once)  # expect: mock-attribute-typo
