from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    @mock.patch('nova.virt.driver.ComputeDriver.new_method', create=True)  # expect: patch-create-true[low]
    def test_x(self, m):
        pass
