from unittest import mock

from nova import test



import logging
LOG = logging.getLogger(__name__)


class TestX(test.NoDBTestCase):
    def test_x(self):
        try:
            self.assertTrue(self.api.ready())
        except Exception as e:  # expect: assertion-error-swallowed
            LOG.warning("ignored %s", e)
