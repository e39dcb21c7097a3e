import os
import unittest


class TestX(unittest.TestCase):
    def test_x(self):
        os.environ['OS_AUTH_URL'] = 'http://fake'  # expect: global-state-not-restored
        os.environ.update({'A': 'b'})  # expect: global-state-not-restored
