import eventlet


def test_x():
    sock = eventlet.listen(('::', 0))  # expect: bind-all-interfaces[low]
