"""Job types: their handler and PeerTube's per-type policy (attempts, concurrency, priority, TTL)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vidpub.jobs.context import JobContext

Handler = Callable[["JobContext"], Awaitable[dict[str, Any] | None]]

# The job types real PeerTube reports through /api/v1/jobs (its `JobType`); clients filter on these.
PEERTUBE_JOB_TYPES = frozenset({
    "activitypub-cleaner", "activitypub-follow", "activitypub-http-broadcast-parallel",
    "activitypub-http-broadcast", "activitypub-http-fetcher", "activitypub-http-unicast",
    "activitypub-refresher", "actor-keys", "after-video-channel-import", "email", "federate-video",
    "transcoding-job-builder", "manage-video-torrent", "move-to-object-storage", "move-to-file-system",
    "notify", "video-channel-import", "video-file-import", "video-import", "video-live-ending",
    "video-redundancy", "video-studio-edition", "video-transcoding", "videos-stats",
    "generate-video-storyboard", "create-user-export", "import-user-archive", "video-transcription",
})
# Older names still offered as filters by the 7.0 spec and the web client's type menu.
LEGACY_JOB_TYPES = frozenset({"videos-views-stats"})

COMPLETED_RETENTION_S = 2 * 86400  # PeerTube removes completed jobs after 2 days unless a type says less


@dataclass(frozen=True)
class JobSpec:
    type: str
    handler: Handler
    attempts: int = 1
    concurrency: int = 1       # jobs of this type running at once in one worker process
    priority: int = 100        # lower runs first
    timeout: float | None = None  # seconds; PeerTube's per-type TTL
    keep_completed: float = COMPLETED_RETENTION_S  # seconds a completed job stays listed
    # a config key overriding `concurrency` (PeerTube: `transcoding.concurrency`, `import.videos.concurrency`)
    concurrency_setting: str | None = None

    @property
    def is_peertube_type(self) -> bool:
        """Vidpub's own housekeeping types (PeerTube runs those as in-process schedulers) are not
        listed by /api/v1/jobs unless asked for by name: PeerTube clients know only PeerTube's types."""
        return self.type in PEERTUBE_JOB_TYPES


REGISTRY: dict[str, JobSpec] = {}


def job_type(type_: str, **policy: Any) -> Callable[[Handler], Handler]:
    """Register the decorated coroutine as the handler of `type_`."""

    def decorate(handler: Handler) -> Handler:
        register(JobSpec(type_, handler, **policy))
        return handler

    return decorate


def register(spec: JobSpec) -> JobSpec:
    if spec.type in REGISTRY:
        raise ValueError(f"job type registered twice: {spec.type}")
    if spec.attempts < 1 or spec.concurrency < 1:
        raise ValueError(f"job type {spec.type}: attempts and concurrency must be at least 1")
    REGISTRY[spec.type] = spec
    return spec


def with_configured_concurrency(specs: dict[str, JobSpec], config) -> dict[str, JobSpec]:
    """The specs a worker runs with: concurrencies the configuration sets replace the defaults."""
    resolved = {}
    for type_, spec in specs.items():
        if spec.concurrency_setting:
            try:
                configured = int(config.get_path(spec.concurrency_setting))
            except (KeyError, TypeError, ValueError):
                configured = spec.concurrency
            spec = dataclasses.replace(spec, concurrency=max(1, configured))
        resolved[type_] = spec
    return resolved


def load_handlers() -> dict[str, JobSpec]:
    import vidpub.jobs.handlers  # noqa: F401  (each module registers its types)

    return REGISTRY
