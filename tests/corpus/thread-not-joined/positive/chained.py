import threading


def test_x():
    threading.Thread(target=print).start()  # expect: thread-not-joined
