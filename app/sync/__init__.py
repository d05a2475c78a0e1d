"""Sync engine: server -> cache deltas."""
