"""PyInstaller entry point of ``praxisdesk`` (the client: GUI and its CLI)."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
