"""Praxisdesk bundled FastAPI server."""
