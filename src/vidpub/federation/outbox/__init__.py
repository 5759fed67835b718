"""Outgoing activities: `delivery` (queued, signed HTTP POSTs) and one `send_*` module per activity."""
