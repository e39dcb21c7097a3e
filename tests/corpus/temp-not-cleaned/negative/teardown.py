from unittest import mock

from nova import test



import shutil
import tempfile


class TestX(test.NoDBTestCase):
    def setUp(self):
        super().setUp()
        self.path = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.path)
