from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.flags(instances_path='/tmp/instances')
        path = '/tmp/foo'
        self.assertEqual('/tmp/foo/disk', self.driver.disk_path(path))
