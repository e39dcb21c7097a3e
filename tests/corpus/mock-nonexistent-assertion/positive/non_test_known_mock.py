# corpus: not-test
"""Helper code shipped outside the tests tree that still builds mocks."""
from unittest import mock


def check_driver(driver):
    fake_conn = mock.MagicMock()
    driver.connect(fake_conn)
    fake_conn.close.called_once_with()  # expect: mock-nonexistent-assertion
    with mock.patch('os.unlink') as unlink:
        driver.cleanup()
    unlink.not_called()  # expect: mock-nonexistent-assertion
