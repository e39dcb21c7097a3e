from neutron_lib.tests import base


class TestUnknown(base.BaseTestCase):
    """The base is not in the tree nor known: the bot cannot tell what is skipped."""

    def setUp(self):
        self.value = 1
