import uuid

import testtools


class TestIds(testtools.TestCase):
    def test_generator_is_stable(self):
        self.assertEqual(self.gen.next_id(), self.gen.next_id())

    def test_random_differs(self):
        self.assertNotEqual(uuid.uuid4(), uuid.uuid4())
        self.assertEqual(self.fake.call(1), self.fake.call(1))
