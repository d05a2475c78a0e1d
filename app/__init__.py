"""Praxisdesk desktop client core (no Qt widgets)."""

# The one version source of Praxisdesk (pyproject, server, bundle and installers read it).
__version__ = "0.1.0"
