"""Test harness: real PostgreSQL clusters, real server processes, an HTTP client."""
