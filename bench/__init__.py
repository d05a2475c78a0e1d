"""Benchmarks: each runs with python -m bench.NAME and ends with one JSON line."""
