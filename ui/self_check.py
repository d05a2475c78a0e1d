"""The Qt part of ``praxisdesk --self-test``: a QApplication and the German catalog.

Run from a bundle it proves that PyInstaller collected the Qt platform plugin and our
compiled ``.qm`` files; the self-test (app/self_test.py) imports this module lazily.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ui.i18n import install_language
from ui.qt import QApplication, QCoreApplication, QTranslator
from ui.resources import translations_dir


class QtCheckFailed(Exception):
    """Qt or our catalogs are missing; the message says which."""


def _platform_plugin_present(platform: str) -> bool:
    # Without its platform plugin Qt aborts the whole process; checking first turns that
    # into a failed step with a readable message.
    names = {f"libq{platform}.so", f"libq{platform}.dylib", f"q{platform}.dll"}
    for folder in QCoreApplication.libraryPaths():
        platforms = Path(folder) / "platforms"
        if platforms.is_dir() and any(p.name in names for p in platforms.iterdir()):
            return True
    return False


def qt_self_check(language: str = "de") -> str:
    """Create (or reuse) the QApplication offscreen and install ``language``'s catalog;
    returns a short description of what was loaded."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    platform = os.environ["QT_QPA_PLATFORM"].split(":", 1)[0]
    if platform.isidentifier() and not _platform_plugin_present(platform):
        raise QtCheckFailed(f"the Qt platform plugin '{platform}' is missing "
                            f"(searched {', '.join(QCoreApplication.libraryPaths())})")
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    catalog = QTranslator()
    folder = translations_dir()
    if not catalog.load(f"praxisdesk_{language}", str(folder)) or catalog.isEmpty():
        raise QtCheckFailed(f"translation catalog praxisdesk_{language}.qm missing in {folder}")
    if install_language(language) != language:
        raise QtCheckFailed(f"the user interface language {language} could not be installed")
    return f"Qt platform {QApplication.platformName()}, catalog {catalog.language() or language}"
