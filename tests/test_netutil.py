"""free_port: the port it names can be bound at once, and is not one already in use."""

from __future__ import annotations

import socket

from confsearch.netutil import free_port


def test_the_port_can_be_bound_and_is_not_taken():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        port = free_port()
        assert port != taken and 1024 <= port <= 65535
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
            assert s.getsockname()[1] == port
