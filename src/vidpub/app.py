"""ASGI application factory: routers, middleware, the error contract and background work."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from vidpub import PEERTUBE_COMPATIBLE_VERSION, __version__
from vidpub.api import abuses
from vidpub.api import jobs as jobs_api
from vidpub.api import redundancy as redundancy_api
from vidpub.api import config as config_api
from vidpub.api import (accounts, blocklists, history, homepage, notifications, oauth, overviews, registrations,
                        search, server_blocklists, server_follows, server_stats, subscriptions, token_sessions,
                        two_factor,
                        user_avatar, users, users_me, video_channel_syncs, video_channels, video_comments,
                        video_playlists, video_stats,
                        video_captions, video_chapters, video_constants, video_files, video_imports,
                        video_passwords, video_rates, video_source, video_tokens, video_transcoding, video_upload,
                        video_views, videos)
from vidpub.api.deps import rate_limited, refuse_nul_characters
from vidpub.config import Config
from vidpub.db import Database
from vidpub.errors import install_error_handlers
from vidpub.federation.routes import include_federation_routes
from vidpub.jobs.registry import load_handlers, with_configured_concurrency
from vidpub.jobs.scheduler import run_scheduler
from vidpub.jobs.worker import Worker
from vidpub.middleware import PeerTubeHeaders
from vidpub.runtime import Runtime
from vidpub.web import discovery, downloads, embed, feeds, nodeinfo, oembed, pages, static_files, static_videos
from vidpub.web.client_assets import mount_client_assets

log = logging.getLogger("vidpub.app")


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", dependencies=[rate_limited("api"), Depends(refuse_nul_characters)])
    # Routes are matched one after the other (about 3 microseconds each): the hottest ones, the video
    # lists and the search, come first. Their paths shadow no other route.
    router.include_router(videos.list_router)
    router.include_router(search.router)
    # order matters: literal paths (/videos/categories, /videos/upload, ...) before /videos/{id}
    for module in (oauth, token_sessions, two_factor, abuses, users_me, user_avatar, subscriptions, notifications,
                   history, blocklists, registrations, users, config_api, jobs_api, accounts, video_channels,
                   video_channel_syncs, video_playlists, overviews, homepage, server_blocklists, server_follows,
                   server_stats, redundancy_api, video_constants, video_upload, video_imports, video_source,
                   video_files, video_transcoding, video_tokens, video_captions, video_chapters, video_passwords,
                   video_rates, video_views, video_comments, video_stats, videos):
        router.include_router(module.router)
    return router


def process_database(config: Config) -> Database:
    """The database of a serving or working process, its pool as configured."""
    pool = config.database.pool
    return Database(config.database_url, pool_size=int(pool.max), reads_in_flight=int(pool.reads_in_flight))


def create_app(config: Config, *, run_workers: bool | None = None, database: Database | None = None) -> FastAPI:
    db = database or process_database(config)
    runtime = Runtime(config, db)
    workers_enabled = config.jobs.in_process if run_workers is None else run_workers

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        await runtime.load_instance_state()
        stop = asyncio.Event()
        tasks = [asyncio.create_task(runtime.run_background(stop))]
        if workers_enabled:
            tasks += start_workers(runtime, stop)
        freeze_startup_objects()
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            await runtime.token_activity.flush(db)
            await db.dispose()

    app = FastAPI(title="Vidpub", version=__version__, lifespan=lifespan,
                  openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None,
                  description=f"PeerTube {PEERTUBE_COMPATIBLE_VERSION} REST API, served by Vidpub.")
    app.state.runtime = runtime
    install_error_handlers(app)
    app.include_router(api_router())
    include_federation_routes(app)  # before the HTML pages: AP routes match only AP `Accept` headers
    for module in (discovery, nodeinfo, static_files, static_videos, downloads, feeds, oembed, embed, pages):
        app.include_router(module.router)
    mount_client_assets(app)
    static_videos.serve_first(app)  # segment requests skip matching the API's routes
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"],
                       expose_headers=["Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                                       "X-RateLimit-Reset", "x-peertube-otp"])
    app.add_middleware(PeerTubeHeaders, powered_by=bool(config.security.powered_by_header.enabled),
                       frameguard=bool(config.security.frameguard.enabled))
    return app


def freeze_startup_objects() -> None:
    """Move what start-up loaded (modules, language tables, mappers) out of the garbage collector's
    sight: otherwise every full collection walks it all again, a pause of ~80 ms that stalls every
    request in flight (measured with `make bench`: p99 of /api/v1/config)."""
    gc.collect()
    gc.freeze()


def start_workers(runtime: Runtime, stop: asyncio.Event) -> list[asyncio.Task]:
    """The job worker and the scheduler, as tasks of the current event loop."""
    config = runtime.config
    specs = with_configured_concurrency(load_handlers(), config)
    worker = Worker(runtime, specs, poll_interval=config.duration("jobs.poll_interval"),
                    lease=config.duration("jobs.lease"), retry_backoff=config.duration("jobs.retry_backoff"),
                    shutdown_grace=config.duration("jobs.shutdown_grace"))
    return [asyncio.create_task(worker.run(stop), name="job-worker"),
            asyncio.create_task(run_scheduler(runtime, stop), name="job-scheduler")]
