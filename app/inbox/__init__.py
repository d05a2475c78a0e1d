"""The inbox as the client sees it: rows and details read from the encrypted cache."""
