from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    @mock.patch('nova.virt.driver.ComputeDriver.spawn')
    def test_x(self, m):
        pass
