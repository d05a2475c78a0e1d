"""The German catalogue is complete, compiled and actually used by every visible widget."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.directory_model import DirectoryModel
from ui.i18n import install_language
from ui.main_window import MainWindow
from ui.resources import translations_dir

REPO = Path(__file__).resolve().parents[2]
LRELEASE = REPO / ".venv" / "bin" / "pyside6-lrelease"


def _messages(lang: str) -> Iterator[ET.Element]:
    # Our own committed file, not untrusted input.
    tree = ET.parse(translations_dir() / f"praxisdesk_{lang}.ts")  # noqa: S314
    yield from tree.iter("message")


def test_german_catalogue_has_no_unfinished_or_empty_translations() -> None:
    problems = []
    count = 0
    for message in _messages("de"):
        count += 1
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(source)
        forms = [f.text or "" for f in translation.findall("numerusform")]
        texts = forms if message.get("numerus") == "yes" else [translation.text or ""]
        if not texts or any(not t.strip() for t in texts):
            problems.append(source)
        # Placeholders must survive translation, or the German text loses the number.
        for placeholder in ("%1", "%n"):
            if placeholder in source and not all(placeholder in t for t in texts):
                problems.append(source)
    assert count > 40
    assert problems == []


def test_committed_qm_files_match_the_ts_sources(tmp_path: Path) -> None:
    for lang in ("de", "en"):
        ts = translations_dir() / f"praxisdesk_{lang}.ts"
        shutil.copy(ts, tmp_path / ts.name)
        rebuilt = tmp_path / f"praxisdesk_{lang}.qm"
        subprocess.run([str(LRELEASE), "-silent", str(tmp_path / ts.name), "-qm", str(rebuilt)],
                       check=True, timeout=60)
        committed = translations_dir() / rebuilt.name
        assert committed.read_bytes() == rebuilt.read_bytes(), (
            f"{committed.name} is stale: run scripts/update-translations.sh")


def translated_sources() -> set[str]:
    """English source strings whose German translation differs (so must never be shown)."""
    result = set()
    for message in _messages("de"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        text = (translation.text or "") if translation is not None else ""
        if message.get("numerus") != "yes" and text != source:
            result.add(source)
    return result


def visible_texts(root: QWidget) -> list[str]:
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QListWidget):
            texts.extend(widget.item(i).text() for i in range(widget.count()))
        if isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            texts.extend(str(model.headerData(c, Qt.Orientation.Horizontal) or "")
                         for c in range(model.columnCount()))
        texts.append(widget.toolTip())
    return [t for t in texts if t]


def english_leftovers(root: QWidget) -> list[str]:
    english = translated_sources()
    leftovers = []
    for text in visible_texts(root):
        stripped = text.removeprefix("●  ")
        if stripped in english:
            leftovers.append(stripped)
    return leftovers


def test_german_main_window_shows_no_english_source_strings(
        qtbot: QtBot, qapp: QApplication) -> None:
    install_language("de")
    window = MainWindow(DirectoryModel(list))
    qtbot.addWidget(window)
    window.show_cache_reset_notice()
    window.connection_indicator.set_state("CONNECTING")
    texts = visible_texts(window)
    assert "Posteingang" in texts
    assert "Einstellungen" in texts
    assert english_leftovers(window) == []
