"""Serving from several API processes (the end-to-end run is in tests/test_cli.py)."""

import socket

import pytest

from vidpub.serving import _ensure_port_free


def test_a_port_held_by_another_program_is_refused_before_any_process_starts():
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # even one that would share it
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        with pytest.raises(SystemExit):
            _ensure_port_free("127.0.0.1", port)
    finally:
        holder.close()
    _ensure_port_free("127.0.0.1", port)  # free again
