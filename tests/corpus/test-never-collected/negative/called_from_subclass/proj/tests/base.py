import testtools


class DriverTestBase(testtools.TestCase):
    def _test_spawn(self, image):
        instance = self.driver.spawn(image)
        self.assertEqual('running', instance.state)
