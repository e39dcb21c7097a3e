import testtools


class TestFailures(testtools.TestCase):
    def test_unreachable_branch(self):
        try:
            self.driver.boot()
        except ValueError:
            return
        self.assertFalse(True, 'boot should have raised')

    def test_not_supported(self):
        if not self.driver.supports_resize:
            self.assertTrue(False, 'resize must be supported here')
        self.assertEqual(1, 2, 'always fails: a marker that this path is not reached')
