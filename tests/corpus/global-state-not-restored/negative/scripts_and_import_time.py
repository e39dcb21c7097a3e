"""A small server the functional tests start in its own process, kept under tests/."""
import os
import sys

import eventlet

from proj import service

# deliberate import-time set-up: every test of the package runs with it
eventlet.monkey_patch()
service.DEFAULT_WORKERS = 1


def main():
    os.environ['PROJ_FAKE_BACKEND'] = '1'
    service.LISTEN_PORT = int(sys.argv[1])
    service.serve()


if __name__ == '__main__':
    main()
