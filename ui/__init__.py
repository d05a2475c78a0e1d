"""Praxisdesk Qt user interface."""
