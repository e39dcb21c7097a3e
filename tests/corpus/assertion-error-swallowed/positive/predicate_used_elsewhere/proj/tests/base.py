import testtools


class AgentTestBase(testtools.TestCase):
    def check_synced(self):
        try:
            self.assertEqual(self.expected, self.agent.state)
            return True
        except AssertionError:  # expect: assertion-error-swallowed[low]
            return False
