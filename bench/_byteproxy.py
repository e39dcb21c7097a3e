"""A loopback TCP relay that counts the bytes a client and a server exchange.

Fetch cost is measured in bytes on the wire whatever client moves them (libgit2 or git's
own), so the benchmark points the client at this relay instead of the server.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class ByteProxy:
    """Relays 127.0.0.1:<port> to ``target``; :attr:`received` counts server-to-client bytes."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.received = 0
        self.sent = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> tuple[int, int]:
        with self._lock:
            counts = (self.sent, self.received)
            self.sent = self.received = 0
            return counts

    def close(self) -> None:
        self._sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for a, b, down in ((client, server, False), (server, client, True)):
                threading.Thread(target=self._pipe, args=(a, b, down), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, down: bool) -> None:
        try:
            while data := src.recv(65536):
                with self._lock:
                    if down:
                        self.received += len(data)
                    else:
                        self.sent += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
