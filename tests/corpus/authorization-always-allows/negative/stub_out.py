from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_x(self):
        self.stub_out('nova.policy.authorize', lambda *a, **kw: True)

    @mock.patch('nova.policy.authorize', return_value=True)
    def test_y(self, m):
        pass
