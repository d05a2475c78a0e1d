"""Praxisdesk desktop client core (no Qt widgets)."""

__version__ = "0.1.0"
