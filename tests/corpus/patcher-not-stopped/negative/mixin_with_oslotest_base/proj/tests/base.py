from oslotest import base


class TestCase(base.BaseTestCase):
    """The project's base: oslotest's BaseTestCase registers mock.patch.stopall."""

    def setUp(self):
        super().setUp()
