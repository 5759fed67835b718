"""Serving from several API processes (the end-to-end run is in tests/test_cli.py)."""

import socket
import sys
from pathlib import Path

import pytest

from vidpub.config import load_config
from vidpub.serving import SQLITE_SWITCH_INTERVAL_S, _ensure_port_free, tune_thread_switching


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


@pytest.mark.parametrize("database, interval", [("{}", SQLITE_SWITCH_INTERVAL_S),
                                                ("{url: 'postgresql+asyncpg://vidpub@db.example/vidpub'}", None)])
def test_an_api_process_on_sqlite_hands_the_gil_to_its_database_threads_sooner(tmp_path: Path, database, interval):
    config_file = tmp_path / "production.yaml"
    config_file.write_text(f"database: {database}\n")
    config = load_config(config_file, data_dir=tmp_path, environ={})
    default = sys.getswitchinterval()
    try:
        tune_thread_switching(config)
        assert sys.getswitchinterval() == pytest.approx(interval or default)
    finally:
        sys.setswitchinterval(default)
