"""Incoming activities: verification (`verification`), dispatch (`registry`) and the handlers.

Each helper appends the import line of its own process modules below."""

from vidpub.federation.inbox import process_follow  # noqa: F401  (FED-CORE)
