import testtools


class TestMultiline(testtools.TestCase):
    def test_status(self):
        resp = self.client.get('/servers')
        self.assertTrue(  # expect: assert-second-arg-not-message
            resp.status_code == 200,
            200,
        )
        self.assertIsNone(resp.headers, self.expected_header)  # expect: assert-second-arg-not-message
