import time


def test_x(api):
    for _ in range(10):
        if api.done:
            break
        time.sleep(1)
