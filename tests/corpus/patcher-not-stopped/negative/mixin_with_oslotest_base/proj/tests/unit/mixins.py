from unittest import mock


class DriverMixin(object):
    """A mixin with no bases: its patchers are stopped by the test classes' base."""

    def setUp(self):
        super().setUp()
        self.get_conn = mock.patch('proj.driver.get_connection').start()
        self.exists_p = mock.patch('os.path.exists')
        self.exists_p.start()


def start_common_patches(test):
    mock.patch('proj.utils.execute').start()
