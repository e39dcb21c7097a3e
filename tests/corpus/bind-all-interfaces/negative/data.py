from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.flags(my_ip='0.0.0.0')
        self.assertEqual('0.0.0.0', self.api.host)
