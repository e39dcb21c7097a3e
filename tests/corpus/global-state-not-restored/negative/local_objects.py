import unittest

from nova import context


class TestX(unittest.TestCase):
    def test_x(self):
        ctxt = context.get_admin_context()
        ctxt.read_deleted = 'yes'
        self.inst.host = 'h'

    def test_shadow(self, context):
        context.cell_uuid = 'x'
