"""Incoming activities: verification (`verification`), dispatch (`registry`) and the handlers.

Importing the `process_*` modules registers their handlers with the registry."""

from vidpub.federation.inbox import (  # noqa: F401
    process_actor, process_announce, process_cache_file, process_comment, process_delete, process_flag,
    process_follow, process_playlist, process_rate, process_video, process_view, process_watch_action)
