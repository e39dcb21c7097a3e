import unittest

from nova.objects import base


class TestX(unittest.TestCase):
    def test_cleanup(self):
        orig = base.NovaObject.indirection_api
        self.addCleanup(setattr, base.NovaObject, 'indirection_api', orig)
        base.NovaObject.indirection_api = None

    def test_finally(self):
        base.NovaObject.indirection_api = None
        try:
            pass
        finally:
            base.NovaObject.indirection_api = 'x'

    def tearDown(self):
        base.NovaObject.indirection_api = None
