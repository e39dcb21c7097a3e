from neutron_lib.tests import base

from proj.tests.mixins import NetMixin


class TestNet(NetMixin, base.BaseTestCase):
    """neutron_lib is not in this tree nor in the bot's knowledge: unknown, so low."""

    def test_a(self):
        self.assertTrue(True is not None)
