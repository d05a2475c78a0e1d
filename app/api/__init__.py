"""REST client for the Praxisdesk server."""
