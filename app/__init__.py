"""Praxisdesk desktop client core (no Qt widgets)."""
