import unittest

import testtools


class TestPlain(unittest.TestCase):
    """unittest.TestCase's setUp is empty: nothing is skipped."""

    def setUp(self):
        self.value = 1

    def tearDown(self):
        self.value = None


class Base(unittest.TestCase):
    pass


class TestThroughPlainBase(Base):
    def setUp(self):
        self.value = 2


class TestUpcalls(testtools.TestCase):
    def setUp(self):
        testtools.TestCase.setUp(self)

    def tearDown(self):
        super(TestUpcalls, self).tearDown()
