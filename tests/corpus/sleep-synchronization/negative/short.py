import time


def test_x(api):
    time.sleep(0.1)
