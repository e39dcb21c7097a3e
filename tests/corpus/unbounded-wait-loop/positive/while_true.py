import time


def test_x(api):
    while True:  # expect: unbounded-wait-loop
        if api.status() == 'ACTIVE':
            break
        time.sleep(1)
