"""`vidpub serve | worker | migrate | create-user | reset-password`."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from pathlib import Path
from typing import Annotated, Optional

import typer

from vidpub.config import Config, ConfigError, deep_merge, load_config

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Vidpub, a PeerTube-compatible video platform.")

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="YAML file with PeerTube-style keys.")]
DataDirOpt = Annotated[Optional[Path], typer.Option("--data-dir", "-d", help="Where the SQLite file and media live.")]

LOOPBACK_TRUST = {"loopback": ["127.0.0.1", "::1"]}


def _load(config_file: Path | None, data_dir: Path | None, port: int | None = None) -> Config:
    try:
        config = load_config(config_file, data_dir)
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    if port is not None:
        overrides: dict = {"listen": {"port": port}}
        if int(config.webserver.port) == int(config.listen.port):
            overrides["webserver"] = {"port": port}  # local mode: the public URL follows the port
        config = Config(deep_merge(config.to_dict(), overrides), config.data_dir)
    logging.basicConfig(level=str(config.log.level).upper().replace("WARN", "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return config


def _prepare_storage(config: Config) -> None:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    for name in config.storage:
        config.storage_path(name).mkdir(parents=True, exist_ok=True)


def _migrate(config: Config) -> None:
    from vidpub.db.migrate import refresh_statistics, upgrade

    upgrade(config.database_url)
    refresh_statistics(config.database_url)


async def _install(config: Config) -> None:
    from vidpub.db import Database
    from vidpub.services.installer import install

    db = Database(config.database_url, pool_size=1)
    try:
        result = await install(db, config, os.environ.get("PT_INITIAL_ROOT_PASSWORD"))
    finally:
        await db.dispose()
    if result.generated_root_password:
        bar = "=" * 60
        typer.echo(f"\n{bar}\nUser password for the `root` administrator: {result.generated_root_password}\n"
                   f"(shown once; set PT_INITIAL_ROOT_PASSWORD to choose it)\n{bar}\n")


def _trusted_proxies(config: Config) -> list[str]:
    trusted: list[str] = []
    for entry in config.trust_proxy or []:
        trusted += LOOPBACK_TRUST.get(entry, [entry])
    return trusted


@app.command()
def serve(config_file: ConfigOpt = None, data_dir: DataDirOpt = None,
          port: Annotated[Optional[int], typer.Option("--port", "-p", help="Port to listen on.")] = None,
          workers: Annotated[bool, typer.Option(help="Run job workers in this process.")] = True,
          processes: Annotated[Optional[int], typer.Option(
              "--processes", min=1, help="API processes sharing the port (default: listen.processes).")] = None) -> None:
    """Migrate the database, create the root admin on first start, and serve the instance."""
    from vidpub.serving import run_server

    config = _load(config_file, data_dir, port)
    _prepare_storage(config)
    _migrate(config)
    asyncio.run(_install(config))
    processes = processes or int(config.listen.processes)
    typer.echo(f"Vidpub serving {config.url} (listening on {config.listen.hostname}:{config.listen.port}"
               + (f", {processes} API processes" if processes > 1 else "") + ")")
    run_server(config, config_file, data_dir, port, processes=processes,
               run_workers=workers and bool(config.jobs.in_process), trusted_proxies=_trusted_proxies(config))


@app.command()
def worker(config_file: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Run job workers only (scaled deployments: any number of these beside `vidpub serve --no-workers`)."""
    config = _load(config_file, data_dir)
    _prepare_storage(config)
    asyncio.run(_run_worker(config))


async def _run_worker(config: Config) -> None:
    from vidpub.app import process_database, start_workers
    from vidpub.runtime import Runtime

    runtime = Runtime(config, process_database(config))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        # `vidpub serve` migrates and installs; a worker started first waits for it rather than
        # racing it on the schema
        delay = 0.5
        while not stop.is_set():
            try:
                await runtime.load_instance_state()
                break
            except Exception as exc:
                logging.getLogger("vidpub.worker").warning(
                    "database not ready (%s): waiting for `vidpub serve` or `vidpub migrate`", type(exc).__name__)
            try:
                await asyncio.wait_for(stop.wait(), timeout=delay)
            except TimeoutError:
                delay = min(delay * 2, 10)
        if stop.is_set():
            return
        tasks = [asyncio.create_task(runtime.run_background(stop))] + start_workers(runtime, stop)
        typer.echo("Vidpub worker running")
        await asyncio.gather(*tasks)
    finally:
        await runtime.db.dispose()


@app.command()
def migrate(config_file: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Bring the database schema up to date."""
    config = _load(config_file, data_dir)
    _prepare_storage(config)
    _migrate(config)
    typer.echo("database is up to date")


@app.command("create-user")
def create_user(username: Annotated[str, typer.Option(prompt=True)],
                email: Annotated[str, typer.Option(prompt=True)],
                password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
                role: Annotated[str, typer.Option(help="administrator, moderator or user")] = "user",
                config_file: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Create a local user (with its account and default channel)."""
    from vidpub.services.auth.rights import UserRole

    roles = {"administrator": UserRole.ADMINISTRATOR, "admin": UserRole.ADMINISTRATOR,
             "moderator": UserRole.MODERATOR, "user": UserRole.USER}
    if role not in roles:
        raise typer.BadParameter("role must be administrator, moderator or user")
    config = _load(config_file, data_dir)
    asyncio.run(_create_user(config, username, email, password, roles[role]))
    typer.echo(f"created user {username}")


async def _create_user(config: Config, username: str, email: str, password: str, role: int) -> None:
    from vidpub.db import Database
    from vidpub.errors import ProblemError
    from vidpub.services.auth.passwords import hash_password
    from vidpub.services.users import NewUser, create_user

    db = Database(config.database_url, pool_size=1)
    try:
        async with db.transaction() as session:
            await create_user(session, config, NewUser(
                username=username, email=email, password_hash=await hash_password(password), role=role,
                email_verified=True))
    except ProblemError as exc:
        typer.echo(f"cannot create the user: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    finally:
        await db.dispose()


@app.command("reset-password")
def reset_password(username: Annotated[str, typer.Option("--username", "-u", prompt=True)],
                   password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
                   config_file: ConfigOpt = None, data_dir: DataDirOpt = None) -> None:
    """Set a user's password (and end its sessions)."""
    config = _load(config_file, data_dir)
    asyncio.run(_reset_password(config, username, password))
    typer.echo(f"password of {username} changed")


async def _reset_password(config: Config, username: str, password: str) -> None:
    import sqlalchemy as sa

    from vidpub.db import Database
    from vidpub.db.models import User
    from vidpub.services.auth import tokens
    from vidpub.services.auth.passwords import hash_password

    db = Database(config.database_url, pool_size=1)
    try:
        async with db.transaction() as session:
            user = (await session.execute(sa.select(User).where(User.username == username.lower()))
                    ).scalar_one_or_none()
            if user is None:
                typer.echo(f"no user named {username}", err=True)
                raise typer.Exit(1)
            user.password = await hash_password(password)
            await tokens.revoke_all_for_user(session, user.id)
    finally:
        await db.dispose()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
