import threading


def test_x():
    t = threading.Thread(target=print)  # expect: thread-not-joined[low]
    t.start()
