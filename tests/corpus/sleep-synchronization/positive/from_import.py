from time import sleep


def test_x(api):
    api.start()
    sleep(5)  # expect: sleep-synchronization
