import time


def test_x(api):
    api.start()
    time.sleep(1.5)  # expect: sleep-synchronization
