"""Vidpub: a self-hosted, federated video platform compatible with PeerTube."""

__version__ = "0.1.0"

# The PeerTube release whose REST API and federation Vidpub answers as (NodeInfo, /api/v1/config).
PEERTUBE_COMPATIBLE_VERSION = "7.0.0"
