import tempfile

import testtools

from neutron_lib.tests import base as nl_base


class TestPlain(testtools.TestCase):
    def test_name(self):
        path = tempfile.mktemp()  # expect: insecure-temp-file[medium]
        self.assertTrue(path)


class TestUnknownBase(nl_base.BaseTestCase):
    def test_name(self):
        path = tempfile.mktemp()  # expect: insecure-temp-file[low]
        self.assertTrue(path)
