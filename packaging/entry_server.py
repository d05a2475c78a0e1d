"""PyInstaller entry point of ``praxisdesk-server`` (the bundled server's CLI)."""

from backend_server.__main__ import main

if __name__ == "__main__":
    main()
