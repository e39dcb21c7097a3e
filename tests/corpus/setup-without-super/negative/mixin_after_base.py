from oslotest import base


class ValueMixin(object):
    def setUp(self):
        self.value = 1


class TestValue(base.BaseTestCase, ValueMixin):
    def test_value(self):
        self.assertTrue(True)
