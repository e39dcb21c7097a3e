import testtools


class TestSwap(testtools.TestCase):
    def test_counts(self):
        servers = self.api.list()
        self.assertTrue(len(servers), -1)  # expect: assert-second-arg-not-message
        self.assertTrue(  # expect: assert-second-arg-not-message
            servers.count(  # the call keeps its layout
                'ACTIVE'),
            (1, 2),
        )
        self.assertTrue(servers, 3.5)  # expect: assert-second-arg-not-message
        self.assertTrue(not servers, 0)  # expect: assert-second-arg-not-message
