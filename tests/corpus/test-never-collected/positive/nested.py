from oslotest import base


class TestImages(base.BaseTestCase):
    def test_upload(self):
        self.assertTrue(self.store.upload('img'))

        def test_upload_twice(self):  # expect: test-never-collected
            self.assertRaises(KeyError, self.store.upload, 'img')
