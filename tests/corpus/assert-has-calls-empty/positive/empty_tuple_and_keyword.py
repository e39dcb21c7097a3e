from unittest import mock

from ironic.tests import base


class TestPorts(base.TestCase):
    def test_ports(self):
        with mock.patch.object(self.dbapi, 'destroy_port') as mock_destroy:
            self.conductor.destroy_ports(self.context, [])
        mock_destroy.assert_has_calls(())  # expect: assert-has-calls-empty
        mock_destroy.assert_has_calls(calls=[], any_order=True)  # expect: assert-has-calls-empty
