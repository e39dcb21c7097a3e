import time


def wait(api, retries=10):
    attempt = 0
    while api.status() != 'ACTIVE':
        attempt += 1
        if attempt > retries:
            raise RuntimeError('timeout')
        time.sleep(1)
