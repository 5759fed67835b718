"""Benchmarks of a real Vidpub server, run by `make bench` (never by the test suite).

Speed is measured, not asserted: each route's throughput is printed as a ratio of a trivial route
served by the same process in the same run, which makes runs on different machines comparable."""
