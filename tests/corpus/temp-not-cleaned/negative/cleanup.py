from unittest import mock

from nova import test



import shutil
import tempfile


class TestX(test.NoDBTestCase):
    def test_x(self):
        path = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, path)
