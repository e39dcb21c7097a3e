import unittest

from glance.tests import utils


class BaseImageTest(utils.BaseTestCase):
    @classmethod
    def check_class(cls, value):
        cls.assertIsNotNone(cls, value)

    def setUp(self):
        super(BaseImageTest, self).setUp()
        super().assertIsNotNone(self.image_repo)

    def assertImageEqual(self, a, b):
        unittest.TestCase.assertEqual(self, a.id, b.id)


class ImageHelper(object):
    def __init__(self, testcase):
        self.testcase = testcase
        self.case = testcase

    def verify(self, image):
        self.case.assertEqual('active', image.status)
        self.testcase.assertIn('id', image.extra_properties)
