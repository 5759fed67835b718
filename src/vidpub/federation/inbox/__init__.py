"""Incoming activities: verification (`verification`), dispatch (`registry`) and the handlers.

Each helper appends the import line of its own process modules below."""

from vidpub.federation.inbox import process_follow  # noqa: F401  (FED-CORE)
from vidpub.federation.inbox import process_delete, process_actor, process_comment, process_playlist  # noqa: F401,E402,E501  (FED-SOCIAL)
from vidpub.federation.inbox import process_announce, process_rate, process_video, process_view  # noqa: F401,E402,E501  (FED-VIDEOS)
from vidpub.federation.inbox import process_cache_file  # noqa: F401,E402  (REDUNDANCY)
