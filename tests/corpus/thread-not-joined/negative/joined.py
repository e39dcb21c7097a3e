import threading


def test_x():
    t = threading.Thread(target=print)
    t.start()
    t.join()
