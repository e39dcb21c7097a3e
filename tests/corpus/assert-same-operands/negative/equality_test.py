from unittest import mock

from nova import test



class TestX(test.NoDBTestCase):
    def test_equality(self):
        img1 = make_image()
        self.assertEqual(img1, img1)
