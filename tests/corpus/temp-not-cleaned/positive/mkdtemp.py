from unittest import mock

from nova import test



import tempfile


class TestX(test.NoDBTestCase):
    def test_x(self):
        path = tempfile.mkdtemp()  # expect: temp-not-cleaned[low]
        self.driver.init(path)
