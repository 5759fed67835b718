"""The `vidpub` command: first start, user management from the shell."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from tests.support.server import Client, ServerProcess


def _vidpub(*args, env=None, input_text=None):
    return subprocess.run([sys.executable, "-m", "vidpub", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, input=input_text, timeout=120)


def test_first_start_generates_and_prints_the_root_password_once(tmp_path, database_url_factory):
    workdir = tmp_path / "instance"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PT_INITIAL_ROOT_PASSWORD"}
    server = ServerProcess(workdir, database_url_factory())
    server.env = env
    server.start()
    try:
        log = server.log_tail(200)
        printed = [line for line in log.splitlines() if "password for the `root` administrator" in line]
        assert len(printed) == 1
        password = printed[0].rsplit(":", 1)[1].strip()
        assert len(password) == 16
        assert Client(server.url).token_request("root", password).status_code == 200
    finally:
        server.stop()
    # a second start keeps the password and prints nothing
    server.start()
    try:
        assert server.log_tail(400).count("password for the `root` administrator") == 1
    finally:
        server.stop()


def test_create_user_and_reset_password_commands(tmp_path, database_url_factory):
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"database": {"url": database_url_factory()}}))
    common = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    assert _vidpub("migrate", *common).returncode == 0
    created = _vidpub("create-user", "--username", "clara", "--email", "clara@example.com",
                      "--password", "first-pass", "--role", "moderator", *common)
    assert created.returncode == 0, created.stderr
    duplicate = _vidpub("create-user", "--username", "clara", "--email", "other@example.com",
                        "--password", "x-pass-123", *common)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    bad_name = _vidpub("create-user", "--username", "Not Valid", "--email", "nv@example.com",
                       "--password", "x-pass-123", *common)
    assert bad_name.returncode != 0
    reset = _vidpub("reset-password", "--username", "clara", "--password", "second-pass", *common)
    assert reset.returncode == 0, reset.stderr
    unknown = _vidpub("reset-password", "--username", "nobody", "--password", "whatever1", *common)
    assert unknown.returncode == 1

    srv = tmp_path / "srv"
    srv.mkdir()
    server = ServerProcess(srv, yaml.safe_load(config.read_text())["database"]["url"])  # the commands' database
    server.start()
    try:
        anonymous = Client(server.url)
        assert anonymous.token_request("clara", "first-pass").status_code == 400
        clara = anonymous.login("clara", "second-pass")
        me = clara.get("/api/v1/users/me").json()
        assert me["role"] == {"id": 1, "label": "Moderator"} and me["email"] == "clara@example.com"
    finally:
        server.stop()


def test_bad_configuration_is_reported(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("signup: {enabled: 'maybe'}\n")
    result = _vidpub("migrate", "--config", str(config), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2
    assert "signup.enabled" in result.stderr


def test_serve_with_several_api_processes_and_a_worker_process(tmp_path, database_url_factory):
    """`listen.processes: 2`: two API processes share the port, jobs run in a worker process beside them."""
    workdir = tmp_path / "scaled"
    workdir.mkdir()
    server = ServerProcess(workdir, database_url_factory(), {"listen": {"processes": 2}})
    server.start()
    try:
        descendants = _descendants(server.process.pid)
        commands = [_command_line(pid) for pid in descendants]
        assert sum("vidpub worker" in command for command in commands) == 1, commands
        assert sum("multiprocessing" in command and "spawn_main" in command for command in commands) == 2, commands
        # every request is answered whichever process takes it, and a job enqueued by an API
        # process (the reset-password mail) is run by the worker process
        server.create_user("scaled", email="scaled@example.com")
        for _ in range(10):
            assert server.anonymous.get("/api/v1/config").status_code == 200
        assert server.anonymous.post("/api/v1/users/ask-reset-password",
                                     json={"email": "scaled@example.com"}).status_code == 204
        server.wait_for(lambda: any(mail["to"] == ["scaled@example.com"] for mail in server.mail_log()), timeout=30)
    finally:
        server.stop()
    # uvicorn's helper process (multiprocessing's resource tracker) leaves once it sees its parent gone
    server.wait_for(lambda: not [pid for pid in descendants if _alive(pid)], timeout=10)


def _descendants(pid: int) -> list[int]:
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as listing:
            children += [int(child) for child in listing.read().split()]
    return children + [grandchild for child in children for grandchild in _descendants(child)]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _command_line(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        return cmdline.read().replace(b"\0", b" ").decode()
