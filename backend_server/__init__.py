"""Praxisdesk bundled FastAPI server."""

# One version for client, server and installers: app/__init__.py is its only source (the
# package's __init__ holds nothing else, so this pulls in no client code).
from app import __version__

__all__ = ["__version__"]
