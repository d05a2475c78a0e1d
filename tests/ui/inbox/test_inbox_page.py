"""The inbox page as a receptionist uses it, on an in-memory core."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.inbox.types import InquiryStatus, InquiryType, SyncProgress
from tests.ui.inbox.conftest import InboxHarness
from tests.ui.inbox.fake_core import demo_practice, many_conversations
from ui.inbox.inbox_model import CONVERSATION_ID_ROLE, PAGE_SIZE, ROW_ROLE
from ui.qt import QKeySequence, Qt


def names(harness: InboxHarness) -> list[str]:
    model = harness.page.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_models_pass_the_model_tester(harness: InboxHarness,
                                      qtmodeltester: ModelTester) -> None:
    demo_practice(harness.core)
    harness.page.activate()
    qtmodeltester.check(harness.page.model, force_py=True)
    harness.page.open_conversation("conv-bauer")
    qtmodeltester.check(harness.page.conversation.model, force_py=True)


def test_list_is_newest_first_with_rows_painted_from_data(harness: InboxHarness) -> None:
    demo_practice(harness.core)
    harness.page.activate()
    assert names(harness)[:3] == ["Helga Bauer", "Thomas Schmidt", "Aylin Özdemir"]
    row = harness.page.model.index(1, 0).data(ROW_ROLE)
    assert row.inquiry_type == InquiryType.APPOINTMENT
    assert row.unanswered
    assert harness.page.count_label.text() == "8 Unterhaltungen"


def test_lazy_fetch_asks_only_for_the_pages_it_needs(harness: InboxHarness,
                                                     qtbot: QtBot) -> None:
    many_conversations(harness.core, 10_000)
    harness.page.show()
    qtbot.waitExposed(harness.page)
    harness.page.activate()
    view = harness.page.list_view
    model = harness.page.model
    assert model.total == 10_000
    assert model.rowCount() == PAGE_SIZE
    # Scroll to the end of what is loaded a couple of times: the view fetches more.
    for _ in range(2):
        view.scrollToBottom()
        qtbot.wait(20)
    assert PAGE_SIZE < model.rowCount() <= 4 * PAGE_SIZE
    requested = sum(limit for _offset, limit in harness.core.inbox.id_calls)
    assert requested <= 4 * PAGE_SIZE
    assert sum(harness.core.inbox.row_calls) <= 4 * PAGE_SIZE
    assert model.index(0, 0).data() == "Patient 00000"


def test_filters_and_search_change_what_is_shown(harness: InboxHarness, qtbot: QtBot) -> None:
    demo_practice(harness.core)
    harness.page.activate()
    page = harness.page
    page.type_combo.setCurrentIndex(page.type_combo.findData(InquiryType.PRESCRIPTION.value))
    assert names(harness) == ["Helga Bauer"]
    page.type_combo.setCurrentIndex(0)
    page.status_combo.setCurrentIndex(page.status_combo.findData(
        InquiryStatus.IN_PROGRESS.value))
    assert names(harness) == ["Helga Bauer", "Michael Fischer"]
    page.assignee_combo.setCurrentIndex(page.assignee_combo.findText("Selin Yılmaz"))
    assert names(harness) == ["Michael Fischer"]
    page.status_combo.setCurrentIndex(0)
    page.assignee_combo.setCurrentIndex(0)
    page.unread_check.setChecked(True)
    assert names(harness) == ["Helga Bauer", "Thomas Schmidt", "Aylin Özdemir"]
    page.unread_check.setChecked(False)

    # Search waits until typing pauses, then narrows the list.
    qtbot.keyClicks(page.search_edit, "Impfpass")
    assert len(names(harness)) == 8
    qtbot.waitUntil(lambda: names(harness) == ["Peter Neumann"], timeout=2000)
    assert harness.core.inbox.id_calls[-1][0] == 0
    page.search_edit.setText("gibt es nicht")
    qtbot.waitUntil(lambda: page.empty_label.isVisible() or page.list_stack.currentIndex() == 1,
                    timeout=2000)
    assert page.empty_label.text() == "Keine Treffer"


def test_empty_inbox_says_so(harness: InboxHarness) -> None:
    harness.page.activate()
    assert harness.page.list_stack.currentWidget() is harness.page.empty_label
    assert harness.page.empty_label.text() == "Keine Nachrichten"


def test_keyboard_navigation_search_and_open(harness: InboxHarness, qtbot: QtBot) -> None:
    demo_practice(harness.core)
    page = harness.page
    page.show()
    qtbot.waitExposed(page)
    page.activate()
    view = page.list_view
    view.setFocus()
    view.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 2
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    # A page down is as many rows as fit on screen (about six here); the next one ends.
    assert view.currentIndex().row() >= 5
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.currentIndex().row() == page.model.rowCount() - 1
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    # A page up is as many rows as fit on screen (about seven here).
    assert view.currentIndex().row() <= 2
    view.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    # Arrows only move the highlight; Enter opens (and marks read).
    assert page.conversation.conversation_id is None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert page.conversation.conversation_id == "conv-schmidt"
    assert page.focusWidget() is page.conversation.composer.edit
    qtbot.waitUntil(lambda: harness.core.read == ["conv-schmidt"], timeout=2000)

    qtbot.keySequence(page.conversation.composer.edit, QKeySequence.StandardKey.Find)
    assert page.focusWidget() is page.search_edit
    qtbot.keyClicks(page.search_edit, "Bauer")
    qtbot.waitUntil(lambda: names(harness) == ["Helga Bauer"], timeout=2000)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Escape)
    assert page.search_edit.text() == ""
    assert len(names(harness)) == 8
    # Escape also works from the list, once a search narrowed it.
    page.search_edit.setText("Fischer")
    qtbot.waitUntil(lambda: names(harness) == ["Michael Fischer"], timeout=2000)
    page.list_view.setFocus()
    qtbot.keyClick(page.list_view, Qt.Key.Key_Escape)
    assert page.search_edit.text() == ""
    assert len(names(harness)) == 8


def test_reload_on_inbox_changed_keeps_the_selection(harness: InboxHarness) -> None:
    demo_practice(harness.core)
    page = harness.page
    page.activate()
    page.list_view.setCurrentIndex(page.model.index(2, 0))
    assert page.list_view.currentIndex().data(CONVERSATION_ID_ROLE) == "conv-oezdemir"
    # A new conversation arrives on top.
    from tests.ui.inbox.fake_core import NOW, add_conversation, message

    conv = add_conversation(harness.core, "conv-new", "Jana Lehmann", 0,
                            [message("m-new", "Hallo")], unread=1)
    conv.last_activity = NOW
    harness.core.changed("conv-new")
    harness.settle()
    assert names(harness)[0] == "Jana Lehmann"
    assert page.list_view.currentIndex().data(CONVERSATION_ID_ROLE) == "conv-oezdemir"


def test_sync_progress_bar_counts_and_hides(harness: InboxHarness) -> None:
    harness.page.activate()
    harness.core.events.emit("sync_progress", SyncProgress(1234, 5000, False))
    harness.settle()
    page = harness.page
    assert not page.sync_frame.isHidden()
    assert page.sync_label.text() == "1.234 von 5.000 Nachrichten synchronisiert"
    assert (page.sync_bar.value(), page.sync_bar.maximum()) == (1234, 5000)
    harness.core.events.emit("sync_progress", SyncProgress(5000, 5000, True))
    harness.settle()
    assert page.sync_frame.isHidden()


def test_tray_notification_names_no_patient(harness: InboxHarness, qtbot: QtBot) -> None:
    demo_practice(harness.core)
    harness.page.activate()
    with qtbot.waitSignal(harness.tray.notified, timeout=2000) as signal:
        harness.core.events.emit("new_inquiry", 1)
    title, text = signal.args
    assert text == "Neue Anfrage"
    for conv in harness.core.inbox.conversations.values():
        for part in conv.patient_name.split():
            assert part not in f"{title} {text}"
    assert harness.tray.tooltip() == "Praxisdesk – 3 ungelesene Unterhaltungen"


def test_new_conversation_validation_then_start_and_open(harness: InboxHarness,
                                                         qtbot: QtBot) -> None:
    demo_practice(harness.core)
    page = harness.page
    page.show()
    qtbot.waitExposed(page)
    page.activate()
    page.activateWindow()
    page.list_view.setFocus()
    qtbot.waitUntil(page.list_view.hasFocus, timeout=2000)
    qtbot.keySequence(page.list_view, QKeySequence.StandardKey.New)
    dialog = page.new_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.submit_button.click()
    assert "Bitte geben Sie den Namen" in dialog.error_label.text()
    assert "Bitte geben Sie das Geburtsdatum" in dialog.error_label.text()
    dialog.name_edit.setText("Jana Lehmann")
    dialog.dob_edit.setText("31.02.1980")
    dialog.email_edit.setText("jana.lehmann@")
    dialog.submit_button.click()
    errors = dialog.error_label.text()
    assert "TT.MM.JJJJ" in errors
    assert "E-Mail-Adresse" in errors
    assert harness.core.started == []
    dialog.dob_edit.setText("03.07.1980")
    dialog.email_edit.setText("jana.lehmann@example.de")
    dialog.phone_edit.setText("+49 30 1234567")
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: page.new_dialog is None, timeout=3000)
    assert harness.core.started == [("Jana Lehmann", "1980-07-03", "jana.lehmann@example.de",
                                     "+49 30 1234567")]
    assert page.conversation.conversation_id == "conv-1"
    assert page.conversation.name_label.text() == "Jana Lehmann"
