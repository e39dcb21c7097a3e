import eventlet


def wait(server):
    while server.status != 'ACTIVE':  # expect: unbounded-wait-loop
        eventlet.sleep(0.5)
        if server.status == 'ERROR':
            raise RuntimeError('error')
