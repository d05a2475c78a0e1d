"""Prints Praxisdesk's version (from app/__init__.py, the one source) for build scripts and CI.

Run as ``python packaging/version.py``; reads the file instead of importing the package so it
works before anything is installed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if match is None:
        raise SystemExit("app/__init__.py holds no __version__ line")
    return match.group(1)


if __name__ == "__main__":
    sys.stdout.write(read_version() + "\n")
