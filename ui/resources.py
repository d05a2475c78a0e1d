"""Where the client's data files (style sheet, translations) live, installed or not."""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources`` directory, from a source checkout or an installed package."""
    try:
        root = importlib.resources.files("resources")
        candidate = Path(str(root))
        if (candidate / "translations").is_dir():
            return candidate
    except ModuleNotFoundError:
        pass
    # A frozen or unusual layout may lack the package; the checkout layout is the fallback.
    return Path(__file__).resolve().parent.parent / "resources"


def translations_dir() -> Path:
    return resources_dir() / "translations"


def style_sheet() -> str:
    """The light theme; ``@ICONS@`` becomes the icon folder, as QSS urls are not relative."""
    path = resources_dir() / "style.qss"
    if not path.is_file():
        return ""
    icons = (resources_dir() / "icons").as_posix()
    return path.read_text(encoding="utf-8").replace("@ICONS@", icons)
