"""`python -m bench.server --config FILE --data-dir DIR`: the production app exactly as `vidpub serve`
starts it, plus `GET /bench/trivial`, the framework's ceiling that route throughputs are compared to,
and `POST /bench/federate-video/<id>`, which starts the federation suite's fan-out.

These routes live only here: the production app never serves them."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from fastapi import FastAPI, Request, Response

TRIVIAL_PATH = "/bench/trivial"


async def trivial() -> dict:
    return {"ok": True}


def add_trivial_route(app: FastAPI) -> None:
    """Served through the same middleware as every route, and matched before any catch-all page."""
    app.add_api_route(TRIVIAL_PATH, trivial, methods=["GET"], include_in_schema=False)
    app.router.routes.insert(0, app.router.routes.pop())


async def federate_video(video_id: int, request: Request) -> Response:
    """The step after a publication: enqueue the video's `federate-video` job (federation suite)."""
    from vidpub.db.models import Video
    from vidpub.federation.video_jobs import federate_video as enqueue_federation

    async with request.app.state.runtime.db.transaction() as session:
        video = await session.get(Video, video_id)
        if video is None:
            return Response(status_code=404)
        enqueue_federation(session, video, is_new=True)
    return Response(status_code=204)


def add_federation_trigger(app: FastAPI) -> None:
    app.add_api_route("/bench/federate-video/{video_id}", federate_video, methods=["POST"], include_in_schema=False)
    app.router.routes.insert(0, app.router.routes.pop())


def bench_app() -> FastAPI:
    """One API process of the benchmark server (uvicorn's factory, see `vidpub.serving.run_server`)."""
    from vidpub.serving import app_from_serve_settings

    application = app_from_serve_settings()
    add_trivial_route(application)
    add_federation_trigger(application)
    return application


def main() -> None:
    # the steps of `vidpub serve`, taken from the CLI itself so the benchmark serves what users run
    from vidpub.cli import _install, _load, _migrate, _prepare_storage, _trusted_proxies
    from vidpub.serving import run_server

    parser = argparse.ArgumentParser(prog="python -m bench.server")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--processes", type=int, default=None, help="API processes (default: listen.processes)")
    args = parser.parse_args()

    config = _load(args.config, args.data_dir)
    _prepare_storage(config)
    _migrate(config)
    asyncio.run(_install(config))
    run_server(config, args.config, args.data_dir, None, processes=args.processes or int(config.listen.processes),
               run_workers=bool(config.jobs.in_process), factory="bench.server:bench_app",
               trusted_proxies=_trusted_proxies(config))


if __name__ == "__main__":
    main()
