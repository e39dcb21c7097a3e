import testtools


class TestSerialise(testtools.TestCase):
    def test_primitive(self):
        result = self.obj.obj_to_primitive()
        self.assertEqual(len(result['data']), len(result['data']))  # expect: assert-same-operands
        self.assertEqual(result.get('name'), result.get('name'))  # expect: assert-same-operands
        self.assertEqual(result['versioned']['id'], result['versioned']['id'])  # expect: assert-same-operands
