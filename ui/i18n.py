"""Loading the compiled catalogs and switching the UI language while running.

Switching installs new translators; Qt then sends ``LanguageChange`` to every widget, and
each of our widgets re-reads its texts in ``retranslate()``, so no restart is needed.
"""

from __future__ import annotations

import logging

from ui.qt import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from ui.resources import translations_dir

log = logging.getLogger(__name__)

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

_installed: list[QTranslator] = []


def normalize_language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def install_language(language: str) -> str:
    """Make ``language`` the UI language; returns the language actually installed."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_language needs a QCoreApplication")
    language = normalize_language(language)
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()

    ours = QTranslator(app)
    if ours.load(f"praxisdesk_{language}", str(translations_dir())):
        QCoreApplication.installTranslator(ours)
        _installed.append(ours)
    else:
        log.error("translation catalog missing for language %s", language)

    # Qt's own strings (standard buttons, context menus) follow the same language.
    qt_base = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_base.load(f"qtbase_{language}", qt_dir):
        QCoreApplication.installTranslator(qt_base)
        _installed.append(qt_base)
    QLocale.setDefault(QLocale(language))
    return language
