import testtools


class TestAgent(testtools.TestCase):
    def _check_state(self):
        try:
            self.assertEqual('ACTIVE', self.agent.state)
            return True
        except AssertionError:  # expect: assertion-error-swallowed[high]
            return False

    def test_state(self):
        self.agent.start()
        self._check_state()
