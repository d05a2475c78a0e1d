"""Conversation view: "Export in die Patientenakte" outcomes, and the expiry marks
("wird in 5 Tagen gelöscht") in the inbox list and the conversation header."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.inbox.types import InboxRow
from tests.ui.inbox.conftest import InboxHarness
from tests.ui.inbox.fake_core import NOW, add_conversation, demo_practice, iso, message
from tests.ui.test_translations import english_leftovers
from ui.directory_model import DirectoryModel
from ui.i18n import install_language
from ui.inbox.conversation_view import ConversationView
from ui.inbox.inbox_delegate import InboxDelegate
from ui.main_window import MainWindow
from ui.qt import QFont, QRect, QStyleOptionViewItem

REPO = Path(__file__).resolve().parents[3]
MARKS = {0: "wird heute gelöscht", 1: "wird morgen gelöscht", 5: "wird in 5 Tagen gelöscht",
         7: "wird in 7 Tagen gelöscht", 8: None}


def open_bauer(harness: InboxHarness, qtbot: QtBot) -> ConversationView:
    demo_practice(harness.core)
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    assert harness.page.open_conversation("conv-bauer")
    return harness.page.conversation


def test_export_without_a_folder_says_where_to_choose_one(harness: InboxHarness,
                                                          qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    assert view.export_button.text() == "Export in die Patientenakte"
    view.export_button.click()
    qtbot.waitUntil(lambda: view.export_status_text() != "", timeout=3000)
    text = view.export_status_text()
    assert "kein Ordner für die Patientenakte" in text
    assert "Einstellungen" in text
    assert "„Export in die Patientenakte“" in text
    assert view.export_status.property("error") is True
    assert harness.core.record_exports == ["conv-bauer"]
    assert view.export_button.isEnabled()


@pytest.mark.parametrize(("reason", "expected"), [
    ("not_writable", "darf nicht in den Ordner /srv/akte schreiben"),
    ("disk_full", "nicht genug Speicherplatz"),
    ("folder_missing", "existiert nicht oder ist nicht erreichbar"),
])
def test_export_errors_are_said_plainly(harness: InboxHarness, qtbot: QtBot, reason: str,
                                        expected: str) -> None:
    view = open_bauer(harness, qtbot)
    harness.core.settings.record_export_dir = "/srv/akte"
    harness.core.record_export_error = reason
    view.export_button.click()
    qtbot.waitUntil(lambda: view.export_status_text() != "", timeout=3000)
    assert expected in view.export_status_text()
    assert "Es wurde nichts gespeichert." in view.export_status_text()


def test_export_success_names_folder_and_files(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    harness.core.settings.record_export_dir = "/srv/akte"
    view.export_button.click()
    qtbot.waitUntil(lambda: view.export_status_text() != "", timeout=3000)
    text = view.export_status_text()
    assert text.startswith("In den Ordner für die Patientenakte /srv/akte gespeichert:")
    assert "20260312-0930_conv-bau.pdf" in text
    assert "20260312-0930_conv-bau.gdt" in text
    assert view.export_status.property("error") is False
    # Another conversation starts without the old outcome.
    assert harness.page.open_conversation("conv-schmidt")
    assert view.export_status_text() == ""


def row_with_expiry(days: int | None) -> InboxRow:
    return InboxRow(
        conversation_id="c-exp", patient_name="Aylin Özdemir", last_activity_at=iso(NOW),
        preview="Danke!", unread_count=0, open_inquiries=0, inquiry_id=None,
        inquiry_type=None, inquiry_status=None, assignee_user_id=None, unanswered=False,
        expires_at=iso(NOW + timedelta(days=days)) if days is not None else None)


def delegate_texts(harness: InboxHarness, row: InboxRow, width: int = 360) -> dict[str, str]:
    delegate: InboxDelegate = harness.page.delegate
    option = QStyleOptionViewItem()
    option.initFrom(harness.page.list_view)
    option.font = QFont(harness.page.list_view.font())
    pieces = delegate.layout_row(option, QRect(0, 0, width, delegate.row_height(option)), row)
    return {piece.kind: piece.text for piece in pieces}


@pytest.mark.parametrize("days", sorted(MARKS))
def test_inbox_row_marks_conversations_due_within_seven_days(harness: InboxHarness,
                                                             days: int) -> None:
    texts = delegate_texts(harness, row_with_expiry(days))
    assert texts.get("expiry") == MARKS[days]
    assert texts["name"]  # the name still shows (elided if it must)
    assert texts["time"]


def test_no_mark_without_expiry_and_english_beside(harness: InboxHarness) -> None:
    assert "expiry" not in delegate_texts(harness, row_with_expiry(None))
    install_language("en")
    try:
        assert delegate_texts(harness, row_with_expiry(5))["expiry"] == \
            "Will be deleted in 5 days"
        assert delegate_texts(harness, row_with_expiry(1))["expiry"] == \
            "Will be deleted tomorrow"
        assert delegate_texts(harness, row_with_expiry(0))["expiry"] == "Will be deleted today"
    finally:
        install_language("de")


@pytest.mark.parametrize("days", sorted(MARKS))
def test_conversation_header_shows_the_mark(harness: InboxHarness, qtbot: QtBot,
                                            days: int) -> None:
    conv = add_conversation(harness.core, "conv-exp", "Aylin Özdemir", 3,
                            [message("m-exp", "Danke!")])
    conv.expires_at = iso(NOW + timedelta(days=days))
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    assert harness.page.open_conversation("conv-exp")
    view = harness.page.conversation
    expected = MARKS[days]
    assert view.expiry_label.isVisible() is (expected is not None)
    if expected is not None:
        assert view.expiry_label.text() == expected


def test_inbox_screenshot_with_expiry_mark(harness: InboxHarness, qtbot: QtBot,
                                           tmp_path: Path) -> None:
    """Written to docs/screenshots/inbox-expiry.png with PRAXISDESK_WRITE_SCREENSHOTS=1."""
    target = (REPO / "docs" / "screenshots" if os.environ.get("PRAXISDESK_WRITE_SCREENSHOTS")
              == "1" else tmp_path)
    core = harness.core
    demo_practice(core)
    core.inbox.conversations["conv-oezdemir"].expires_at = iso(NOW + timedelta(days=5))
    core.inbox.conversations["conv-schmidt"].expires_at = iso(NOW + timedelta(days=1))
    window = MainWindow(DirectoryModel(core.directory))
    qtbot.addWidget(window)
    page = window.inbox_page
    page.attach(core, harness.runner)  # type: ignore[arg-type]
    window.resize(1280, 880)
    window.show()
    qtbot.waitExposed(window)
    page.activate()
    assert page.open_conversation("conv-oezdemir")
    qtbot.wait(50)
    assert page.conversation.expiry_label.text() == "wird in 5 Tagen gelöscht"
    assert english_leftovers(window) == []
    path = target / "inbox-expiry.png"
    assert window.grab().save(str(path))
    assert path.stat().st_size > 20_000
