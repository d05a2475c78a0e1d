"""The patient link in the conversation header: state, a new link to copy, revoking."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.inbox.conftest import InboxHarness
from tests.ui.inbox.fake_core import demo_practice
from ui.inbox.conversation_view import ConversationView
from ui.qt import QGuiApplication, QMessageBox


def open_bauer(harness: InboxHarness, qtbot: QtBot) -> ConversationView:
    demo_practice(harness.core)
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    assert harness.page.open_conversation("conv-bauer")
    return harness.page.conversation


def test_header_shows_the_link_state_and_its_menu(harness: InboxHarness,
                                                  qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    links = view.link_controls
    assert links.isVisible()
    # Fake data: issued on 12.03.2026 for 30 days.
    assert links.status_label.text() == "Link gültig bis 11.04.2026"
    assert links.button.text() == "Patientenlink"
    assert [a.text() for a in links.menu.actions()] == ["Neuen Link erstellen…",
                                                        "Link sperren…"]
    harness.core.inbox.conversations["conv-bauer"].link_expires_at = "2026-03-01T08:00:00Z"
    harness.core.changed("conv-bauer")
    qtbot.waitUntil(lambda: links.status_label.text() == "Link abgelaufen", timeout=2000)


def test_new_link_is_shown_once_and_copied(harness: InboxHarness, qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    links = view.link_controls
    QGuiApplication.clipboard().setText("")
    links.reissue_action.trigger()
    qtbot.waitUntil(lambda: links.link_dialog is not None, timeout=2000)
    assert harness.core.links_issued == ["conv-bauer"]
    dialog = links.link_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.link_edit.text() == "https://praxis.example/p/token-1"
    assert dialog.link_edit.isReadOnly()
    assert "Ältere Links" in dialog.note_label.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "https://praxis.example/p/token-1"
    assert dialog.copy_button.text() == "Kopiert"
    dialog.reject()
    qtbot.waitUntil(lambda: links.link_dialog is None, timeout=2000)


def test_revoke_asks_first_then_the_header_says_revoked(harness: InboxHarness,
                                                        qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    links = view.link_controls

    # Cancelling changes nothing.
    links.revoke_action.trigger()
    box = links.revoke_box
    assert box is not None
    assert box.isVisible()  # open(), not exec(): the loop keeps running
    box.button(QMessageBox.StandardButton.Cancel).click()
    harness.settle()
    assert harness.core.links_revoked == []
    assert links.revoke_box is None
    assert links.status_label.text() == "Link gültig bis 11.04.2026"

    links.revoke_action.trigger()
    box = links.revoke_box
    assert box is not None
    revoke = next(b for b in box.buttons() if b.text() == "Sperren")
    revoke.click()
    qtbot.waitUntil(lambda: harness.core.links_revoked == ["conv-bauer"], timeout=2000)
    qtbot.waitUntil(lambda: links.status_label.text() == "Link gesperrt", timeout=2000)
    assert not links.revoke_action.isEnabled()

    # A new link makes it valid again.
    links.reissue_action.trigger()
    qtbot.waitUntil(lambda: links.status_label.text() == "Link gültig bis 11.04.2026",
                    timeout=2000)
    assert links.revoke_action.isEnabled()
    assert links.link_dialog is not None
    links.link_dialog.reject()


def test_a_failed_request_goes_to_the_error_reporter(harness: InboxHarness,
                                                     qtbot: QtBot) -> None:
    view = open_bauer(harness, qtbot)
    harness.core.fail_links = True
    view.link_controls.reissue_action.trigger()
    qtbot.waitUntil(lambda: len(harness.reporter.reported) == 1, timeout=2000)
    assert view.link_controls.link_dialog is None
    harness.reporter.reported.clear()
