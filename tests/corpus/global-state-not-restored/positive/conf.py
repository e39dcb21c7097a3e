import unittest

import nova.conf

CONF = nova.conf.CONF


class TestX(unittest.TestCase):
    def test_x(self):
        CONF.set_override('use_cow_images', False)  # expect: global-state-not-restored
        CONF.my_ip = '10.0.0.1'  # expect: global-state-not-restored
