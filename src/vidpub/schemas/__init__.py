"""Pydantic models of PeerTube's JSON: the API contract, one module per API tag."""
