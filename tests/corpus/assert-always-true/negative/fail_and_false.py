from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_unreachable_branch(self):
        assert False, "never here"
        assert 0
