from unittest import mock

from nova import test



from nova import policy


class TestX(test.NoDBTestCase):
    def test_x(self):
        policy.enforce = mock.Mock(return_value=True)  # expect: authorization-always-allows
