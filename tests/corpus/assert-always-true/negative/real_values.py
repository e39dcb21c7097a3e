from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_values(self):
        result = self.api.get()
        assert result, "result must be set"
        self.assertTrue(result.ok)
        self.assertEqual(200, result.status)
