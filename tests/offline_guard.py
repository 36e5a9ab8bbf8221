"""A guard that turns any network attempt into an error, for tests.

Use it around a piece of work:

    from tests.offline_guard import offline
    with offline() as attempts:
        ...                      # anything that tries the network raises NetworkBlocked
    assert attempts == []        # also catches code that swallowed the exception

or session-wide from a conftest (the lead decides where):

    @pytest.fixture(autouse=True, scope="session")
    def _no_network():
        with offline(allow_unix=True) as attempts:
            yield
        assert attempts == [], attempts

Blocked: socket.socket.connect / connect_ex / sendto (IP families), socket.create_connection,
socket.getaddrinfo and socket.gethostbyname(_ex). With allow_unix=True, AF_UNIX sockets
(local IPC such as D-Bus, not a network) stay usable.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator


class NetworkBlocked(RuntimeError):
    """Raised instead of opening a network connection while the guard is on."""


@contextlib.contextmanager
def offline(allow_unix: bool = False) -> Iterator[list[str]]:
    attempts: list[str] = []

    def refuse(what: str):
        attempts.append(what)
        raise NetworkBlocked(f"network access attempted while offline: {what}")

    def _local(sock) -> bool:
        return allow_unix and getattr(socket, "AF_UNIX", None) is not None and \
            sock.family == socket.AF_UNIX

    originals = {
        "connect": socket.socket.connect,
        "connect_ex": socket.socket.connect_ex,
        "sendto": socket.socket.sendto,
        "create_connection": socket.create_connection,
        "getaddrinfo": socket.getaddrinfo,
        "gethostbyname": socket.gethostbyname,
        "gethostbyname_ex": socket.gethostbyname_ex,
    }

    def connect(self, address):
        if _local(self):
            return originals["connect"](self, address)
        refuse(f"connect {address!r}")

    def connect_ex(self, address):
        if _local(self):
            return originals["connect_ex"](self, address)
        refuse(f"connect_ex {address!r}")

    def sendto(self, data, *args):
        if _local(self):
            return originals["sendto"](self, data, *args)
        refuse(f"sendto {args[-1]!r}" if args else "sendto")

    def create_connection(address, *args, **kwargs):
        refuse(f"create_connection {address!r}")

    def getaddrinfo(host, *args, **kwargs):
        refuse(f"getaddrinfo {host!r}")

    def gethostbyname(host):
        refuse(f"gethostbyname {host!r}")

    def gethostbyname_ex(host):
        refuse(f"gethostbyname_ex {host!r}")

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    socket.create_connection = create_connection
    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
    try:
        yield attempts
    finally:
        socket.socket.connect = originals["connect"]
        socket.socket.connect_ex = originals["connect_ex"]
        socket.socket.sendto = originals["sendto"]
        socket.create_connection = originals["create_connection"]
        socket.getaddrinfo = originals["getaddrinfo"]
        socket.gethostbyname = originals["gethostbyname"]
        socket.gethostbyname_ex = originals["gethostbyname_ex"]
