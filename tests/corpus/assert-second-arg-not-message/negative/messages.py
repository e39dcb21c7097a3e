from nova import test


class TestMessages(test.NoDBTestCase):
    def test_messages(self):
        result = self.compute()
        self.assertTrue(result, 'compute returned nothing')
        self.assertTrue(result, f'compute returned {result!r}')
        self.assertFalse(result.error, 'error: %s' % result.error)
        self.assertIsNone(result.fault, 'fault: {}'.format(result.fault))
        self.assertIsNotNone(result.id, 'no id for ' + result.name)
        self.assertTrue(result, msg)
        self.assertTrue(result, err_msg)
        self.assertTrue(result, message)
        self.assertTrue(result, reason)
        self.assertTrue(result, fail_msg)
        self.assertTrue(result, resp.text)
        self.assertTrue(result, msg=expected)
        self.assertTrue(result)
